import { sql } from 'drizzle-orm';
import { rows } from '../../db/connection.js';
import { parseDateInput } from '../../domain/dateInput.js';
import { MEETING_KINDS, type MeetingKind } from '../../domain/orgLifeRules.js';
import type { Actor } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import {
  ImportFileError, labelOfHeader, openTable, writeXlsx,
  type CellValue, type ErrorReportData, type HeaderSpec, type ImportProgress, type ImportRowError, type ParsedRow,
} from '../../platform/importer.js';
import { inScope, type Scope } from '../../platform/scope.js';
import { write } from '../../platform/write.js';
import type { MeetingInput } from './contract.js';
import { expectedAttendees } from './meetingQueries.js';
import { createMeeting, prepareMeeting } from './meetings.js';

/**
 * Import of past meeting ledgers (台账) from xlsx/csv (issue 4 §9) through the one import service: one
 * row per meeting, attendance as name lists resolved against who should have attended on that date.
 * All or nothing, like the member import: every row is checked before one transaction writes them all,
 * and any bad row rejects the file with a row-by-row report. Entries are kept with today's entry time,
 * so meetings held more than 30 days ago are marked 补录.
 */
export const LEDGER_SPEC: HeaderSpec = {
  headers: {
    org: ['党组织', '所在党组织', '党组织代码', '组织'],
    kind: ['会议类型', '类型'],
    heldOn: ['召开日期', '日期', '会议日期'],
    startTime: ['开始时间'],
    endTime: ['结束时间'],
    place: ['地点', '会议地点'],
    topic: ['主题', '会议主题', '议题'],
    present: ['出席人员', '参会人员', '实到人员'],
    onLeave: ['请假人员'],
    lecturer: ['授课人'],
    lectureTitle: ['党课题目'],
    theme: ['主题党日主题'],
    forYear: ['所属年度'],
    alsoCountsAs: ['同时计为'],
    decisions: ['决定事项'],
  },
  required: ['org', 'kind', 'heldOn', 'topic', 'present'],
};
const label = (k: string) => labelOfHeader(LEDGER_SPEC, k);
const norm = (s: string) => s.normalize('NFKC').replace(/\s+/gu, '');
const KIND_BY_TEXT = new Map<string, MeetingKind>([
  ...MEETING_KINDS.flatMap((k) => [[norm(k.label), k.key], [norm(k.key), k.key]] as [string, MeetingKind][]),
  ['党员大会', 'memberAssembly'], ['支部委员会', 'committeeMeeting'], ['支委会会议', 'committeeMeeting'], ['固定党日', 'themedPartyDay'], ['民主评议', 'memberReview'], ['专题学习', 'studySession'],
]);
const text = (v: CellValue | undefined): string | null => (v === null || v === undefined ? null : v instanceof Date ? v.toISOString().slice(0, 10) : String(v).trim() || null);
const names = (v: CellValue | undefined) => (text(v) ?? '').split(/[、，,;；\s]+/u).map((s) => s.trim()).filter(Boolean);
function timeOf(v: CellValue | undefined): string | null {
  if (typeof v === 'number' && v >= 0 && v < 1) {
    const m = Math.round(v * 24 * 60);
    return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  }
  const t = text(v);
  const m = t ? /^(\d{1,2})[:：](\d{2})/.exec(t) : null;
  return m ? `${m[1].padStart(2, '0')}:${m[2]}` : null;
}

export async function ledgerTemplateXlsx(): Promise<Buffer> {
  const headers = Object.keys(LEDGER_SPEC.headers).map((k) => ({ header: label(k) }));
  return writeXlsx([{
    name: '会议台账', columns: headers,
    rows: [['SFX010101', '支委会', '2026-01-08', '14:30', '16:00', '党群服务中心', '研究一季度工作安排', '张三、李四、王五', '', '', '', '', '', '', '']],
    validations: [{ column: 1, list: MEETING_KINDS.map((k) => k.label) }],
  }]);
}

interface OrgRow { id: number; code: string; name: string; path: string; kind: string; parent_id: number | null }

export interface LedgerImportInfo { tenantId: number; actor: Actor; scope: Scope }

export async function importLedger(ctx: AppContext, info: LedgerImportInfo, input: { buffer: Buffer; filename: string }, onProgress: (p: ImportProgress) => void = () => {}) {
  const today = ctx.clock.today();
  const parsed: ParsedRow[] = [];
  let columns: string[] = [];
  const reject = async (total: number, errors: ImportRowError[], report: ErrorReportData | null) => {
    errors.sort((a, b) => a.row - b.row);
    await write(ctx, info.tenantId, info.actor, async (w) => {
      const orgId = Number(info.scope.paths[0]?.split('/').filter(Boolean).pop() ?? 0);
      const [run] = await rows<{ id: number }>(w.tx, sql`insert into import_runs (tenant_id, org_id, kind, filename, status, total, error_count, errors, created_by, created_at, updated_at)
        values (${w.tenantId}, ${orgId}, 'meetings', ${input.filename}, 'rejected', ${total}, ${errors.length}, ${JSON.stringify(errors.slice(0, 1000))}::jsonb, ${info.actor.label}, ${w.now}, ${w.now}) returning id`);
      w.audit({ action: 'import', entity: 'importRun', entityId: run.id, orgId, meta: { kind: 'meetings', ok: false, total, errorCount: errors.length } });
    });
    return { ok: false, total, imported: 0, errors, report };
  };
  onProgress({ status: 'parsing', done: 0, total: 0 });
  try {
    const table = await openTable(input, LEDGER_SPEC);
    columns = table.columns;
    for await (const r of table.rows) {
      parsed.push(r);
      if (parsed.length > 20_000) throw new ImportFileError('单个文件最多导入 20000 行会议记录，请拆分后分批导入');
    }
    if (parsed.length === 0) throw new ImportFileError('文件中没有数据行（表头下方为空）');
  } catch (e) {
    if (!(e instanceof ImportFileError)) throw e;
    return reject(parsed.length, [{ row: e.row, reason: e.message }], null);
  }
  const total = parsed.length;
  onProgress({ status: 'validating', done: 0, total });
  const orgs = await rows<OrgRow>(ctx.db, sql`select id, code, name, path, kind, parent_id from orgs where tenant_id = ${info.tenantId} and dissolved_on is null`);
  const byCode = new Map(orgs.map((o) => [norm(o.code).toUpperCase(), o]));
  const byName = new Map<string, OrgRow[]>();
  for (const o of orgs) byName.set(norm(o.name), [...(byName.get(norm(o.name)) ?? []), o]);
  const errors: ImportRowError[] = [];
  const good: { row: number; input: MeetingInput }[] = [];
  for (const [i, r] of parsed.entries()) {
    const v = r.values;
    const err = (key: string, reason: string) => errors.push({ row: r.rowNumber, column: label(key), reason });
    const before = errors.length;
    const ref = text(v.org);
    let org: OrgRow | undefined = ref ? byCode.get(norm(ref).toUpperCase()) : undefined;
    if (!org && ref) {
      const c = byName.get(norm(ref)) ?? [];
      if (c.length > 1) err('org', `有 ${c.length} 个名为“${ref}”的党组织，请改填党组织代码`);
      org = c.length === 1 ? c[0] : undefined;
    }
    if (!org && errors.length === before) err('org', ref ? `未找到党组织“${ref}”，请填写党组织代码或组织全称` : '党组织不能为空');
    if (org && !inScope(info.scope, org.path)) { err('org', `党组织“${org.name}”不在您的管理范围内`); org = undefined; }
    const kindText = text(v.kind);
    const kind = kindText ? KIND_BY_TEXT.get(norm(kindText)) : undefined;
    if (!kind) err('kind', kindText ? `会议类型“${kindText}”无法识别，应为：${MEETING_KINDS.map((k) => k.label).join('、')}` : '会议类型不能为空');
    const also = names(v.alsoCountsAs).map((t) => ({ t, k: KIND_BY_TEXT.get(norm(t)) }));
    for (const a of also) if (!a.k) err('alsoCountsAs', `“${a.t}”不是会议类型`);
    const d = v.heldOn === null || v.heldOn === undefined ? { ok: false as const, reason: '召开日期不能为空' } : parseDateInput(v.heldOn);
    if (!d.ok) err('heldOn', d.reason);
    const topic = text(v.topic);
    if (!topic) err('topic', '主题不能为空');
    const forYearText = text(v.forYear);
    const forYear = forYearText ? Number(forYearText.replace(/年度?$/, '')) : null;
    if (forYearText && !Number.isInteger(forYear)) err('forYear', '所属年度应为四位年份');
    if (errors.length > before || !org || !kind || !d.ok || !topic) continue;
    const expected = await expectedAttendees(ctx.db, info.tenantId, { ...org, id: Number(org.id) }, kind, d.date);
    const byPersonName = new Map<string, number[]>();
    for (const e of expected) byPersonName.set(norm(e.name), [...(byPersonName.get(norm(e.name)) ?? []), e.personId]);
    const status = new Map<number, 'present' | 'onLeave'>();
    for (const [key, st] of [['present', 'present'], ['onLeave', 'onLeave']] as const) {
      for (const n of names(v[key])) {
        const ids = byPersonName.get(norm(n)) ?? [];
        if (ids.length === 0) err(key, `“${n}”不在该组织 ${d.date} 应参加会议的人员中`);
        else if (ids.length > 1) err(key, `应参加人员中有 ${ids.length} 人名为“${n}”，无法区分，请在系统中逐条录入`);
        else if (status.has(ids[0])) err(key, `“${n}”重复出现`);
        else status.set(ids[0], st);
      }
    }
    if (errors.length > before) continue;
    const meeting: MeetingInput = {
      orgId: Number(org.id), kind, alsoCountsAs: also.map((a) => a.k!), heldOn: d.date, startTime: timeOf(v.startTime), endTime: timeOf(v.endTime),
      place: text(v.place), topic, agenda: [], decisions: text(v.decisions), lecturer: text(v.lecturer), lectureTitle: text(v.lectureTitle), theme: text(v.theme),
      forYear, guests: [], votes: [], attachmentIds: [],
      attendance: expected.map((e) => ({ personId: e.personId, status: status.get(e.personId) ?? 'absent', leaveReason: null })),
    };
    try {
      await prepareMeeting(ctx.db, info.scope, meeting, today);
      good.push({ row: r.rowNumber, input: meeting });
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      errors.push({ row: r.rowNumber, reason: e.message });
    }
    if ((i + 1) % 100 === 0) onProgress({ status: 'validating', done: i + 1, total });
  }
  onProgress({ status: 'validating', done: total, total });
  if (errors.length) {
    const bad = new Set(errors.map((e) => e.row));
    return reject(total, errors, { columns, rows: parsed.filter((p) => bad.has(p.rowNumber)).map((p) => ({ rowNumber: p.rowNumber, cells: p.cells })) });
  }
  onProgress({ status: 'writing', done: 0, total });
  const runId = await write(ctx, info.tenantId, info.actor, async (w) => {
    for (const [i, g] of good.entries()) {
      await createMeeting(w, info.scope, g.input);
      onProgress({ status: 'writing', done: i + 1, total });
    }
    const orgId = good[0].input.orgId;
    const [run] = await rows<{ id: number }>(w.tx, sql`insert into import_runs (tenant_id, org_id, kind, filename, status, total, error_count, errors, created_by, created_at, updated_at)
      values (${w.tenantId}, ${orgId}, 'meetings', ${input.filename}, 'done', ${total}, 0, null, ${info.actor.label}, ${w.now}, ${w.now}) returning id`);
    w.audit({ action: 'import', entity: 'importRun', entityId: run.id, orgId, meta: { kind: 'meetings', ok: true, total, imported: good.length } });
    return Number(run.id);
  });
  return { ok: true, total, imported: good.length, errors: [] as ImportRowError[], runId, report: null };
}
