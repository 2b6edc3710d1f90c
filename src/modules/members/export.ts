import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { rows, type Db } from '../../db/connection.js';
import { idCheckDigit, maskIdNumber } from '../../domain/idNumber.js';
import { maskMobile } from '../../domain/mobile.js';
import { EDUCATION_LEVELS, ETHNICITIES, OCCUPATIONS, labelOf } from '../../domain/vocab.js';
import type { Actor } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { forbidden } from '../../platform/errors.js';
import { writeXlsx, type XlsxColumn } from '../../platform/importer.js';
import type { Scope } from '../../platform/scope.js';
import { write } from '../../platform/write.js';
import { IMPORT_HEADERS, REQUIRED_IMPORT_HEADERS, memberListQuery, type MemberListQuery } from './contract.js';
import { memberWhere } from './queries.js';

/**
 * Member roster export and the import template. Both use the import's Chinese headers in the same
 * order, so an export (unmasked) can be fixed in Excel and imported again. ID numbers, mobiles and
 * addresses are masked unless the actor may see personal data for every exported member and asked
 * for it; every export is audited.
 */
export const memberExportQuery = memberListQuery.extend({
  unmask: z.enum(['0', '1', 'true', 'false'], { message: 'unmask 应为 0 或 1' }).optional(),
});
export type MemberExportQuery = z.infer<typeof memberExportQuery>;

type ColumnKey = keyof typeof IMPORT_HEADERS | 'orgCode';
const TEXT_COLUMNS: ColumnKey[] = ['idNumber', 'mobile'];
const COLUMN_KEYS = [...(Object.keys(IMPORT_HEADERS) as (keyof typeof IMPORT_HEADERS)[]), 'orgCode'] as ColumnKey[];
const headerOf = (k: ColumnKey) => (k === 'orgCode' ? '党组织代码' : IMPORT_HEADERS[k]);
const columnsOf = (keys: ColumnKey[]): XlsxColumn[] => keys.map((k) => ({ header: headerOf(k), text: TEXT_COLUMNS.includes(k) }));

const dateCell = (d: string | null) => (d ? new Date(`${d}T00:00:00Z`) : null);
const STAGE_LABEL: Record<string, string> = { full: '正式党员', probationary: '预备党员' };
const PAGE = 2000;

/** The masked q of a filter: a search by mobile or ID number must not land in the audit log in clear. */
function auditFilter(q: Partial<MemberListQuery>) {
  const { page: _p, pageSize: _s, ...rest } = q as MemberListQuery;
  if (!rest.q) return rest;
  const digits = rest.q.replace(/[\s-]/g, '');
  const masked = /^\d{15}$|^\d{17}[\dxX]$/.test(digits) ? maskIdNumber(digits) : /^(\+?86)?1\d{10}$/.test(digits) ? maskMobile(digits.slice(-11)) : rest.q;
  return { ...rest, q: masked };
}

interface ExportRow {
  id: number; name: string; gender: string; ethnicity: string; birth_date: string | null; education: string | null; occupation: string | null;
  work_unit: string | null; stage: string; admitted_on: string | null; full_on: string | null; org_path: string; org_name: string; org_code: string;
  id_number_masked: string | null; mobile_masked: string | null; id_number_enc: string | null; mobile_enc: string | null; address_enc: string | null;
  relation_start: string | null;
}

/**
 * Rows in (org path, name, id) order: one sort over the ids, then the wide rows a page at a time by
 * primary key (a keyset over an unindexed order re-sorted the whole set for every page: 10 s at 60,000).
 * The filter is applied again on every page, so a member moved out of scope meanwhile is not exported.
 */
async function* exportRows(db: Db, where: SQL, unmask: boolean): AsyncGenerator<ExportRow> {
  const ids = (await rows<{ id: number }>(db, sql`select p.id from people p where ${where} order by p.org_path, p.name, p.id`)).map((r) => Number(r.id));
  for (let i = 0; i < ids.length; i += PAGE) {
    const chunk = ids.slice(i, i + PAGE);
    const page = await rows<ExportRow>(
      db,
      sql`select p.id, p.name, p.gender, p.ethnicity, p.birth_date, p.education, p.occupation, p.work_unit, p.stage, p.admitted_on, p.full_on,
            p.org_path, o.name as org_name, o.code as org_code, p.id_number_masked, p.mobile_masked,
            ${unmask ? sql`p.id_number_enc, p.mobile_enc, p.address_enc` : sql`null as id_number_enc, null as mobile_enc, null as address_enc`},
            case when p.relation_start_presumed then null else (
              select min(m.valid_from) from membership_periods m where m.person_id = p.id and m.org_id = p.org_id
                and m.valid_from >= coalesce((select max(x.valid_to) from membership_periods x where x.person_id = p.id and x.org_id <> p.org_id), '1800-01-01')
            ) end as relation_start
          from people p join orgs o on o.id = p.org_id
          where p.id = any(${`{${chunk.join(',')}}`}::int[]) and ${where}`,
    );
    const byId = new Map(page.map((r) => [Number(r.id), r]));
    for (const id of chunk) {
      const r = byId.get(id);
      if (r) yield r;
    }
  }
}

export interface ExportRequest {
  tenantId: number;
  actor: Actor;
  scope: Scope;
  /** canViewPersonalData at an org path (canViewPersonalDataAt for a user; true for the CLI). */
  canViewAt: (orgPath: string) => boolean;
  query: Partial<MemberListQuery>;
  unmask: boolean;
}

export async function exportMembers(ctx: AppContext, req: ExportRequest): Promise<{ buffer: Buffer; filename: string; rowCount: number; unmasked: boolean }> {
  const db = ctx.db;
  const today = ctx.clock.today();
  const where = await memberWhere(db, req.scope, req.query, today, ctx.cipher, req.canViewAt);
  if (req.unmask) {
    const paths = await rows<{ org_path: string }>(db, sql`select distinct p.org_path from people p where ${where}`);
    if (paths.some((p) => !req.canViewAt(p.org_path))) {
      throw forbidden('您没有查看其中部分党员完整个人信息的权限，不能导出完整的身份证号和手机号；请取消“显示完整信息”后导出');
    }
  }
  let rowCount = 0;
  const dec = (v: string | null) => (v ? ctx.cipher.decrypt(v) : null);
  async function* sheetRows() {
    for await (const r of exportRows(db, where, req.unmask)) {
      rowCount += 1;
      const cells: Record<ColumnKey, unknown> = {
        name: r.name,
        gender: r.gender === 'male' ? '男' : r.gender === 'female' ? '女' : r.gender,
        ethnicity: r.ethnicity,
        idNumber: req.unmask ? dec(r.id_number_enc) : r.id_number_masked,
        birthDate: dateCell(r.birth_date),
        education: r.education ? labelOf(EDUCATION_LEVELS, r.education as never) : null,
        mobile: req.unmask ? dec(r.mobile_enc) : r.mobile_masked,
        org: r.org_name,
        stage: STAGE_LABEL[r.stage] ?? r.stage,
        admittedOn: dateCell(r.admitted_on),
        fullOn: dateCell(r.full_on),
        occupation: r.occupation ? labelOf(OCCUPATIONS, r.occupation as never) : null,
        workUnit: r.work_unit,
        relationStart: dateCell(r.relation_start),
        address: req.unmask ? dec(r.address_enc) : null,
        orgCode: r.org_code,
      };
      yield COLUMN_KEYS.map((k) => cells[k]);
    }
  }
  const buffer = await writeXlsx([{ name: '党员名单', columns: columnsOf(COLUMN_KEYS), rows: sheetRows() }]);
  await write(ctx, req.tenantId, req.actor, async (w) => {
    w.audit({ action: 'export', entity: 'person', orgId: req.query.org ?? scopeRootOrg(req.scope), meta: { filter: auditFilter(req.query), rowCount, unmasked: req.unmask } });
  });
  return { buffer, filename: `党员名单_${today}.xlsx`, rowCount, unmasked: req.unmask };
}

// ─── The import template ───────────────────────────────────────────────────

const REQUIRED = new Set<string>(REQUIRED_IMPORT_HEADERS);
const NOTES: Record<keyof typeof IMPORT_HEADERS, string> = {
  name: '与身份证一致',
  gender: '男 或 女',
  ethnicity: '56 个民族之一，如“汉族”',
  idNumber: '18 位（15 位旧号码会自动转换），末位 x 可小写；请保持本列为“文本”格式',
  birthDate: '如 1990-01-01、1990.01.01、1990/1/1 或 1990年1月1日；须与身份证号码一致',
  education: '研究生、大学本科、大学专科、中等专科、高中/中技、初中及以下',
  mobile: '11 位手机号码；请保持本列为“文本”格式',
  org: '党组织代码，或组织全称（同名组织须填代码）',
  stage: '正式党员 或 预备党员',
  admittedOn: '日期格式同“出生日期”',
  fullOn: '正式党员填写；预备党员留空',
  occupation: '党内统计职业分类，如“企事业单位、社会组织专业技术人员”“离退休人员”',
  workUnit: '选填',
  relationStart: '选填：组织关系转入本组织的日期；不填则按入党日期推定',
  address: '选填；系统加密保存',
};

function exampleRow(): Record<keyof typeof IMPORT_HEADERS, string> {
  const first17 = '11010519900101001';
  return {
    name: '张三', gender: '男', ethnicity: '汉族', idNumber: first17 + idCheckDigit(first17), birthDate: '1990-01-01', education: '大学本科',
    mobile: '13800000000', org: '中共××社区第一党支部', stage: '正式党员', admittedOn: '2015-07-01', fullOn: '2016-07-01',
    occupation: '企事业单位、社会组织专业技术人员', workUnit: '××有限公司', relationStart: '2018-03-15', address: '××市××区××路1号',
  };
}

/** The template: the data sheet (headers only, dropdowns), 填写说明 with the example, hidden option lists. */
export async function memberTemplateXlsx(): Promise<Buffer> {
  const keys = Object.keys(IMPORT_HEADERS) as (keyof typeof IMPORT_HEADERS)[];
  const idx = (k: keyof typeof IMPORT_HEADERS) => keys.indexOf(k);
  const ex = exampleRow();
  const options: unknown[][] = ETHNICITIES.map((e, i) => [e.label, OCCUPATIONS[i]?.label ?? null]);
  return writeXlsx([
    {
      name: '党员信息',
      columns: keys.map((k) => ({ header: IMPORT_HEADERS[k], text: TEXT_COLUMNS.includes(k), width: Math.max(12, IMPORT_HEADERS[k].length * 2 + 4) })),
      rows: [],
      validations: [
        { column: idx('gender'), list: ['男', '女'], rows: 5000 },
        { column: idx('stage'), list: ['正式党员', '预备党员'], rows: 5000 },
        { column: idx('education'), list: EDUCATION_LEVELS.map((e) => e.label), rows: 5000 },
        { column: idx('ethnicity'), range: `'选项'!$A$2:$A$${ETHNICITIES.length + 1}`, rows: 5000 },
        { column: idx('occupation'), range: `'选项'!$B$2:$B$${OCCUPATIONS.length + 1}`, rows: 5000 },
      ],
    },
    {
      name: '填写说明',
      columns: [{ header: '列名' }, { header: '是否必填' }, { header: '填写要求', width: 60 }, { header: '示例行（仅供参考，请勿填入“党员信息”表）', width: 36 }],
      rows: [
        ...keys.map((k) => [IMPORT_HEADERS[k], REQUIRED.has(k) ? '必填' : '选填', NOTES[k], ex[k]]),
        [],
        ['说明', '', '请在“党员信息”表中从第 2 行起逐行填写，表头不要改动，列的顺序可以调整，多余的列会被忽略。'],
        ['说明', '', '导入为“全部成功或全部不导入”：只要有一行有误，就不会保存任何数据，并列出每一行的错误原因。'],
        ['说明', '', '公民身份号码、手机号码与系统中已有人员或本文件其他行重复的，视为错误。'],
      ],
    },
    { name: '选项', columns: [{ header: '民族' }, { header: '职业', width: 40 }], rows: options, hidden: true },
  ]);
}

/** The org an export of a whole scope is filed under in the audit log (the scope's single root), so scoped readers see it. */
function scopeRootOrg(scope: Scope): number | null {
  if (scope.paths.length !== 1) return null;
  const ids = scope.paths[0].split('/').filter(Boolean);
  return Number(ids[ids.length - 1]);
}
