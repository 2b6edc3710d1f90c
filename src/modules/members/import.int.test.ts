import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { one, rows } from '../../db/connection.js';
import { openTestApp, type TestApp } from '../../../test/db.js';
import { addDays } from '../../domain/dates.js';
import { idCheckDigit } from '../../domain/idNumber.js';
import { awaitImportRun } from '../../platform/importer.js';

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(async () => t?.close());

const BRANCH1 = 'SFX010101';
const OTHER_BRANCH = 'SFX010102';
type Row = Record<string, unknown>;

let serial = 0;
/** A valid roster row with a unique fictional ID number (area 330198) and mobile. */
function person(over: Row = {}): Row {
  serial += 1;
  const birth = addDays('1960-01-01', serial * 3);
  const male = serial % 2 === 1;
  const first17 = `330198${birth.replace(/-/g, '')}${String((serial % 500) * 2 + (male ? 1 : 0)).padStart(3, '0')}`;
  return {
    姓名: `导入测试${serial}`, 性别: male ? '男' : '女', 民族: '汉族', 公民身份号码: first17 + idCheckDigit(first17), 出生日期: birth,
    学历: '大学本科', 手机号码: `15${String(100_000_000 + serial).slice(-9)}`, 所在党组织: BRANCH1, 人员类别: '正式党员',
    入党日期: '2010-07-01', 转正日期: '2011-07-01', ...over,
  };
}

async function xlsx(data: Row[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('党员信息');
  const headers = [...new Set(data.flatMap((r) => Object.keys(r)))];
  ws.addRow(headers);
  for (const r of data) ws.addRow(headers.map((h) => r[h] ?? null));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function multipart(file: Buffer, filename: string) {
  const boundary = `----zhibu${Math.random().toString(16).slice(2)}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

async function importFile(user: string, file: Buffer, filename = '党员名册.xlsx') {
  const cookie = await t.login(user);
  const m = multipart(file, filename);
  const res = await t.built.app.inject({ method: 'POST', url: '/api/members/import', headers: { cookie, 'content-type': m.contentType }, payload: m.body });
  expect(res.statusCode, res.body).toBe(202);
  const { runId } = res.json() as { runId: string };
  await awaitImportRun(runId);
  const status = await t.built.app.inject({ method: 'GET', url: `/api/imports/${runId}`, headers: { cookie } });
  expect(status.statusCode).toBe(200);
  return { runId, ...(status.json() as { status: string; done: number; total: number; imported: number; errorCount: number; errors: { row: number; column?: string; reason: string }[]; warnings: { row: number; column?: string; reason: string }[] }) };
}

const stored = async (ids: unknown[]) => {
  const bidx = ids.map((id) => t.ctx.cipher.blindIndex('idNumber', String(id)));
  const r = await one<{ n: number }>(t.ctx.db, sql`select count(*)::int as n from people where id_number_bidx in (${sql.join(bidx.map((b) => sql`${b}`), sql`, `)})`);
  return r!.n;
};
const auditCount = async (action: string) => (await one<{ n: number }>(t.ctx.db, sql`select count(*)::int as n from audit_log where action = ${action}`))!.n;

async function readXlsx(body: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as never);
  return wb;
}

describe(`member import (${process.env.ZHIBU_TEST_DB ?? 'pglite'})`, () => {
  it('refuses anonymous users and members without the import or export right', async () => {
    for (const url of ['/api/members/import/template', '/api/members/export', '/api/imports/x']) {
      expect((await t.built.app.inject({ method: 'GET', url })).statusCode).toBe(401);
      expect((await t.built.app.inject({ method: 'GET', url, headers: { cookie: await t.login('member1') } })).statusCode).toBe(403);
    }
    const m = multipart(await xlsx([person()]), 'a.xlsx');
    const res = await t.built.app.inject({ method: 'POST', url: '/api/members/import', headers: { cookie: await t.login('member1'), 'content-type': m.contentType }, payload: m.body });
    expect(res.statusCode).toBe(403);
    const noFile = await t.built.app.inject({ method: 'POST', url: '/api/members/import', headers: { cookie: await t.login('branch1') }, payload: {} });
    expect(noFile.statusCode).toBe(400);
  });

  it('serves the template: required and optional headers, example on 填写说明, Chinese file name', async () => {
    const res = await t.built.app.inject({ method: 'GET', url: '/api/members/import/template', headers: { cookie: await t.login('branch1') } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('党员信息导入模板.xlsx')}`);
    const wb = await readXlsx(res.rawPayload);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['党员信息', '填写说明', '选项']);
    const data = wb.worksheets[0];
    const headers = (data.getRow(1).values as unknown[]).slice(1);
    for (const h of ['姓名', '性别', '民族', '公民身份号码', '出生日期', '学历', '手机号码', '所在党组织', '人员类别', '入党日期', '转正日期', '职业', '工作单位', '转入本组织日期', '家庭住址']) {
      expect(headers).toContain(h);
    }
    expect(data.actualRowCount).toBe(1);
    expect(JSON.stringify(wb.worksheets[1].getRow(1).values)).toContain('示例');
  });

  it('imports a valid 3-row xlsx with membership periods, audit entries and the import run', async () => {
    const data = [person(), person({ 人员类别: '预备党员', 入党日期: '2026-03-01', 转正日期: null }), person({ 转入本组织日期: '2018-05-01', 家庭住址: '示范县幸福路1号' })];
    const before = await auditCount('create');
    const r = await importFile('branch1', await xlsx(data), '三名党员.xlsx');
    expect(r).toMatchObject({ status: 'done', imported: 3, total: 3, done: 3, errorCount: 0 });
    expect(await stored(data.map((d) => d.公民身份号码))).toBe(3);
    const people = await rows<{ id: number; stage: string; org_code: string; relation_start_presumed: boolean; address_enc: string | null }>(
      t.ctx.db, sql`select p.id, p.stage, o.code as org_code, p.relation_start_presumed, p.address_enc from people p join orgs o on o.id = p.org_id where p.name in (${data[0].姓名}, ${data[1].姓名}, ${data[2].姓名}) order by p.name`,
    );
    expect(people.map((p) => p.org_code)).toEqual([BRANCH1, BRANCH1, BRANCH1]);
    expect(people.map((p) => p.stage)).toEqual(['full', 'probationary', 'full']);
    expect(people[2].relation_start_presumed).toBe(false);
    expect(t.ctx.cipher.decrypt(people[2].address_enc!)).toBe('示范县幸福路1号');
    const periods = await rows<{ person_id: number; stage: string; valid_from: string; start_presumed: boolean }>(
      t.ctx.db, sql`select person_id, stage, valid_from, start_presumed from membership_periods where person_id = ${people[2].id} order by valid_from`,
    );
    expect(periods.map((p) => [p.stage, p.valid_from])).toEqual([['full', '2018-05-01']]);
    expect(await auditCount('create')).toBe(before + 3);
    const audit = await rows<{ after: { idNumber: string } }>(t.ctx.db, sql`select after from audit_log where action = 'create' and entity = 'person' order by seq desc limit 3`);
    for (const a of audit) expect(a.after.idNumber).toMatch(/^\d{6}\*{10}[\dX]{2}$/);
    const run = await one<{ status: string; filename: string; total: number }>(t.ctx.db, sql`select status, filename, total from import_runs order by id desc limit 1`);
    expect(run).toEqual({ status: 'done', filename: '三名党员.xlsx', total: 3 });
  });

  it('stores nothing when one row has a bad ID check digit, and reports that row in Chinese', async () => {
    const good = [person(), person()];
    const bad = person();
    const id = String(bad.公民身份号码);
    bad.公民身份号码 = id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
    const audits = await auditCount('import');
    const r = await importFile('branch1', await xlsx([good[0], bad, good[1]]));
    expect(r.status).toBe('rejected');
    expect(r.imported).toBe(0);
    expect(r.errors).toEqual([{ row: 3, column: '公民身份号码', reason: expect.stringContaining('校验码') }]);
    expect(await stored(good.map((g) => g.公民身份号码))).toBe(0);
    // the rejected attempt is itself audited and recorded, without personal data
    expect(await auditCount('import')).toBe(audits + 1);
    const last = await one<{ meta: { ok: boolean; errorCount: number } }>(t.ctx.db, sql`select meta from audit_log where action = 'import' order by seq desc limit 1`);
    expect(last!.meta).toMatchObject({ ok: false, errorCount: 1 });
    const run = await one<{ status: string; errors: unknown }>(t.ctx.db, sql`select status, errors from import_runs order by id desc limit 1`);
    expect(run!.status).toBe('rejected');
    expect(JSON.stringify(run!.errors)).not.toContain(String(bad.公民身份号码));

    // the error report: original columns + 错误原因, one line per bad row
    const cookie = await t.login('branch1');
    const rep = await t.built.app.inject({ method: 'GET', url: `/api/imports/${r.runId}/errors.xlsx`, headers: { cookie } });
    expect(rep.statusCode).toBe(200);
    const ws = (await readXlsx(rep.rawPayload)).worksheets[0];
    const headers = (ws.getRow(1).values as unknown[]).slice(1);
    expect(headers.slice(0, 11)).toEqual(Object.keys(bad));
    expect(headers.at(-1)).toBe('错误原因');
    expect(ws.actualRowCount).toBe(2);
    expect(ws.getRow(2).getCell(1).value).toBe(bad.姓名);
    expect(String(ws.getRow(2).getCell(headers.length).value)).toContain('校验码');
    // runs are visible only to the user who started them
    const other = await t.built.app.inject({ method: 'GET', url: `/api/imports/${r.runId}`, headers: { cookie: await t.login('street1') } });
    expect(other.statusCode).toBe(404);
  });

  it('reports duplicates within the file (both rows named) and against the database', async () => {
    const a = person();
    const b = person({ 公民身份号码: a.公民身份号码, 出生日期: a.出生日期, 性别: a.性别 });
    const c = person({ 手机号码: a.手机号码 });
    const r = await importFile('branch1', await xlsx([a, b, c]));
    expect(r.status).toBe('rejected');
    // ID numbers stay unique; a shared mobile is only a note (families share one phone)
    expect(r.errors).toEqual([{ row: 3, column: '公民身份号码', reason: expect.stringMatching(/第 2 行.*第 3 行/) }]);

    const first = person();
    expect((await importFile('branch1', await xlsx([first]))).status).toBe('done');
    const again = await importFile('branch1', await xlsx([person(), { ...first, 手机号码: person().手机号码 }]));
    expect(again.status).toBe('rejected');
    expect(again.errors).toEqual([{ row: 3, column: '公民身份号码', reason: `公民身份号码与系统中已有人员“${first.姓名}”重复` }]);
  });

  it('a mobile shared within the file or with a person in scope is a warning in the row report, not a refusal; out of scope it is not mentioned', async () => {
    const a = person();
    const b = person({ 手机号码: a.手机号码 });
    const r = await importFile('branch1', await xlsx([a, b]));
    expect(r.status).toBe('done');
    expect(r.imported).toBe(2);
    expect(r.warnings).toEqual([{ row: 3, column: '手机号码', reason: expect.stringMatching(/与第 2 行相同（可能为家庭共用）/) }]);
    const c = person({ 手机号码: a.手机号码 });
    const again = await importFile('branch1', await xlsx([c]));
    expect(again.status).toBe('done');
    expect(again.warnings).toEqual([{ row: 2, column: '手机号码', reason: expect.stringMatching(new RegExp(`与系统中已有人员“(${a.姓名}|${b.姓名})”相同`)) }]);
    // both people's pages show the sharing (in the importer's scope)
    const ida = (await one<{ id: number }>(t.ctx.db, sql`select id from people where name = ${a.姓名} order by id desc limit 1`))!.id;
    const detail = await t.built.app.inject({ method: 'GET', url: `/api/members/${ida}`, headers: { cookie: await t.login('branch1') } });
    expect(detail.json().sharedMobileWith.map((x: { name: string }) => x.name).sort()).toEqual([b.姓名, c.姓名].sort());
    // a mobile held by someone outside branch1's scope: imported, and nobody is named or hinted at
    const outside = (await one<{ enc: string }>(t.ctx.db, sql`select p.mobile_enc as enc from people p join orgs o on o.id = p.org_id
      where o.code = ${OTHER_BRANCH} and p.mobile_enc is not null order by p.id limit 1`))!;
    const d = await importFile('branch1', await xlsx([person({ 手机号码: t.ctx.cipher.decrypt(outside.enc) })]));
    expect(d.status).toBe('done');
    expect(d.warnings).toEqual([]);
  });

  it('a duplicate of a person outside the importer’s scope is reported without naming the person (issue 17 finding 10)', async () => {
    const other = (await one<{ enc: string; name: string; birth_date: string; gender: string }>(t.ctx.db, sql`select p.id_number_enc as enc, p.name, p.birth_date, p.gender
      from people p join orgs o on o.id = p.org_id where o.code = ${OTHER_BRANCH} and p.id_number_enc is not null order by p.id limit 1`))!;
    const full = t.ctx.cipher.decrypt(other.enc);
    const r = await importFile('branch1', await xlsx([person({ 公民身份号码: full, 出生日期: other.birth_date, 性别: other.gender === 'male' ? '男' : '女' })]));
    expect(r.status).toBe('rejected');
    expect(r.errors).toEqual([{ row: 2, column: '公民身份号码', reason: '公民身份号码与系统中已有人员重复' }]);
    expect(JSON.stringify(r)).not.toContain(other.name);
  });

  it('re-evaluates findings in the same write: a member imported without an ID number gets one', async () => {
    const p = person({ 公民身份号码: null, 性别: '女' });
    const r = await importFile('branch1', await xlsx([p]));
    expect(r.status).toBe('done');
    const f = await rows(t.ctx.db, sql`select f.id from findings f join people p on f.subject_id = p.id::text
      where f.rule_id = 'members.idNumber.problem' and f.status = 'open' and p.name = ${p.姓名}`);
    expect(f).toHaveLength(1);
  });

  it('accepts 2020.07.01, 2020年7月1日, 2020/7/1, Excel serials, date cells and full-width digits', async () => {
    const data = [
      person({ 入党日期: '2020.07.01', 转正日期: '2021.07.01' }),
      person({ 入党日期: '2020年7月1日', 转正日期: '2021年7月1日' }),
      person({ 入党日期: 44013, 转正日期: 44378 }),
      person({ 入党日期: '２０２０－０７－０１', 转正日期: '２０２１年７月１日' }),
      person({ 入党日期: new Date(Date.UTC(2020, 6, 1)), 转正日期: '2021/7/1' }),
    ];
    const r = await importFile('branch1', await xlsx(data));
    expect(r.errors).toEqual([]);
    const got = await rows<{ admitted_on: string; full_on: string }>(
      t.ctx.db, sql`select admitted_on, full_on from people where name in (${sql.join(data.map((d) => sql`${d.姓名}`), sql`, `)})`,
    );
    expect(got).toHaveLength(5);
    for (const g of got) expect(g).toEqual({ admitted_on: '2020-07-01', full_on: '2021-07-01' });
  });

  it("refuses another branch's org code for branch1, and unknown or ambiguous org names", async () => {
    const branchName = (await one<{ name: string }>(t.ctx.db, sql`select name from orgs where code = ${BRANCH1}`))!.name;
    const r = await importFile('branch1', await xlsx([person({ 所在党组织: OTHER_BRANCH }), person({ 所在党组织: '不存在的党支部' }), person({ 所在党组织: branchName })]));
    expect(r.status).toBe('rejected');
    expect(r.errors).toEqual([
      { row: 2, column: '所在党组织', reason: expect.stringContaining('不在您的管理范围内') },
      { row: 3, column: '所在党组织', reason: expect.stringContaining('未找到党组织') },
    ]);
    // a second org with the same full name makes the name ambiguous: the row must give the code
    const parent = (await one<{ id: number; path: string; tenant_id: number }>(t.ctx.db, sql`select id, path, tenant_id from orgs where code = 'SFX01'`))!;
    const dup = (await one<{ id: number }>(t.ctx.db, sql`insert into orgs (tenant_id, parent_id, path, depth, name, kind, code, created_at, updated_at)
      values (${parent.tenant_id}, ${parent.id}, 'pending', 2, ${branchName}, 'branch', 'SFXDUP', 'now', 'now') returning id`))!;
    await t.ctx.db.execute(sql`update orgs set path = ${`${parent.path}${dup.id}/`} where id = ${dup.id}`);
    const amb = await importFile('branch1', await xlsx([person({ 所在党组织: branchName })]));
    expect(amb.errors).toEqual([{ row: 2, column: '所在党组织', reason: expect.stringContaining('请改填党组织代码') }]);
    expect((await importFile('branch1', await xlsx([person({ 所在党组织: BRANCH1 })]))).status).toBe('done');
  });

  it('reads CSV uploads and refuses a file that is not a spreadsheet', async () => {
    const p = person();
    const text = `${Object.keys(p).join(',')}\n${Object.values(p).join(',')}\n`;
    const ok = await importFile('branch1', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), '名册.csv');
    expect(ok.status).toBe('done');
    const pdf = await importFile('branch1', Buffer.from('%PDF-1.4\u0000binary'), '名册.pdf');
    expect(pdf.status).toBe('rejected');
    expect(pdf.errors[0]).toMatchObject({ row: 0, reason: expect.stringContaining('不支持的文件类型') });
  });

  it('imports 2,000 rows atomically, with progress reaching done == total', async () => {
    const data = Array.from({ length: 2000 }, () => person());
    const broken = [...data.slice(0, 1999), { ...data[1999], 民族: '火星族' }];
    const rejected = await importFile('branch1', await xlsx(broken));
    expect(rejected.status).toBe('rejected');
    expect(rejected.errors).toEqual([{ row: 2001, column: '民族', reason: expect.stringContaining('不是 56 个民族之一') }]);
    expect(await stored(data.map((d) => d.公民身份号码))).toBe(0);

    const r = await importFile('branch1', await xlsx(data));
    expect(r).toMatchObject({ status: 'done', imported: 2000, total: 2000, done: 2000 });
    expect(await stored(data.map((d) => d.公民身份号码))).toBe(2000);
  });
});

describe(`member export (${process.env.ZHIBU_TEST_DB ?? 'pglite'})`, () => {
  it('exports masked xlsx with the import headers and audits it', async () => {
    const cookie = await t.login('branch1');
    const before = await auditCount('export');
    const res = await t.built.app.inject({ method: 'GET', url: '/api/members/export?q=13912345678', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    const all = await t.built.app.inject({ method: 'GET', url: '/api/members/export', headers: { cookie } });
    expect(all.statusCode).toBe(200);
    expect(all.headers['content-type']).toContain('spreadsheetml');
    const ws = (await readXlsx(all.rawPayload)).worksheets[0];
    const headers = (ws.getRow(1).values as unknown[]).slice(1);
    expect(headers.slice(0, 11)).toEqual(['姓名', '性别', '民族', '公民身份号码', '出生日期', '学历', '手机号码', '所在党组织', '人员类别', '入党日期', '转正日期']);
    const idCol = headers.indexOf('公民身份号码') + 1;
    let n = 0;
    ws.eachRow((row, i) => {
      if (i === 1) return;
      n += 1;
      const v = row.getCell(idCol).value;
      if (v) expect(String(v)).toMatch(/^\d{6}\*{10}[\dX]{2}$/);
    });
    expect(n).toBeGreaterThan(2000);
    expect(await auditCount('export')).toBe(before + 2);
    const a = await rows<{ meta: { rowCount: number; unmasked: boolean; filter: { q?: string } } }>(t.ctx.db, sql`select meta from audit_log where action = 'export' order by seq desc limit 2`);
    expect(a[0].meta).toMatchObject({ rowCount: n, unmasked: false });
    expect(a[1].meta.filter.q).toBe('139****5678');
  });

  it('unmasks only with canViewPersonalData on every member, and the unmasked export re-imports cleanly', async () => {
    const denied = await t.built.app.inject({ method: 'GET', url: '/api/members/export?unmask=1', headers: { cookie: await t.login('branch1') } });
    expect(denied.statusCode).toBe(403);
    const org = (await one<{ id: number }>(t.ctx.db, sql`select id from orgs where code = 'SFX010102'`))!.id;
    const res = await t.built.app.inject({ method: 'GET', url: `/api/members/export?org=${org}&unmask=1`, headers: { cookie: await t.login('county') } });
    expect(res.statusCode).toBe(200);
    const ws = (await readXlsx(res.rawPayload)).worksheets[0];
    const ids: string[] = [];
    ws.eachRow((row, i) => { if (i > 1 && row.getCell(4).value) ids.push(String(row.getCell(4).value)); });
    expect(ids.length).toBeGreaterThan(5);
    for (const id of ids) expect(id).toMatch(/^\d{17}[\dX]$/);
    const last = await one<{ meta: { unmasked: boolean } }>(t.ctx.db, sql`select meta from audit_log where action = 'export' order by seq desc limit 1`);
    expect(last!.meta.unmasked).toBe(true);
    // every row of the export parses; the only complaints are that these people already exist
    const again = await importFile('county', res.rawPayload, '导出.xlsx');
    expect(again.status).toBe('rejected');
    expect(again.errors.length).toBeGreaterThan(0);
    for (const e of again.errors) expect(e.reason).toContain('与系统中已有人员');
  });
});
