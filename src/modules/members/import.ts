import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/connection.js';
import { parseDateInput } from '../../domain/dateInput.js';
import { maskIdNumber, normalizeIdNumber } from '../../domain/idNumber.js';
import { maskMobile, normalizeMobile } from '../../domain/mobile.js';
import { normalizeGender } from '../../domain/vocab.js';
import type { Actor } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import {
  ImportFileError, labelOfHeader, openTable,
  type CellValue, type ErrorReportData, type HeaderSpec, type ImportProgress, type ImportRowError, type ParsedRow,
} from '../../platform/importer.js';
import { inScope, type Scope } from '../../platform/scope.js';
import { write, type WriteCtx } from '../../platform/write.js';
import { IMPORT_HEADERS, REQUIRED_IMPORT_HEADERS, type ImportReport } from './contract.js';
import { auditSnapshot, prepareMember, type PreparedMember, type RawMember } from './prepare.js';
import { initialPeriods } from './service.js';

/**
 * All-or-nothing member roster import (issue 3 §5, ARCHITECTURE.md "Shared services"). Every row is
 * parsed and validated before a transaction opens (PGlite holds its only connection for a whole
 * transaction); if any row is bad nothing is stored and every bad row is reported. Otherwise one
 * transaction writes people, membership periods, one audit entry per person and the import run.
 */
export const MEMBER_IMPORT_SPEC: HeaderSpec = {
  headers: {
    name: [IMPORT_HEADERS.name],
    gender: [IMPORT_HEADERS.gender],
    ethnicity: [IMPORT_HEADERS.ethnicity],
    idNumber: [IMPORT_HEADERS.idNumber, '身份证号码', '身份证号', '公民身份证号码'],
    birthDate: [IMPORT_HEADERS.birthDate, '出生年月日'],
    education: [IMPORT_HEADERS.education, '文化程度'],
    mobile: [IMPORT_HEADERS.mobile, '手机号', '手机'],
    org: [IMPORT_HEADERS.org, '所在党支部', '所在支部'],
    stage: [IMPORT_HEADERS.stage, '党员类别'],
    admittedOn: [IMPORT_HEADERS.admittedOn, '入党时间'],
    fullOn: [IMPORT_HEADERS.fullOn, '转正时间'],
    occupation: [IMPORT_HEADERS.occupation],
    workUnit: [IMPORT_HEADERS.workUnit],
    relationStart: [IMPORT_HEADERS.relationStart],
    address: [IMPORT_HEADERS.address],
    // Written by the export beside 所在党组织, so a re-import never depends on names being unique.
    orgCode: ['党组织代码', '组织代码'],
  },
  required: REQUIRED_IMPORT_HEADERS,
};

export const MAX_IMPORT_ROWS = 100_000;
const DATE_KEYS = ['birthDate', 'admittedOn', 'fullOn', 'relationStart'] as const;

export interface ImportActorInfo {
  tenantId: number;
  actor: Actor;
  /** The members.import scope: every row's org must lie inside it. */
  scope: Scope;
  /** The members.read scope: a duplicate's name is shown only when its record is visible. */
  readScope?: Scope;
}

export interface ImportInput {
  buffer: Buffer;
  filename: string;
  /** Used for rows whose 所在党组织 is empty; makes that column optional. */
  defaultOrgId?: number;
}

export type MemberImportResult = ImportReport & { report: ErrorReportData | null };

interface OrgRow { id: number; code: string; name: string; path: string; kind: string; dissolved_on: string | null }
interface GoodRow { row: number; p: PreparedMember; org: OrgRow }

const label = (key: string) => labelOfHeader(MEMBER_IMPORT_SPEC, key);
const norm = (s: string) => s.normalize('NFKC').replace(/\s+/gu, '');
const tick = () => new Promise<void>((r) => setImmediate(r));

/** No ID number or mobile in clear in what is stored (import_runs, audit): mask anything that looks like one. */
export const scrub = (s: string) =>
  s.replace(/\d{17}[\dXx]|\d{15}/g, (m) => maskIdNumber(m)).replace(/(?<!\d)1[3-9]\d{9}(?!\d)/g, (m) => maskMobile(m));

function textOf(v: CellValue): string | null {
  if (v === null) return null;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'number') return Number.isInteger(v) ? v.toFixed(0) : String(v);
  return v;
}

/** Resolve 所在党组织: by code, else by a full name unique in the tenant (ARCHITECTURE.md "Shared services"). */
function orgResolver(orgs: OrgRow[], scope: Scope, defaultOrg: OrgRow | null) {
  const byCode = new Map(orgs.map((o) => [norm(o.code).toUpperCase(), o]));
  const byName = new Map<string, OrgRow[]>();
  for (const o of orgs) byName.set(norm(o.name), [...(byName.get(norm(o.name)) ?? []), o]);
  const cache = new Map<string, { org: OrgRow } | { column: string; reason: string }>();
  const check = (o: OrgRow, column: string) => {
    if (!inScope(scope, o.path)) return { column, reason: `党组织“${o.name}”不在您的管理范围内，不能导入到该组织` };
    if (o.dissolved_on) return { column, reason: `党组织“${o.name}”已撤销` };
    if (o.kind === 'partyGroup') return { column, reason: `“${o.name}”是党小组，组织关系应填写所在的党支部` };
    return { org: o };
  };
  const resolve = (code: string | null, ref: string | null) => {
    if (code) {
      const o = byCode.get(norm(code).toUpperCase());
      return o ? check(o, label('orgCode')) : { column: label('orgCode'), reason: `党组织代码“${code}”不存在` };
    }
    if (!ref) return defaultOrg ? check(defaultOrg, label('org')) : { column: label('org'), reason: '所在党组织不能为空' };
    const o = byCode.get(norm(ref).toUpperCase());
    if (o) return check(o, label('org'));
    const candidates = byName.get(norm(ref)) ?? [];
    const live = candidates.filter((c) => !c.dissolved_on);
    if (live.length > 1) return { column: label('org'), reason: `有 ${live.length} 个名为“${ref}”的党组织，请改填党组织代码` };
    if (live.length === 1 || candidates.length === 1) return check(live[0] ?? candidates[0], label('org'));
    if (candidates.length > 1) return { column: label('org'), reason: `党组织“${ref}”已撤销` };
    return { column: label('org'), reason: `未找到党组织“${ref}”，请填写党组织代码或组织全称` };
  };
  return (code: string | null, ref: string | null) => {
    const k = `${code ?? ''}\u0000${ref ?? ''}`;
    let r = cache.get(k);
    if (!r) cache.set(k, (r = resolve(code, ref)));
    return r;
  };
}

/** One row → a prepared member, or its errors (each naming its column). */
function validateRow(r: ParsedRow, today: string, ctx: AppContext, resolveOrg: ReturnType<typeof orgResolver>): { good?: Omit<GoodRow, 'row'>; errors: ImportRowError[] } {
  const errors: ImportRowError[] = [];
  const v = r.values;
  const raw: RawMember = {};
  for (const key of ['name', 'ethnicity', 'mobile', 'education', 'occupation', 'workUnit', 'address', 'stage'] as const) raw[key] = textOf(v[key] ?? null);
  const gender = textOf(v.gender ?? null);
  raw.gender = gender ? (normalizeGender(gender) ?? gender) : null;
  const id = v.idNumber ?? null;
  // Excel keeps 15 significant digits: an 18-digit number typed into a number cell has lost its tail.
  if (typeof id === 'number' && !Number.isSafeInteger(id)) {
    errors.push({ row: r.rowNumber, column: label('idNumber'), reason: '公民身份号码被 Excel 存成了数值，后几位已丢失；请把该列设为“文本”格式后重新填写' });
  } else raw.idNumber = textOf(id);
  const dateFailed = new Set<string>();
  for (const key of DATE_KEYS) {
    const cell = v[key] ?? null;
    if (cell === null) continue;
    const d = parseDateInput(cell);
    if (d.ok) raw[key] = d.date;
    else {
      dateFailed.add(key);
      errors.push({ row: r.rowNumber, column: label(key), reason: d.reason });
    }
  }
  const org = resolveOrg(textOf(v.orgCode ?? null), textOf(v.org ?? null));
  if ('reason' in org) errors.push({ row: r.rowNumber, ...org });
  const prepared = prepareMember(raw, today, ctx.cipher);
  if (!prepared.ok) {
    for (const [key, reason] of Object.entries(prepared.errors)) {
      if (dateFailed.has(key) || (key === 'idNumber' && errors.some((e) => e.column === label('idNumber')))) continue;
      errors.push({ row: r.rowNumber, column: label(key), reason: reason! });
    }
  }
  if (errors.length || !prepared.ok || !('org' in org)) return { errors };
  return { good: { p: prepared.value, org: org.org }, errors };
}

/** Which blind indexes already exist in the tenant: one query per chunk, never a decrypt. */
/** Imports at least this large refresh the planner statistics of the tables they filled. */
const ANALYZE_AFTER_ROWS = 500;

async function existingBidx(db: Db, tenantId: number, column: 'id_number_bidx' | 'mobile_bidx', values: string[]) {
  const found = new Map<string, { name: string; org_path: string }>();
  for (let i = 0; i < values.length; i += 5000) {
    const chunk = values.slice(i, i + 5000);
    const r = await rows<{ b: string; name: string; org_path: string }>(
      db,
      sql`select ${sql.raw(column)} as b, name, org_path from people where tenant_id = ${tenantId} and ${sql.raw(column)} = any(${`{${chunk.join(',')}}`}::text[])`,
    );
    for (const x of r) found.set(x.b, x);
  }
  return found;
}

async function dbDuplicates(db: Db, info: ImportActorInfo, good: GoodRow[]): Promise<ImportRowError[]> {
  const errors: ImportRowError[] = [];
  const kinds = [{ column: 'id_number_bidx' as const, key: 'idNumberBidx' as const, header: label('idNumber') }];
  for (const k of kinds) {
    const found = await existingBidx(db, info.tenantId, k.column, good.map((g) => g.p[k.key]).filter((b): b is string => !!b));
    for (const g of good) {
      const hit = g.p[k.key] ? found.get(g.p[k.key]!) : undefined;
      if (!hit) continue;
      const who = info.readScope && inScope(info.readScope, hit.org_path) ? `“${hit.name}”` : '';
      errors.push({ row: g.row, column: k.header, reason: `${k.header}与系统中已有人员${who}重复` });
    }
  }
  return errors;
}

/**
 * Rows whose mobile a person already in the system has: a note naming that person when the importer's
 * read scope covers them; someone outside it is not mentioned (that would confirm the number is
 * registered), and nothing is refused.
 */
async function sharedMobiles(db: Db, info: ImportActorInfo, good: GoodRow[]): Promise<ImportRowError[]> {
  const found = await existingBidx(db, info.tenantId, 'mobile_bidx', good.map((g) => g.p.mobileBidx).filter((b): b is string => !!b));
  const out: ImportRowError[] = [];
  for (const g of good) {
    const hit = g.p.mobileBidx ? found.get(g.p.mobileBidx) : undefined;
    if (!hit || !info.readScope || !inScope(info.readScope, hit.org_path)) continue;
    out.push({ row: g.row, column: label('mobile'), reason: `手机号码与系统中已有人员“${hit.name}”相同（可能为家庭共用），已照常导入，联系时请注意区分` });
  }
  return out;
}

/** A PostgreSQL array literal, so a whole column of a batch travels as one bind parameter. */
function pgArray(values: (string | number | boolean | null)[]): string {
  return `{${values.map((v) => (v === null ? 'NULL' : typeof v === 'string' ? `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : String(v))).join(',')}}`;
}

const BATCH = 5000;

async function insertAll(w: WriteCtx, good: GoodRow[], onBatch: (done: number) => void) {
  const ids = (await rows<{ id: number }>(w.tx, sql`select nextval(pg_get_serial_sequence('people', 'id'))::int as id from generate_series(1, ${good.length})`)).map((r) => Number(r.id));
  for (let i = 0; i < good.length; i += BATCH) {
    const b = good.slice(i, i + BATCH);
    const col = <T extends string | number | boolean | null>(f: (g: GoodRow, j: number) => T) => pgArray(b.map((g, j) => f(g, i + j)));
    await w.tx.execute(sql`insert into people (id, tenant_id, org_id, org_path, name, gender, ethnicity, birth_date, id_number_enc, id_number_bidx, id_number_masked,
        id_number_problem, mobile_enc, mobile_bidx, mobile_masked, address_enc, education, occupation, work_unit, stage, state, admitted_on, full_on,
        full_on_note, relation_start_presumed, created_at, updated_at)
      select u.id, ${w.tenantId}, u.org_id, u.org_path, u.name, u.gender, u.ethnicity, u.birth_date, u.id_enc, u.id_bidx, u.id_masked, u.id_problem,
        u.m_enc, u.m_bidx, u.m_masked, u.addr_enc, u.education, u.occupation, u.work_unit, u.stage, 'active', u.admitted_on, u.full_on, u.full_on_note,
        u.presumed, ${w.now}, ${w.now}
      from unnest(${col((_, j) => ids[j])}::int[], ${col((g) => g.org.id)}::int[], ${col((g) => g.org.path)}::text[], ${col((g) => g.p.name)}::text[],
        ${col((g) => g.p.gender)}::text[], ${col((g) => g.p.ethnicity)}::text[], ${col((g) => g.p.birthDate)}::date[], ${col((g) => g.p.idNumberEnc)}::text[],
        ${col((g) => g.p.idNumberBidx)}::text[], ${col((g) => g.p.idNumberMasked)}::text[], ${col((g) => g.p.idNumberProblem)}::text[],
        ${col((g) => g.p.mobileEnc)}::text[], ${col((g) => g.p.mobileBidx)}::text[], ${col((g) => g.p.mobileMasked)}::text[], ${col((g) => g.p.addressEnc)}::text[],
        ${col((g) => g.p.education)}::text[], ${col((g) => g.p.occupation)}::text[], ${col((g) => g.p.workUnit)}::text[], ${col((g) => g.p.stage)}::text[],
        ${col((g) => g.p.admittedOn)}::date[], ${col((g) => g.p.fullOn)}::date[], ${col((g) => g.p.fullOnNote)}::text[], ${col((g) => g.p.relationStartPresumed)}::boolean[])
        as u(id, org_id, org_path, name, gender, ethnicity, birth_date, id_enc, id_bidx, id_masked, id_problem, m_enc, m_bidx, m_masked, addr_enc,
             education, occupation, work_unit, stage, admitted_on, full_on, full_on_note, presumed)`);
    const periods = b.flatMap((g, j) => initialPeriods(g.p).map((per) => ({ ...per, personId: ids[i + j], orgId: g.org.id, presumed: g.p.relationStartPresumed && per.validFrom === g.p.relationStart })));
    await w.tx.execute(sql`insert into membership_periods (tenant_id, person_id, org_id, stage, state, valid_from, valid_to, start_presumed, created_at, updated_at)
      select ${w.tenantId}, u.person_id, u.org_id, u.stage, 'active', u.valid_from, u.valid_to, u.presumed, ${w.now}, ${w.now}
      from unnest(${pgArray(periods.map((x) => x.personId))}::int[], ${pgArray(periods.map((x) => x.orgId))}::int[], ${pgArray(periods.map((x) => x.stage))}::text[],
        ${pgArray(periods.map((x) => x.validFrom))}::date[], ${pgArray(periods.map((x) => x.validTo))}::date[], ${pgArray(periods.map((x) => x.presumed))}::boolean[])
        as u(person_id, org_id, stage, valid_from, valid_to, presumed)`);
    onBatch(Math.min(i + BATCH, good.length));
  }
  return ids;
}

class LateDuplicates extends Error {
  constructor(readonly errors: ImportRowError[]) {
    super('duplicates appeared after validation');
  }
}

const orgIdOfPath = (path: string) => Number(path.split('/').filter(Boolean).pop());

/** A rejected import stores no member, but the attempt itself is recorded and audited. */
async function recordRejection(ctx: AppContext, info: ImportActorInfo, input: ImportInput, total: number, errors: ImportRowError[]) {
  await write(ctx, info.tenantId, info.actor, async (w) => {
    const orgId = input.defaultOrgId ?? orgIdOfPath(info.scope.paths[0] ?? '/0/');
    const stored = errors.slice(0, 1000).map((e) => ({ row: e.row, column: e.column, reason: scrub(e.reason) }));
    const [run] = await rows<{ id: number }>(w.tx, sql`insert into import_runs (tenant_id, org_id, kind, filename, status, total, error_count, errors, created_by, created_at, updated_at)
      values (${w.tenantId}, ${orgId}, 'members', ${scrub(input.filename)}, 'rejected', ${total}, ${errors.length}, ${JSON.stringify(stored)}::jsonb, ${info.actor.label}, ${w.now}, ${w.now}) returning id`);
    w.audit({ action: 'import', entity: 'importRun', entityId: run.id, orgId, meta: { kind: 'members', ok: false, total, errorCount: errors.length } });
  });
}

export async function importMembers(ctx: AppContext, info: ImportActorInfo, input: ImportInput, onProgress: (p: ImportProgress) => void = () => {}): Promise<MemberImportResult> {
  const today = ctx.clock.today();
  const reject = async (total: number, errors: ImportRowError[], report: ErrorReportData | null): Promise<MemberImportResult> => {
    errors.sort((a, b) => a.row - b.row);
    await recordRejection(ctx, info, input, total, errors);
    return { ok: false, total, imported: 0, errors, warnings, report };
  };
  const warnings: ImportRowError[] = [];

  // 1. Parse (streaming for xlsx); file-level problems are one error on row 0 (the file) or 1 (the header).
  onProgress({ status: 'parsing', done: 0, total: 0 });
  const parsed: ParsedRow[] = [];
  let columns: string[] = [];
  try {
    const table = await openTable(input, MEMBER_IMPORT_SPEC, input.defaultOrgId ? ['org'] : []);
    columns = table.columns;
    for await (const r of table.rows) {
      parsed.push(r);
      if (parsed.length > MAX_IMPORT_ROWS) throw new ImportFileError(`单个文件最多导入 ${MAX_IMPORT_ROWS} 行，请拆分后分批导入`);
      if (parsed.length % 1000 === 0) onProgress({ status: 'parsing', done: parsed.length, total: 0 });
    }
    if (parsed.length === 0) throw new ImportFileError('文件中没有数据行（表头下方为空）');
  } catch (e) {
    if (!(e instanceof ImportFileError)) throw e;
    return reject(parsed.length, [{ row: e.row, reason: e.message }], null);
  }
  const total = parsed.length;

  // 2. Validate every row before any transaction: fields, org, duplicates in the file and in the database.
  onProgress({ status: 'validating', done: 0, total });
  const orgs = await rows<OrgRow>(ctx.db, sql`select id, code, name, path, kind, dissolved_on from orgs where tenant_id = ${info.tenantId}`);
  const defaultOrg = input.defaultOrgId ? (orgs.find((o) => o.id === input.defaultOrgId) ?? null) : null;
  if (input.defaultOrgId && !defaultOrg) return reject(total, [{ row: 0, reason: '指定的默认党组织不存在' }], null);
  const resolveOrg = orgResolver(orgs, info.scope, defaultOrg);
  const errors: ImportRowError[] = [];
  const good: GoodRow[] = [];
  const seenId = new Map<string, number>();
  const seenMobile = new Map<string, number>();
  for (let i = 0; i < parsed.length; i += 1) {
    const r = parsed[i];
    const out = validateRow(r, today, ctx, resolveOrg);
    errors.push(...out.errors);
    if (out.good) {
      const { p } = out.good;
      const dupId = p.idNumber ? seenId.get(p.idNumber) : undefined;
      const dupMobile = p.mobile ? seenMobile.get(p.mobile) : undefined;
      if (dupId) errors.push({ row: r.rowNumber, column: label('idNumber'), reason: `公民身份号码与第 ${dupId} 行重复（第 ${dupId} 行和第 ${r.rowNumber} 行）` });
      // a shared mobile (a family's one phone) is a note, never a refusal; ID numbers stay unique
      if (dupMobile) warnings.push({ row: r.rowNumber, column: label('mobile'), reason: `手机号码与第 ${dupMobile} 行相同（可能为家庭共用），已照常导入，联系时请注意区分` });
      if (p.idNumber && !dupId) seenId.set(p.idNumber, r.rowNumber);
      if (p.mobile && !dupMobile) seenMobile.set(p.mobile, r.rowNumber);
      if (!dupId) good.push({ row: r.rowNumber, ...out.good });
    } else {
      // A bad row still claims its ID number and mobile, so a later copy is reported against it.
      const id = textOf(r.values.idNumber ?? null);
      const mobile = textOf(r.values.mobile ?? null);
      if (id && !seenId.has(normalizeIdNumber(id))) seenId.set(normalizeIdNumber(id), r.rowNumber);
      if (mobile && !seenMobile.has(normalizeMobile(mobile))) seenMobile.set(normalizeMobile(mobile), r.rowNumber);
    }
    // Yield now and then so progress requests are answered while a large file is checked.
    if ((i + 1) % 500 === 0) {
      onProgress({ status: 'validating', done: i + 1, total });
      await tick();
    }
  }
  errors.push(...(await dbDuplicates(ctx.db, info, good)));
  warnings.push(...(await sharedMobiles(ctx.db, info, good)));
  warnings.sort((a, b) => a.row - b.row);
  onProgress({ status: 'validating', done: total, total });
  const badRows = () => {
    const bad = new Set(errors.map((e) => e.row));
    return { columns, rows: parsed.filter((r) => bad.has(r.rowNumber)).map((r) => ({ rowNumber: r.rowNumber, cells: r.cells })) };
  };
  if (errors.length) return reject(total, errors, badRows());

  // 3. One transaction: everything or nothing.
  onProgress({ status: 'writing', done: 0, total });
  try {
    const runRowId = await write(ctx, info.tenantId, info.actor, async (w) => {
      const late = await dbDuplicates(w.tx, info, good);
      if (late.length) throw new LateDuplicates(late);
      const ids = await insertAll(w, good, (done) => onProgress({ status: 'writing', done, total }));
      const orgId = input.defaultOrgId ?? orgIdOfPath(info.scope.paths[0] ?? '/0/');
      const [run] = await rows<{ id: number }>(w.tx, sql`insert into import_runs (tenant_id, org_id, kind, filename, status, total, error_count, errors, created_by, created_at, updated_at)
        values (${w.tenantId}, ${orgId}, 'members', ${scrub(input.filename)}, 'done', ${total}, 0, null, ${info.actor.label}, ${w.now}, ${w.now}) returning id`);
      good.forEach((g, j) => w.audit({ action: 'create', entity: 'person', entityId: ids[j], orgId: g.org.id, after: auditSnapshot({ ...g.p, orgId: g.org.id }), meta: { importRunId: run.id } }));
      w.audit({ action: 'import', entity: 'importRun', entityId: run.id, orgId, meta: { kind: 'members', ok: true, total, imported: good.length } });
      // Re-evaluate findings for the touched subtrees; past a few dozen orgs the scope roots are shorter.
      const paths = [...new Set(good.map((g) => g.org.path))];
      for (const p of paths.length <= 50 ? paths : info.scope.paths) w.touch('person', p);
      return run.id;
    });
    // PGlite has no autovacuum and PostgreSQL's may come late: after a bulk load the planner would keep
    // planning from the statistics of a nearly empty table (seen as nested loops over every person).
    if (good.length >= ANALYZE_AFTER_ROWS) await ctx.db.execute(sql`analyze people, membership_periods`);
    return { ok: true, total, imported: good.length, errors: [], warnings, runId: runRowId, report: null };
  } catch (e) {
    if (!(e instanceof LateDuplicates)) throw e;
    errors.push(...e.errors);
    return reject(total, errors, badRows());
  }
}
