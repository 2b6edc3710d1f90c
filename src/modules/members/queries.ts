import { sql, type SQL } from 'drizzle-orm';
import { rows, one, type Db } from '../../db/connection.js';
import { AGE_BANDS, PARTY_AGE_BANDS, ageBandCutoffs, partyAgeBandCutoffs } from '../../domain/bands.js';
import { completedYears } from '../../domain/dates.js';
import { partyAge } from '../../domain/partyAge.js';
import { forbidden, invalid } from '../../platform/errors.js';
import { narrowToOrg, pathPredicate, type Scope } from '../../platform/scope.js';
import type { Cipher } from '../../platform/crypto.js';
import type { MemberListItem, MemberListQuery } from './contract.js';
import { normalizeMobile } from '../../domain/mobile.js';
import { normalizeIdNumber } from '../../domain/idNumber.js';

/**
 * The member list: one flat query over `people` (org path denormalized), ordered by an index
 * (name, id), exact total by a separate count (STACK.md: no count(*) OVER ()). Mobile and ID number
 * searches go through blind indexes; names by prefix range so the btree serves it.
 */
export function nextPrefix(s: string): string {
  const cps = [...s];
  const last = cps.pop()!;
  return cps.join('') + String.fromCodePoint(last.codePointAt(0)! + 1);
}

/**
 * `canViewAt` says whether the caller holds the personal-data right at an org path. A search by full
 * ID number answers "found / not found", an oracle that confirms a guess from the masked form plus the
 * birth date (issue 17 finding 1): only a caller with the right over the whole searched subtree may
 * search that way; anyone else gets 403 whatever the number, so the answer confirms nothing.
 */
export async function memberWhere(db: Db, scope: Scope, q: Partial<MemberListQuery>, today: string, cipher: Cipher, canViewAt?: (path: string) => boolean): Promise<SQL> {
  return (await memberConditions(db, scope, q, today, cipher, canViewAt)).where;
}

/**
 * The list's conditions over `people p`, and — when the list is filtered by nothing but subtree,
 * stage and state — the same conditions over `member_counts c`, whose sum is the exact total.
 */
async function memberConditions(db: Db, scope: Scope, q: Partial<MemberListQuery>, today: string, cipher: Cipher, canViewAt?: (path: string) => boolean): Promise<{ where: SQL; countWhere: SQL | null }> {
  const conds: SQL[] = [sql`p.tenant_id = ${scope.tenantId}`];
  const counted: SQL[] = [sql`c.tenant_id = ${scope.tenantId}`];
  const s = q.org ? await narrowToOrg(db, scope, q.org) : scope;
  // A tenant root (one path segment) covers the whole tenant: the tenant_id condition already says
  // it, and dropping the prefix test lets the planner use (tenant_id, name, id) alone (STACK.md).
  if (!s.paths.some((p) => /^\/\d+\/$/.test(p))) {
    conds.push(pathPredicate(sql`p.org_path`, s));
    counted.push(pathPredicate(sql`c.org_path`, s));
  }
  const stage = q.stage ? sql`= ${q.stage}` : sql`in ('probationary','full')`;
  const state = q.state ? sql`= ${q.state}` : sql`in ('active','lostContact')`;
  conds.push(sql`p.stage ${stage}`, sql`p.state ${state}`);
  counted.push(sql`c.stage ${stage}`, sql`c.state ${state}`);
  const countable = conds.length;
  if (q.gender) conds.push(sql`p.gender = ${q.gender}`);
  if (q.ethnicity) conds.push(sql`p.ethnicity = ${q.ethnicity}`);
  if (q.minority === 'yes') conds.push(sql`p.ethnicity <> '汉族'`);
  if (q.minority === 'no') conds.push(sql`p.ethnicity = '汉族'`);
  if (q.education) conds.push(sql`p.education = ${q.education}`);
  if (q.occupation) conds.push(sql`p.occupation = ${q.occupation}`);
  if (q.ageBand) {
    const band = ageBandCutoffs(AGE_BANDS, today).find((b) => b.key === q.ageBand);
    if (!band) throw invalid(`年龄段“${q.ageBand}”不存在`);
    if (band.from) conds.push(sql`p.birth_date >= ${band.from}`);
    if (band.to) conds.push(sql`p.birth_date <= ${band.to}`);
  }
  if (q.partyAgeBand) {
    if (q.partyAgeBand === 'probationary') conds.push(sql`p.stage = 'probationary'`);
    else {
      const band = partyAgeBandCutoffs(today).find((b) => b.key === q.partyAgeBand);
      if (!band) throw invalid(`党龄段“${q.partyAgeBand}”不存在`);
      conds.push(sql`p.stage = 'full'`);
      if (band.from) conds.push(sql`p.full_on >= ${band.from}`);
      if (band.to) conds.push(sql`p.full_on <= ${band.to}`);
    }
  }
  if (q.q) {
    const term = q.q.trim();
    const digits = term.replace(/[\s-]/g, '');
    if (/^(\+?86)?1\d{10}$/.test(digits)) conds.push(sql`p.mobile_bidx = ${cipher.blindIndex('mobile', normalizeMobile(digits))}`);
    else if (/^\d{15}$|^\d{17}[\dxX]$/.test(digits)) {
      if (!canViewAt || s.paths.length === 0 || !s.paths.every((p) => canViewAt(p))) throw forbidden('按完整身份证号查找需要“查看个人信息”授权；请按姓名查找');
      conds.push(sql`p.id_number_bidx = ${cipher.blindIndex('idNumber', normalizeIdNumber(digits))}`);
    } else conds.push(sql`p.name >= ${term} and p.name < ${nextPrefix(term)}`);
  }
  return { where: sql.join(conds, sql` and `), countWhere: conds.length === countable ? sql.join(counted, sql` and `) : null };
}

const ORDER: Record<string, SQL> = {
  name: sql`p.name, p.id`,
  birthDate: sql`p.birth_date, p.id`,
  admittedOn: sql`p.admitted_on, p.id`,
  org: sql`p.org_path, p.name, p.id`,
};

export const LIST_COLUMNS = sql`p.id, p.name, p.gender, p.ethnicity, p.birth_date, p.org_id, o.name as org_name, p.stage, p.state, p.education,
  p.occupation, p.admitted_on, p.full_on, p.id_number_masked, p.mobile_masked, p.id_number_problem, p.transfer_pending`;

export function toListItem(r: Record<string, unknown>, today: string): MemberListItem {
  const birth = (r.birth_date as string | null) ?? null;
  const fullOn = (r.full_on as string | null) ?? null;
  return {
    id: r.id as number,
    name: r.name as string,
    gender: r.gender as string,
    ethnicity: r.ethnicity as string,
    birthDate: birth,
    age: birth ? completedYears(birth, today) : null,
    orgId: r.org_id as number,
    orgName: r.org_name as string,
    stage: r.stage as string,
    state: r.state as string,
    education: (r.education as string | null) ?? null,
    occupation: (r.occupation as string | null) ?? null,
    admittedOn: (r.admitted_on as string | null) ?? null,
    fullOn,
    partyAge: r.stage === 'full' && fullOn ? partyAge(fullOn, today) : null,
    idNumber: (r.id_number_masked as string | null) ?? null,
    mobile: (r.mobile_masked as string | null) ?? null,
    idNumberProblem: (r.id_number_problem as string | null) ?? null,
    transferPending: !!r.transfer_pending,
  };
}

export async function listMembers(db: Db, scope: Scope, q: MemberListQuery, today: string, cipher: Cipher, canViewAt?: (path: string) => boolean): Promise<{ total: number; items: MemberListItem[] }> {
  const { where, countWhere } = await memberConditions(db, scope, q, today, cipher, canViewAt);
  const order = q.order === 'desc' ? descOrder(q.sort) : (ORDER[q.sort] ?? ORDER.name);
  const items = await rows<Record<string, unknown>>(
    db,
    sql`select ${LIST_COLUMNS} from people p join orgs o on o.id = p.org_id
        where ${where} order by ${order} limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`,
  );
  // Unfiltered (subtree, stage, state only): the sum of the per-org counts the triggers keep current
  // in every writing transaction — exact, and a few thousand rows instead of every person.
  const total = countWhere
    ? await one<{ n: number }>(db, sql`select coalesce(sum(c.n), 0)::int as n from member_counts c where ${countWhere}`)
    : await one<{ n: number }>(db, sql`select count(*)::int as n from people p where ${where}`);
  return { total: total?.n ?? 0, items: items.map((r) => toListItem(r, today)) };
}

function descOrder(sort: string): SQL {
  switch (sort) {
    case 'birthDate': return sql`p.birth_date desc, p.id desc`;
    case 'admittedOn': return sql`p.admitted_on desc, p.id desc`;
    case 'org': return sql`p.org_path desc, p.name desc, p.id desc`;
    default: return sql`p.name desc, p.id desc`;
  }
}

export const PARTY_AGE_BAND_KEYS = PARTY_AGE_BANDS.map((b) => b.key);
