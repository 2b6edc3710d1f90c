import { sql } from 'drizzle-orm';
import { one } from '../src/db/connection.js';
import type { AppContext } from '../src/platform/context.js';
import { saveAttachment } from '../src/platform/attachments.js';
import { systemActor } from '../src/platform/write.js';
import type { Call, Fixtures, RouteCase } from './routeCases.js';

/**
 * Authorization-matrix cases for the shared platform services: the working-day calendar and
 * attachments. The attachment GET cases need a stored attachment on each side of the scope line:
 * call `loadPlatformFixtures(ctx, fixtures)` once in the matrix's beforeAll (outside the rolled-back
 * transactions, like the logins) before running these cases.
 */
export const PLATFORM_FIXTURES = { attachment: 0, otherAttachment: 0 };

/** The smallest valid PNG (1 × 1, transparent). */
export const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

/** member1 holds a pending (unconfirmed) TOTP enrolment with this secret, so the confirm route can succeed. */
export const MATRIX_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

export async function loadPlatformFixtures(ctx: AppContext, f: Fixtures): Promise<typeof PLATFORM_FIXTURES> {
  await ctx.db.execute(sql`update users set totp_secret = ${ctx.cipher.encrypt(MATRIX_TOTP_SECRET)}, recovery_codes = null where username = 'member1'`);
  const tenantId = (await one<{ tenant_id: number }>(ctx.db, sql`select tenant_id from orgs where id = ${f.branch}`))!.tenant_id;
  const org = async (id: number) => (await one<{ id: number; path: string }>(ctx.db, sql`select id, path from orgs where id = ${id}`))!;
  const save = async (orgId: number, filename: string) =>
    (await saveAttachment(ctx, { tenantId, actor: systemActor, org: await org(orgId), filename, data: TINY_PNG })).id;
  PLATFORM_FIXTURES.attachment = await save(f.branch, '支部活动照片.png');
  PLATFORM_FIXTURES.otherAttachment = await save(f.otherBranch, '第二支部照片.png');
  return PLATFORM_FIXTURES;
}

/** A multipart/form-data request body, as a browser's FormData sends it (raw UTF-8 filenames). */
export function multipartCall(url: string, fields: Record<string, string>, file?: { filename: string; data: Buffer; type?: string }): Call {
  const boundary = `----zhibuMatrix${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.filename}"\r\nContent-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`));
    parts.push(file.data, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { method: 'POST', url, payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const calendar2027 = {
  source: '矩阵测试',
  holidays: [{ day: '2027-01-01', name: '元旦' }],
  workdays: [{ day: '2027-01-02', name: '调休上班' }], // a Saturday
};

export const PLATFORM_ROUTE_CASES: Record<string, RouteCase> = {
  'GET /api/calendar/:year': {
    user: 'member1', wrongRole: null,
    inScope: () => ({ method: 'GET', url: '/api/calendar/2026' }),
  },
  // national data: there is no org and so no out-of-scope case; only sysAdmin may write it
  'PUT /api/calendar/:year': {
    user: 'admin', wrongRole: 'county',
    inScope: () => ({ method: 'PUT', url: '/api/calendar/2027', payload: calendar2027 }),
  },
  'POST /api/attachments': {
    user: 'branch1', wrongRole: 'member1',
    inScope: (f) => multipartCall('/api/attachments', { org: String(f.branch) }, { filename: '矩阵测试.png', data: TINY_PNG, type: 'image/png' }),
    outOfScope: (f) => multipartCall('/api/attachments', { org: String(f.otherBranch) }, { filename: '矩阵测试.png', data: TINY_PNG, type: 'image/png' }),
  },
  'GET /api/attachments/:id': {
    user: 'branch1', wrongRole: 'member1',
    inScope: () => ({ method: 'GET', url: `/api/attachments/${PLATFORM_FIXTURES.attachment}` }),
    outOfScope: () => ({ method: 'GET', url: `/api/attachments/${PLATFORM_FIXTURES.otherAttachment}` }),
  },
};
