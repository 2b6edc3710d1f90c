import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import { z } from 'zod';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { one, type Db } from '../db/connection.js';
import { inRollback, openTestDb, type TestDb } from '../../test/db.js';
import { loadFixtures, type Call, type Fixtures } from '../../test/routeCases.js';
import { PLATFORM_ROUTE_CASES, TINY_PNG, loadPlatformFixtures, multipartCall } from '../../test/routeCases.platform.js';
import { installAuth, installErrorHandler, installRouteGuard, type DeclaredRoute } from './http.js';
import { authRoutes } from './routes/auth.js';
import { attachmentRoutes } from './routes/attachments.js';
import { calendarRoutes } from './routes/calendar.js';
import { buildOfficialDocument } from './docx.js';
import { LocalDiskStore } from './attachments.js';

/**
 * Attachments on a real database and data dir (both PGlite and PostgreSQL), plus the authorization
 * matrix cases of test/routeCases.platform.ts run against the platform routes. Until the routes are
 * wired into app.ts, the app is assembled here as app.ts does.
 */
z.config(z.locales.zhCN());

let t: TestDb;
let app: FastifyInstance;
const routes: DeclaredRoute[] = [];
const cookies = new Map<string, string>();
let fx: Fixtures;

async function login(user: string): Promise<string> {
  if (cookies.has(user)) return cookies.get(user)!;
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: user, password: 'zhibu123' }, remoteAddress: `10.8.0.${cookies.size + 1}` });
  expect(res.statusCode, res.body).toBe(200);
  const c = `zhibu_session=${res.cookies.find((x) => x.name === 'zhibu_session')!.value}`;
  cookies.set(user, c);
  return c;
}
async function call(c: Call, user: string | null) {
  const headers: Record<string, string> = { ...(c.headers ?? {}) };
  if (user) headers.cookie = await login(user);
  return app.inject({ method: c.method as never, url: c.url, payload: c.payload as never, headers });
}
const upload = (user: string, org: number | string, file?: { filename: string; data: Buffer; type?: string }, fileFirst = false) => {
  const c = multipartCall('/api/attachments', { org: String(org) }, file);
  if (fileFirst && file) {
    // the same parts with the file before the org field
    const body = (c.payload as Buffer).toString('latin1');
    const boundary = c.headers!['content-type'].split('boundary=')[1];
    const parts = body.split(`--${boundary}`).filter((p) => p.startsWith('\r\nContent'));
    const reordered = [`--${boundary}${parts[1]}`, `--${boundary}${parts[0]}`, `--${boundary}--\r\n`].join('');
    c.payload = Buffer.from(reordered, 'latin1');
  }
  return call(c, user);
};
const maxSeq = async (db: Db) => (await one<{ n: number }>(db, sql`select coalesce(max(seq), 0)::int as n from audit_log`))!.n;

beforeAll(async () => {
  t = await openTestDb();
  app = Fastify({ bodyLimit: 2 * 1024 * 1024 });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installRouteGuard(app, routes);
  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: 50 * 1024 * 1024, files: 1 } }); // as app.ts
  installAuth(app, t.ctx);
  installErrorHandler(app);
  authRoutes(app, t.ctx);
  calendarRoutes(app, t.ctx);
  attachmentRoutes(app, t.ctx);
  await app.ready();
  fx = await loadFixtures(t.ctx.db);
  await loadPlatformFixtures(t.ctx, fx);
  for (const u of ['admin', 'county', 'street1', 'branch1', 'member1']) await login(u);
});
afterAll(async () => {
  await app?.close();
  await t?.close();
});

describe('upload: type by content, size by setting, stored under the data dir', () => {
  it('stores a PNG for an org in scope: 201, SHA-256, file on disk, audited', async () => {
    const before = await maxSeq(t.ctx.db);
    const res = await upload('branch1', fx.branch, { filename: '支部活动.png', data: TINY_PNG, type: 'image/png' });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toEqual({ id: expect.any(Number), filename: '支部活动.png', mime: 'image/png', size: TINY_PNG.length });
    const row = (await one<{ sha256: string; storage_key: string; org_id: number; created_by: string; tenant_id: number }>(
      t.ctx.db, sql`select sha256, storage_key, org_id, created_by, tenant_id from attachments where id = ${body.id}`,
    ))!;
    expect(row.sha256).toBe(createHash('sha256').update(TINY_PNG).digest('hex'));
    expect(row.org_id).toBe(fx.branch);
    expect(row.created_by).toMatch(/^user:\d+$/);
    expect(row.storage_key).toMatch(new RegExp(`^${row.tenant_id}/2026/11/[0-9a-f]{32}$`));
    const file = join(t.ctx.dataDir, 'attachments', ...row.storage_key.split('/'));
    expect(readFileSync(file).equals(TINY_PNG)).toBe(true);
    const audit = await one<{ action: string; entity: string; entity_id: string }>(t.ctx.db, sql`select action, entity, entity_id from audit_log where seq > ${before} order by seq desc limit 1`);
    expect(audit).toEqual({ action: 'create', entity: 'attachment', entity_id: String(body.id) });
  });

  it('decides the type from the bytes, never from the name or the client MIME', async () => {
    const pdf = Buffer.from('%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    const res = await upload('branch1', fx.branch, { filename: '照片.png', data: pdf, type: 'image/png' });
    expect(res.statusCode).toBe(201);
    expect(res.json().mime).toBe('application/pdf');
  });

  it.each([
    ['a Word document', async () => buildOfficialDocument({ title: '通知', blocks: [{ kind: 'paragraph', text: '正文' }] }), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['an Excel workbook', async () => {
      const wb = new ExcelJS.Workbook();
      wb.addWorksheet('名册').addRow(['姓名', '性别']);
      return Buffer.from(await wb.xlsx.writeBuffer());
    }, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ['UTF-8 text', async () => Buffer.from('\ufeff会议纪要\r\n第一项：学习。\n'), 'text/plain'],
    ['a JPEG', async () => Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0]), 'image/jpeg'],
    ['a WebP', async () => Buffer.concat([Buffer.from('RIFF'), Buffer.from([26, 0, 0, 0]), Buffer.from('WEBPVP8 ')]), 'image/webp'],
  ])('accepts %s', async (_what, make, mime) => {
    const res = await upload('branch1', fx.branch, { filename: 'x.bin', data: await make() });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().mime).toBe(mime);
  });

  it.each([
    ['HTML named .png', Buffer.from('<html><script>alert(1)</script></html>')],
    ['HTML after a BOM and blank lines', Buffer.from('\ufeff\n  <!DOCTYPE html><p>x</p>')],
    ['a Windows executable', Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00])],
    ['a plain zip (not Office)', Buffer.from('504b0506000000000000000000000000000000000000', 'hex')],
    ['GB18030 text (not UTF-8)', Buffer.from([0xbb, 0xe1, 0xd2, 0xe9, 0xbc, 0xcd, 0xd2, 0xaa])],
    ['an SVG image', Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')],
  ])('refuses %s with a Chinese message', async (_what, data) => {
    const res = await upload('branch1', fx.branch, { filename: 'x.png', data, type: 'image/png' });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('不支持的文件类型');
  });

  it('refuses an empty file, a missing file and a missing org', async () => {
    expect((await upload('branch1', fx.branch, { filename: 'a.txt', data: Buffer.alloc(0) })).json().message).toContain('文件为空');
    expect((await upload('branch1', fx.branch)).json().message).toContain('请选择要上传的文件');
    const noOrg = await call(multipartCall('/api/attachments', {}, { filename: 'a.png', data: TINY_PNG }), 'branch1');
    expect(noOrg.statusCode).toBe(400);
    expect(noOrg.json().message).toContain('请选择附件所属组织');
    expect((await upload('branch1', 'abc', { filename: 'a.png', data: TINY_PNG })).statusCode).toBe(400);
  });

  it('applies attachments.maxBytes from the nearest org setting, with the org field before or after the file', async () => {
    await inRollback(t, async (tx) => {
      await tx.execute(sql`insert into settings (tenant_id, org_id, key, value, created_at, updated_at)
        select tenant_id, id, 'attachments.maxBytes', '2048'::jsonb, 'now', 'now' from orgs where id = ${fx.branch}`);
      const big = Buffer.alloc(4096, 0x61); // 4 KiB of "a": valid text
      for (const fileFirst of [false, true]) {
        const res = await upload('branch1', fx.branch, { filename: 'big.txt', data: big }, fileFirst);
        expect(res.statusCode, `fileFirst=${fileFirst}`).toBe(400);
        expect(res.json().message).toBe('文件超过大小上限（2 KB）');
      }
      expect((await upload('branch1', fx.branch, { filename: 'ok.txt', data: big.subarray(0, 2048) }, true)).statusCode).toBe(201);
    });
  });

  it('an org outside the scope answers 404; a role without members.write 403; anonymous 401', async () => {
    const file = { filename: 'a.png', data: TINY_PNG };
    expect((await upload('branch1', fx.otherBranch, file)).statusCode).toBe(404);
    expect((await upload('branch1', fx.dhBranch, file)).statusCode).toBe(404);
    expect((await upload('branch1', 99999999, file)).statusCode).toBe(404);
    expect((await upload('member1', fx.branch, file)).statusCode).toBe(403);
    expect((await call(multipartCall('/api/attachments', { org: String(fx.branch) }, file), null)).statusCode).toBe(401);
  });

  it('cleans the filename: path parts, control and reserved characters; repairs raw UTF-8 names', async () => {
    const res = await upload('branch1', fx.branch, { filename: '..\\..\\etc/<会议>记录?.png', data: TINY_PNG });
    expect(res.json().filename).toBe('_会议_记录_.png');
  });
});

describe('download', () => {
  it('serves the bytes in scope with nosniff and an RFC 5987 Chinese filename', async () => {
    const up = (await upload('branch1', fx.branch, { filename: '会议 记录(1).txt', data: Buffer.from('第一项') })).json();
    for (const user of ['branch1', 'street1', 'county']) {
      const res = await call({ method: 'GET', url: `/api/attachments/${up.id}` }, user);
      expect(res.statusCode, user).toBe(200);
      expect(res.rawPayload.toString('utf8')).toBe('第一项');
      expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toContain('sandbox');
      expect(res.headers['content-disposition']).toBe(`attachment; filename="__ __(1).txt"; filename*=UTF-8''%E4%BC%9A%E8%AE%AE%20%E8%AE%B0%E5%BD%95%281%29.txt`);
    }
  });

  it('images open inline', async () => {
    const res = await call(PLATFORM_ROUTE_CASES['GET /api/attachments/:id'].inScope(fx), 'branch1');
    expect(res.headers['content-disposition']).toMatch(/^inline; /);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.rawPayload.equals(TINY_PNG)).toBe(true);
  });

  it('out of scope or unknown answers 404; a member without members.read 403', async () => {
    expect((await call(PLATFORM_ROUTE_CASES['GET /api/attachments/:id'].outOfScope!(fx), 'branch1')).statusCode).toBe(404);
    expect((await call({ method: 'GET', url: '/api/attachments/99999999' }, 'branch1')).statusCode).toBe(404);
    expect((await call(PLATFORM_ROUTE_CASES['GET /api/attachments/:id'].inScope(fx), 'member1')).statusCode).toBe(403);
  });

  it('a row whose file is gone answers 404 with a message for the admin', async () => {
    const up = (await upload('branch1', fx.branch, { filename: 'x.png', data: TINY_PNG })).json();
    const key = (await one<{ storage_key: string }>(t.ctx.db, sql`select storage_key from attachments where id = ${up.id}`))!.storage_key;
    await new LocalDiskStore(join(t.ctx.dataDir, 'attachments')).remove(key);
    expect(existsSync(join(t.ctx.dataDir, 'attachments', key))).toBe(false);
    const res = await call({ method: 'GET', url: `/api/attachments/${up.id}` }, 'branch1');
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toContain('存储中缺失');
  });

  it('the store never leaves its root, whatever a row says', async () => {
    const store = new LocalDiskStore(join(t.ctx.dataDir, 'attachments'));
    await expect(store.get('1/2026/11/../../../../etc/passwd')).rejects.toThrow('invalid attachment storage key');
  });
});

describe('authorization matrix cases (test/routeCases.platform.ts) on the platform routes', () => {
  const key = (r: DeclaredRoute) => `${r.method} ${r.url}`;
  const mine = () => routes.filter((r) => r.url.startsWith('/api/calendar') || r.url.startsWith('/api/attachments'));

  it('every platform route has a case and no case is left over', () => {
    expect(mine().map(key).sort()).toEqual(Object.keys(PLATFORM_ROUTE_CASES).sort());
  });

  it('anonymous 401, wrong role 403, in scope succeeds (writes audited), out of scope 404', async () => {
    for (const r of mine()) {
      const rc = PLATFORM_ROUTE_CASES[key(r)];
      expect((await call(rc.inScope(fx), null)).statusCode, `${key(r)} anonymous`).toBe(401);
      if (rc.wrongRole) {
        await inRollback(t, async () => {
          expect((await call(rc.inScope(fx), rc.wrongRole!)).statusCode, `${key(r)} as ${rc.wrongRole}`).toBe(403);
        });
      }
      await inRollback(t, async (tx) => {
        const before = await maxSeq(tx);
        const res = await call(rc.inScope(fx), rc.user);
        expect(res.statusCode, `${key(r)} as ${rc.user}: ${res.body.slice(0, 200)}`).toBeLessThan(300);
        if (r.writes) expect(await maxSeq(tx), `${key(r)} wrote no audit row`).toBeGreaterThan(before);
      });
      if (rc.outOfScope) {
        await inRollback(t, async () => {
          expect((await call(rc.outOfScope!(fx), rc.user)).statusCode, `${key(r)} out of scope`).toBe(404);
        });
      }
    }
  });
});
