import { inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { one } from '../../db/connection.js';
import { listZipEntries } from '../../platform/attachments.js';
import { openTestApp, type TestApp } from '../../../test/db.js';

/**
 * Issue 16 web slice, exports: the demo county's finished session of last year and a subdistrict's
 * draft as xlsx (opened again with ExcelJS: every cell equals the score sheet the API answers) and
 * the grading announcement as docx (its text names every org and its grade; a draft has none).
 */
let t: TestApp;
let finished = 0;
let draft = 0;
beforeAll(async () => {
  t = await openTestApp();
  finished = Number((await one<{ id: number }>(t.ctx.db, sql`select id from assessment_sessions where status = 'final' order by id limit 1`))!.id);
  draft = Number((await one<{ id: number }>(t.ctx.db, sql`select id from assessment_sessions where status = 'draft' order by id limit 1`))!.id);
});
afterAll(async () => t?.close());

async function get(user: string, url: string) {
  return t.built.app.inject({ method: 'GET', url, headers: { cookie: await t.login(user) } });
}

interface Sheet { title: string; status: string; tree: { categories: { label: string; indicators: { key: string; label: string; maxScore: number }[] }[] }; orgs: { org: { name: string }; cells: { indicator: string; score: number | null; note?: string | null }[]; total: number | null; proposed: string | null; grade: string | null }[] }

async function checkXlsx(id: number) {
  const sheet = (await get('county', `/api/assessment-sessions/${id}`)).json() as Sheet;
  const res = await get('county', `/api/assessment-sessions/${id}/sheet.xlsx`);
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  expect(res.headers['content-disposition']).toContain(encodeURIComponent(`${sheet.title}评分表.xlsx`));
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const ws = wb.getWorksheet('评分表')!;
  const row = (n: number) => (ws.getRow(n).values as unknown[]).slice(1);
  expect(row(1)).toEqual(['类别', '指标', '满分', ...sheet.orgs.map((o) => o.org.name)]);
  const indicators = sheet.tree.categories.flatMap((c) => c.indicators.map((i) => ({ ...i, category: c.label })));
  expect(indicators.length).toBeGreaterThan(0);
  indicators.forEach((i, n) => {
    const r = row(n + 2);
    expect(r.slice(0, 3)).toEqual([i.category, i.label, i.maxScore]);
    sheet.orgs.forEach((o, k) => expect(r[3 + k] ?? null, `${o.org.name} ${i.label}`).toBe(o.cells.find((c) => c.indicator === i.key)!.score));
  });
  const totals = row(indicators.length + 2);
  expect(totals[1]).toBe('总分');
  expect(totals.slice(3)).toEqual(sheet.orgs.map((o) => o.total));
  expect(row(indicators.length + 3).slice(3)).toEqual(sheet.orgs.map((o) => o.proposed));
  const notes = wb.getWorksheet('得分说明')!;
  const noted = sheet.orgs.flatMap((o) => o.cells.filter((c) => c.note).map((c) => c.note));
  const texts = notes.getColumn(9).values.slice(2);
  for (const n of noted) expect(texts).toContain(n);
  return sheet;
}

function docxText(buf: Buffer): string {
  const e = listZipEntries(buf)!.find((x) => x.name === 'word/document.xml')!;
  const p = e.localHeaderOffset;
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  const data = buf.subarray(start, start + e.compressedSize);
  const xml = (e.method === 8 ? inflateRawSync(data) : data).toString('utf8');
  return [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
}

describe(`assessment exports (${process.env.ZHIBU_TEST_DB ?? 'pglite'})`, () => {
  it('the score sheet as xlsx equals the score sheet, for a finished session and a draft', async () => {
    const f = await checkXlsx(finished);
    expect(f.status).toBe('final');
    expect(f.orgs.every((o) => o.grade)).toBe(true);
    const d = await checkXlsx(draft);
    expect(d.status).toBe('draft');
  });

  it('the grading announcement names every org with its grade; a draft has no announcement; scope and permission hold', async () => {
    const sheet = (await get('county', `/api/assessment-sessions/${finished}`)).json() as Sheet;
    const res = await get('county', `/api/assessment-sessions/${finished}/announcement.docx`);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const text = docxText(res.rawPayload);
    expect(text).toContain(`关于${sheet.title}结果的通报`);
    for (const o of sheet.orgs) {
      expect(text).toContain(o.org.name);
      const line = text.match(new RegExp(`“${o.grade}”等次（\\d+个）：[^。]*${o.org.name}`));
      expect(line, `${o.org.name} ${o.grade}`).not.toBeNull();
      expect(text).toContain(`${o.org.name}${o.total!.toFixed(2)}${o.grade}`);
    }
    expect((await get('county', `/api/assessment-sessions/${draft}/announcement.docx`)).statusCode).toBe(409);
    expect((await get('street1', `/api/assessment-sessions/${finished}/sheet.xlsx`)).statusCode).toBe(404);
    expect((await get('member1', `/api/assessment-sessions/${finished}/sheet.xlsx`)).statusCode).toBe(403);
  });

  it('the demo ledger: two confirmed weak organizations, one closed out with material, one rectifying with progress', async () => {
    const res = await get('county', '/api/weak-orgs');
    expect(res.statusCode).toBe(200);
    const list = res.json() as { status: string; decision: { confirmed: boolean }; progress: unknown[]; closeAttachmentIds: number[]; closeDecision: string | null }[];
    expect(list.map((x) => x.status).sort()).toEqual(['closed', 'rectifying']);
    expect(list.every((x) => x.decision.confirmed === true && x.progress.length >= 2)).toBe(true);
    const closed = list.find((x) => x.status === 'closed')!;
    expect(closed.closeAttachmentIds).toHaveLength(1);
    expect(closed.closeDecision).toContain('同意销号');
    const att = await one<{ filename: string; mime: string; org_id: number }>(t.ctx.db, sql`select filename, mime, org_id from attachments where id = ${closed.closeAttachmentIds[0]}`);
    expect(att).toMatchObject({ filename: '整顿销号验收表.png', mime: 'image/png' });
  });
});
