import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import { one, rows, type Db } from '../../db/connection.js';
import { compareDates, minDate, yearEnd } from '../../domain/dates.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { pathsSql } from '../../platform/findings.js';
import { inScope, type Scope } from '../../platform/scope.js';
import type { WriteCtx } from '../../platform/write.js';
import type { reviewOpenInput, reviewSaveInput } from './contract.js';
import { orgOf } from './meetingQueries.js';
import { orgLifeSettingsFor } from './settings.js';

/**
 * 民主评议党员 (DOMAIN.md §3.3): a yearly round per branch — 个人自评, 党员互评 (tallies per grade),
 * 民主测评, and the branch's conclusion per member with a grade from the setting (default 优秀 / 合格 /
 * 基本合格 / 不合格). The grades in force when the round opens are kept on the round.
 */
export async function listReviews(db: Db, tenantId: number, paths: string[], year?: number) {
  const r = await rows<{ id: number; org_id: number; org_name: string; for_year: number; status: string; concluded_on: string | null; n: number; graded: number }>(db,
    sql`select r.id, r.org_id, o.name as org_name, r.for_year, r.status, r.concluded_on,
          (select count(*)::int from member_review_results x where x.round_id = r.id) as n,
          (select count(*)::int from member_review_results x where x.round_id = r.id and x.grade is not null) as graded
        from member_review_rounds r join orgs o on o.id = r.org_id
        where r.tenant_id = ${tenantId} and ${pathsSql('r.org_path', paths)} ${year ? sql`and r.for_year = ${year}` : sql``}
        order by r.for_year desc, o.path limit 500`);
  return r.map((x) => ({ id: Number(x.id), orgId: Number(x.org_id), orgName: x.org_name, forYear: x.for_year, status: x.status, concludedOn: x.concluded_on, members: x.n, graded: x.graded }));
}

async function roundRow(db: Db, scope: Scope, id: number, lock = false) {
  const r = await one<{ id: number; org_id: number; org_path: string; for_year: number; status: string; grades: unknown; version: number; concluded_on: string | null; meeting_id: number | null }>(
    db, sql`select id, org_id, org_path, for_year, status, grades, version, concluded_on, meeting_id from member_review_rounds where id = ${id} and tenant_id = ${scope.tenantId} ${lock ? sql`for update` : sql``}`,
  );
  if (!r || !inScope(scope, r.org_path)) throw notFound('民主评议');
  return r;
}

const gradesOf = (v: unknown): string[] => (typeof v === 'string' ? JSON.parse(v) : v) as string[];

export async function reviewDetail(db: Db, scope: Scope, id: number) {
  const r = await roundRow(db, scope, id);
  const org = await one<{ name: string }>(db, sql`select name from orgs where id = ${r.org_id}`);
  const results = await rows<{ id: number; person_id: number; name: string; self_assessment: string | null; peer_tally: unknown; grade: string | null; comment: string | null }>(db,
    sql`select x.id, x.person_id, p.name, x.self_assessment, x.peer_tally, x.grade, x.comment from member_review_results x join people p on p.id = x.person_id
        where x.round_id = ${id} order by p.name, p.id`);
  return {
    id: Number(r.id), orgId: Number(r.org_id), orgName: org?.name ?? '', forYear: r.for_year, status: r.status, grades: gradesOf(r.grades),
    concludedOn: r.concluded_on, meetingId: r.meeting_id === null ? null : Number(r.meeting_id), version: r.version,
    results: results.map((x) => ({
      personId: Number(x.person_id), name: x.name, selfAssessment: x.self_assessment,
      peerTally: (typeof x.peer_tally === 'string' ? JSON.parse(x.peer_tally) : x.peer_tally) as Record<string, number>, grade: x.grade, comment: x.comment,
    })),
  };
}

export async function openReview(w: WriteCtx, scope: Scope, input: z.infer<typeof reviewOpenInput>): Promise<{ id: number }> {
  const org = await orgOf(w.tx, scope, input.orgId);
  if (!['branch', 'jointBranch'].includes(org.kind)) throw invalid('民主评议党员以党支部为单位开展', { orgId: '请选择党支部' });
  if (input.forYear > Number(w.today.slice(0, 4))) throw invalid('不能为未来年度开展民主评议', { forYear: '年度不正确' });
  const dup = await one(w.tx, sql`select id from member_review_rounds where org_id = ${org.id} and for_year = ${input.forYear}`);
  if (dup) throw conflict(`${org.name}已有${input.forYear}年度的民主评议`);
  if (input.meetingId) {
    const m = await one<{ org_path: string }>(w.tx, sql`select org_path from meetings where id = ${input.meetingId} and tenant_id = ${scope.tenantId}`);
    if (!m || !inScope(scope, m.org_path)) throw notFound('会议记录');
  }
  const grades = (await orgLifeSettingsFor(w.tx, scope.tenantId, org.path)).reviewGrades;
  const row = await one<{ id: number }>(w.tx, sql`insert into member_review_rounds (tenant_id, org_id, org_path, for_year, status, meeting_id, grades, created_at, updated_at)
    values (${w.tenantId}, ${org.id}, ${org.path}, ${input.forYear}, 'open', ${input.meetingId ?? null}, ${JSON.stringify(grades)}::jsonb, ${w.now}, ${w.now}) returning id`);
  const id = Number(row!.id);
  const asOf = minDate(yearEnd(input.forYear), w.today);
  await w.tx.execute(sql`insert into member_review_results (tenant_id, round_id, person_id, created_at, updated_at)
    select ${w.tenantId}, ${id}, m.person_id, ${w.now}, ${w.now} from membership_periods m
    where m.org_id = ${org.id} and m.stage in ('probationary','full') and m.state in ('active','lostContact') and m.valid_from <= ${asOf} and (m.valid_to is null or m.valid_to > ${asOf})
    on conflict do nothing`);
  w.audit({ action: 'create', entity: 'memberReviewRound', entityId: id, orgId: org.id, after: { forYear: input.forYear, grades } });
  w.touch('memberReview', org.path);
  return { id };
}

export async function saveReview(w: WriteCtx, scope: Scope, id: number, input: z.infer<typeof reviewSaveInput>): Promise<{ ok: true; status: string }> {
  const r = await roundRow(w.tx, scope, id, true);
  if (r.version !== input.version) throw conflict('该民主评议已被他人修改，请刷新后重试');
  if (r.status === 'concluded') throw conflict('该民主评议已评定结束，不能再修改');
  const grades = gradesOf(r.grades);
  const members = new Set((await rows<{ person_id: number }>(w.tx, sql`select person_id from member_review_results where round_id = ${id}`)).map((x) => Number(x.person_id)));
  input.results.forEach((x, i) => {
    if (!members.has(x.personId)) throw invalid('评议名单中没有该党员', { [`results.${i}.personId`]: '评议名单中没有该党员' });
    if (x.grade && !grades.includes(x.grade)) throw invalid(`评定等次应为：${grades.join('、')}`, { [`results.${i}.grade`]: '评定等次不正确' });
    for (const k of Object.keys(x.peerTally)) if (!grades.includes(k)) throw invalid(`互评票数的等次应为：${grades.join('、')}`, { [`results.${i}.peerTally`]: '等次不正确' });
  });
  for (const x of input.results) {
    await w.tx.execute(sql`update member_review_results set self_assessment = ${x.selfAssessment ?? null}, peer_tally = ${JSON.stringify(x.peerTally)}::jsonb,
      grade = ${x.grade ?? null}, comment = ${x.comment ?? null}, version = version + 1, updated_at = ${w.now} where round_id = ${id} and person_id = ${x.personId}`);
  }
  let status = r.status;
  if (input.conclude) {
    const missing = await one<{ n: number }>(w.tx, sql`select count(*)::int as n from member_review_results where round_id = ${id} and grade is null`);
    if ((missing?.n ?? 0) > 0) throw invalid(`还有 ${missing!.n} 名党员未评定等次，不能结束评议`);
    const on = input.concludedOn ?? w.today;
    if (compareDates(on, w.today) > 0) throw invalid('评定日期不能晚于今天', { concludedOn: '评定日期不能晚于今天' });
    status = 'concluded';
    await w.tx.execute(sql`update member_review_rounds set status = 'concluded', concluded_on = ${on}, version = version + 1, updated_at = ${w.now} where id = ${id}`);
  } else {
    await w.tx.execute(sql`update member_review_rounds set version = version + 1, updated_at = ${w.now} where id = ${id}`);
  }
  w.audit({ action: input.conclude ? 'decide' : 'update', entity: 'memberReviewRound', entityId: id, orgId: Number(r.org_id), after: { results: input.results.length, conclude: input.conclude } });
  w.touch('memberReview', r.org_path);
  return { ok: true, status };
}
