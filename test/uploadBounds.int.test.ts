import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, type TestApp } from './db.js';
import { awaitImportRun, startImportRun } from '../src/platform/importer.js';
import { craftedXlsx, headerRowXml, inlineCellXml, templateHeaders } from './zipCraft.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Issue 17 #4: uploads cannot exhaust the server's memory. The attack files are generated here:
 * a 300 MiB cell (~300 KB as xlsx), a zip bomb (1 GiB of rows), one cell per row in column XFD.
 * Each is refused with a Chinese message, the resident set stays bounded, the server answers.
 */
let t: TestApp;
let headers: string[];
beforeAll(async () => {
  t = await openTestApp();
  const tpl = await t.built.app.inject({ method: 'GET', url: '/api/members/import/template', headers: { cookie: await t.login('branch1') } });
  headers = await templateHeaders(tpl.rawPayload);
});
afterAll(async () => t?.close());

function multipart(file: Buffer, filename: string) {
  const boundary = `----zhibu${Math.random().toString(16).slice(2)}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

async function upload(file: Buffer, user = 'branch1') {
  const m = multipart(file, '名册.xlsx');
  return t.built.app.inject({ method: 'POST', url: '/api/members/import', headers: { cookie: await t.login(user), 'content-type': m.contentType }, payload: m.body });
}

const MiB = 1024 * 1024;
const rss = () => process.memoryUsage().rss;

async function expectBounded(label: string, attack: () => Promise<void>) {
  globalThis.gc?.();
  const before = rss();
  await attack();
  const grown = rss() - before;
  // The unbounded reader grew by ~1 GB on the huge cell; a streaming inflate keeps to a few MB.
  expect(grown, `${label}: resident set grew ${(grown / MiB).toFixed(0)} MiB`).toBeLessThan(150 * MiB);
  expect((await t.built.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
}

describe(`upload bounds (${process.env.ZHIBU_TEST_DB ?? 'pglite'})`, () => {
  it('refuses the one-huge-cell file (a 300 MiB cell) with a Chinese message', async () => {
    const file = await craftedXlsx(function* () {
      yield headerRowXml(headers);
      yield '<row r="2"><c r="A2" t="inlineStr"><is><t>';
      const chunk = 'A'.repeat(MiB);
      for (let i = 0; i < 300; i++) yield chunk;
      yield '</t></is></c></row>';
    });
    expect(file.length).toBeLessThan(2 * MiB);
    await expectBounded('huge cell', async () => {
      const r = await upload(file);
      expect(r.statusCode).toBe(413);
      expect(r.json().message).toMatch(/单元格内容超过 32767 个字符/);
    });
  });

  it('refuses a zip bomb (1 GiB of rows in a small file)', async () => {
    const row = (i: number) => `<row r="${i}">${inlineCellXml(`A${i}`, '王芳')}${inlineCellXml(`B${i}`, '女')}</row>`;
    const file = await craftedXlsx(function* () {
      yield headerRowXml(headers);
      let block = '';
      for (let i = 0; i < 10_000; i++) block += row(3);
      for (let b = 0; b < 1024 * MiB / block.length; b++) yield block;
    });
    await expectBounded('zip bomb', async () => {
      const r = await upload(file);
      expect(r.statusCode).toBe(413);
      expect(r.json().message).toMatch(/压缩比异常|解压后超过/);
    });
  });

  it('refuses a cell in column XFD without making 16,384-element rows', async () => {
    const file = await craftedXlsx(function* () {
      yield headerRowXml(headers);
      for (let i = 2; i < 60_000; i++) yield `<row r="${i}">${inlineCellXml(`XFD${i}`, 'x')}</row>`;
    });
    await expectBounded('XFD', async () => {
      const r = await upload(file);
      expect(r.statusCode).toBe(202);
      const run = await awaitImportRun(r.json().runId);
      expect(run!.status).toBe('rejected');
      expect(run!.errors[0].reason).toMatch(/第 2 行在第 16384 列有内容，超过 256 列的上限/);
    });
  });

  it('allows one running import per user and a small global number; finished runs live on disk', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const base = { kind: 'test', tenantId: 1, filename: 'a.xlsx', nowIso: new Date().toISOString(), dataDir: t.ctx.dataDir, maxConcurrent: 2 };
    const first = startImportRun({ ...base, userId: 901 }, async () => { await gate; return { imported: 0, errors: [{ row: 2, reason: '测试' }] }; });
    expect(() => startImportRun({ ...base, userId: 901 }, async () => ({ imported: 0, errors: [] }))).toThrow(/已有一个导入正在进行/);
    const second = startImportRun({ ...base, userId: 902 }, async () => { await gate; return { imported: 0, errors: [] }; });
    expect(() => startImportRun({ ...base, userId: 903 }, async () => ({ imported: 0, errors: [] }))).toThrow(/稍后再试/);
    release();
    await awaitImportRun(first.id);
    await awaitImportRun(second.id);
    expect(existsSync(join(t.ctx.dataDir, 'imports', `${first.id}.json`))).toBe(true);
    const viaRoute = await awaitImportRun(first.id);
    expect(viaRoute!.errors).toEqual([{ row: 2, reason: '测试' }]);
    // the route answers the same run for its owner from disk
    const again = startImportRun({ ...base, userId: 903 }, async () => ({ imported: 0, errors: [] }));
    await awaitImportRun(again.id);
  });

  it('the upload size of an import file is bounded (413, Chinese)', async () => {
    const r = await upload(Buffer.alloc(21 * MiB, 0x41));
    expect(r.statusCode).toBe(413);
    expect(r.json().message).toBe('上传文件过大');
  });
});
