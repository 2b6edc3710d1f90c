import { sql } from 'drizzle-orm';
import { one, rows, type Db } from '../../db/connection.js';
import { compareDates, minDate, yearEnd, type IsoDate } from '../../domain/dates.js';
import { heartTalkCoverage, type Coverage } from '../../domain/orgLifeCounting.js';
import { COMMITTEE_POSTS } from '../../domain/vocab.js';
import { invalid } from '../../platform/errors.js';
import { pathsSql } from '../../platform/findings.js';
import { assertPlainText } from '../../platform/sanitizer.js';
import { requireAllInScope, type Scope } from '../../platform/scope.js';
import type { WriteCtx } from '../../platform/write.js';
import type { z } from 'zod';
import type { heartTalkInput } from './contract.js';
import { orgOf } from './meetingQueries.js';
import { settingsResolver } from './settings.js';

/**
 * 谈心谈话 (DOMAIN.md §3.3–§3.4): who talked with whom, when, about what; yearly coverage per branch —
 * each pair of committee members and each member with at least one committee member (or, under the
 * setting, each committee member with each member). Committee and members are taken as of the year's
 * last day, or today for the current year.
 */
export interface BranchCoverage {
  orgId: number;
  orgPath: string;
  orgName: string;
  year: number;
  talks: number;
  coverage: Coverage;
  names: Map<number, string>;
}

export async function heartTalkCoverageFor(db: Db, tenantId: number, paths: string[] | null, year: number, today: IsoDate): Promise<BranchCoverage[]> {
  const asOf = minDate(yearEnd(year), today);
  const from = `${year}-01-01`;
  const orgs = await rows<{ id: number; path: string; name: string }>(db, sql`select id, path, name from orgs
    where tenant_id = ${tenantId} and kind in ('branch','jointBranch') and ${pathsSql('path', paths)}
      and (dissolved_on is null or dissolved_on > ${asOf}) and (established_on is null or established_on <= ${from}) order by path`);
  if (orgs.length === 0) return [];
  const committee = await rows<{ org_id: number; person_id: number; name: string }>(db, sql`select t.org_id, t.person_id, p.name from post_terms t
    join orgs o on o.id = t.org_id join people p on p.id = t.person_id
    where t.tenant_id = ${tenantId} and ${pathsSql('o.path', paths)} and t.post in (${sql.join(COMMITTEE_POSTS.map((p) => sql`${p}`), sql`, `)})
      and t.valid_from <= ${asOf} and (t.valid_to is null or t.valid_to > ${asOf})`);
  const members = await rows<{ org_id: number; person_id: number; name: string }>(db, sql`select m.org_id, m.person_id, p.name from membership_periods m
    join orgs o on o.id = m.org_id join people p on p.id = m.person_id
    where m.tenant_id = ${tenantId} and ${pathsSql('o.path', paths)} and m.stage in ('probationary','full') and m.state in ('active','lostContact')
      and m.valid_from <= ${asOf} and (m.valid_to is null or m.valid_to > ${asOf})`);
  const talks = await rows<{ org_id: number; a: number; b: number }>(db, sql`select org_id, person_a_id as a, person_b_id as b from heart_talks
    where tenant_id = ${tenantId} and ${pathsSql('org_path', paths)} and held_on >= ${from} and held_on <= ${asOf}`);
  const resolve = await settingsResolver(db, tenantId);
  const group = <T extends { org_id: number }>(list: T[]) => {
    const m = new Map<number, T[]>();
    for (const x of list) m.set(Number(x.org_id), [...(m.get(Number(x.org_id)) ?? []), x]);
    return m;
  };
  const cBy = group(committee);
  const mBy = group(members);
  const tBy = group(talks);
  return orgs.map((o) => {
    const id = Number(o.id);
    const names = new Map<number, string>();
    for (const x of [...(cBy.get(id) ?? []), ...(mBy.get(id) ?? [])]) names.set(Number(x.person_id), x.name);
    const t = (tBy.get(id) ?? []).map((x) => ({ a: Number(x.a), b: Number(x.b) }));
    const coverage = heartTalkCoverage((cBy.get(id) ?? []).map((x) => Number(x.person_id)), (mBy.get(id) ?? []).map((x) => Number(x.person_id)), t, resolve(o.path).heartTalkEveryPair);
    return { orgId: id, orgPath: o.path, orgName: o.name, year, talks: t.length, coverage, names };
  });
}

export async function listHeartTalks(db: Db, tenantId: number, paths: string[], year: number) {
  return (await rows<{ id: number; org_id: number; org_name: string; held_on: string; a: number; a_name: string; b: number; b_name: string; topic: string; notes: string | null }>(
    db, sql`select t.id, t.org_id, o.name as org_name, t.held_on, t.person_a_id as a, pa.name as a_name, t.person_b_id as b, pb.name as b_name, t.topic, t.notes
      from heart_talks t join orgs o on o.id = t.org_id join people pa on pa.id = t.person_a_id join people pb on pb.id = t.person_b_id
      where t.tenant_id = ${tenantId} and ${pathsSql('t.org_path', paths)} and t.held_on >= ${`${year}-01-01`} and t.held_on <= ${`${year}-12-31`}
      order by t.held_on desc, t.id desc limit 1000`,
  )).map((t) => ({ id: Number(t.id), orgId: Number(t.org_id), orgName: t.org_name, heldOn: t.held_on, personAId: Number(t.a), personAName: t.a_name, personBId: Number(t.b), personBName: t.b_name, topic: t.topic, notes: t.notes }));
}

export async function createHeartTalk(w: WriteCtx, scope: Scope, input: z.infer<typeof heartTalkInput>): Promise<{ id: number }> {
  const org = await orgOf(w.tx, scope, input.orgId);
  if (compareDates(input.heldOn, w.today) > 0) throw invalid('谈话日期不能晚于今天', { heldOn: '谈话日期不能晚于今天' });
  if (input.personAId === input.personBId) throw invalid('谈话双方不能是同一人', { personBId: '谈话双方不能是同一人' });
  assertPlainText(input.topic, '谈话主题');
  if (input.notes) assertPlainText(input.notes, '谈话要点');
  await requireAllInScope(w.tx, scope, 'people', [input.personAId, input.personBId]);
  const row = await one<{ id: number }>(w.tx, sql`insert into heart_talks (tenant_id, org_id, org_path, held_on, person_a_id, person_b_id, topic, notes, created_at, updated_at)
    values (${w.tenantId}, ${org.id}, ${org.path}, ${input.heldOn}, ${input.personAId}, ${input.personBId}, ${input.topic}, ${input.notes ?? null}, ${w.now}, ${w.now}) returning id`);
  const id = Number(row!.id);
  w.audit({ action: 'create', entity: 'heartTalk', entityId: id, orgId: org.id, after: { heldOn: input.heldOn, personAId: input.personAId, personBId: input.personBId, topic: input.topic } });
  w.touch('heartTalk', org.path);
  return { id };
}
