import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { sql } from 'drizzle-orm';
import QRCode from 'qrcode';
import { one, type Db } from '../db/connection.js';
import type { AppContext } from './context.js';
import { sha256Hex } from './crypto.js';
import { AppError } from './errors.js';
import { appendAudit } from './audit.js';
import { getSetting, SETTINGS } from './settings.js';
import { invalidateActorCache, setSecondFactorCheck, type SecondFactor } from './auth.js';
import type { SessionActor } from './scope.js';

/**
 * Two factors (issue 17, 等保 profile): TOTP per RFC 6238 (HMAC-SHA1, 30-second steps, 6 digits —
 * what every authenticator app speaks), ±1 step accepted, a step at or before the last accepted one
 * refused (replay), and 10 one-time recovery codes stored as SHA-256 hashes. The secret is personal
 * data: encrypted with the personal-data cipher. Under `security.profile = mlps3` the admin roles
 * must use it (an admin not yet enrolled gets an enrolment-only session); under `standard` it is
 * optional for everyone.
 */
export const TOTP_STEP_SECONDS = 30;
export const TOTP_DIGITS = 6;
export const RECOVERY_CODES = 10;
export const ADMIN_ROLES = ['sysAdmin', 'orgAdmin', 'securityAdmin', 'auditAdmin'] as const;

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Encode(buf: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of buf) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  return out;
}

export function base32Decode(s: string): Buffer {
  const clean = s.toUpperCase().replace(/[\s=-]/g, '');
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of clean) {
    const i = B32.indexOf(ch);
    if (i < 0) throw new Error('invalid base32');
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** RFC 4226 HOTP; `algorithm` only for the RFC 6238 test vectors (apps use sha1). */
export function hotp(key: Buffer, counter: number, digits = TOTP_DIGITS, algorithm: 'sha1' | 'sha256' | 'sha512' = 'sha1'): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, key).update(msg).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const bin = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
  return String(bin % 10 ** digits).padStart(digits, '0');
}

export const totpStep = (nowMs: number) => Math.floor(nowMs / 1000 / TOTP_STEP_SECONDS);
export const totpAt = (key: Buffer, nowMs: number, digits = TOTP_DIGITS, algorithm: 'sha1' | 'sha256' | 'sha512' = 'sha1') => hotp(key, totpStep(nowMs), digits, algorithm);

/** The accepted step for `code` (now ±1 step, after `lastStep`), or null. */
export function verifyTotp(key: Buffer, code: string, nowMs: number, lastStep: number | null): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const now = totpStep(nowMs);
  for (const step of [now - 1, now, now + 1]) {
    if (lastStep != null && step <= lastStep) continue;
    if (timingSafeEqual(Buffer.from(hotp(key, step)), Buffer.from(code))) return step;
  }
  return null;
}

const normalizeRecovery = (code: string) => code.toLowerCase().replace(/[^a-z0-9]/g, '');
const hashRecovery = (code: string) => sha256Hex(`zhibu-recovery:${normalizeRecovery(code)}`);

function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODES }, () => {
    const s = base32Encode(randomBytes(5)).toLowerCase(); // 8 characters
    return `${s.slice(0, 4)}-${s.slice(4, 8)}`;
  });
}

interface TotpRow { totp_secret: string | null; totp_last_step: number | string | null; recovery_codes: string[] | null; username: string }
const loadRow = (db: Db, userId: number) => one<TotpRow>(db, sql`select totp_secret, totp_last_step, recovery_codes, username from users where id = ${userId}`);
/** Enrolled: a secret and recovery codes (a secret alone is an enrolment not yet confirmed). */
const enrolled = (r: TotpRow | undefined) => !!r?.totp_secret && r.recovery_codes != null;

async function mustUseTotp(ctx: AppContext, userId: number, tenantId: number): Promise<boolean> {
  if ((await getSetting(ctx.db, tenantId, null, SETTINGS.securityProfile)) !== 'mlps3') return false;
  const admin = await one<{ n: number }>(ctx.db, sql`select count(*)::int as n from grants where user_id = ${userId} and role in (${sql.join(ADMIN_ROLES.map((r) => sql`${r}`), sql`, `)})`);
  return Number(admin?.n ?? 0) > 0;
}

/** The second factor at login (auth.login calls it after the password was right). */
export async function checkSecondFactor(ctx: AppContext, userId: number, tenantId: number, code: string | undefined): Promise<SecondFactor> {
  const row = await loadRow(ctx.db, userId);
  if (!enrolled(row)) return (await mustUseTotp(ctx, userId, tenantId)) ? 'enrol' : 'ok';
  if (!code) return 'codeRequired';
  const key = base32Decode(ctx.cipher.decrypt(row!.totp_secret!));
  const last = row!.totp_last_step == null ? null : Number(row!.totp_last_step);
  const step = verifyTotp(key, code.replace(/\s/g, ''), ctx.clock.nowMs(), last);
  if (step != null) {
    // Conditional update: two logins racing with the same code cannot both pass.
    const won = await one<{ id: number }>(ctx.db, sql`update users set totp_last_step = ${step} where id = ${userId} and (totp_last_step is null or totp_last_step < ${step}) returning id`);
    return won ? 'ok' : 'wrong';
  }
  const h = hashRecovery(code);
  if ((row!.recovery_codes ?? []).includes(h)) {
    const left = (row!.recovery_codes ?? []).filter((x) => x !== h);
    const won = await one<{ id: number }>(ctx.db, sql`update users set recovery_codes = ${JSON.stringify(left)}::jsonb where id = ${userId} and recovery_codes @> ${JSON.stringify([h])}::jsonb returning id`);
    if (won) {
      await ctx.db.transaction(async (tx) => appendAudit(tx as unknown as Db, ctx.clock, tenantId, { label: `user:${userId}`, userId }, [
        { action: 'login', entity: 'recoveryCode', entityId: userId, meta: { left: left.length } },
      ]));
    }
    return won ? 'ok' : 'wrong';
  }
  return 'wrong';
}
setSecondFactorCheck(checkSecondFactor);

export interface TotpStatus { enabled: boolean; required: boolean; recoveryCodesLeft: number }

export async function totpStatus(ctx: AppContext, actor: SessionActor): Promise<TotpStatus> {
  const row = await loadRow(ctx.db, actor.userId);
  return { enabled: enrolled(row), required: await mustUseTotp(ctx, actor.userId, actor.tenantId), recoveryCodesLeft: row?.recovery_codes?.length ?? 0 };
}

/** Start (or restart) enrolment: a new secret, shown as text, otpauth URL and QR code (SVG data URL). */
export async function beginEnrolment(ctx: AppContext, actor: SessionActor): Promise<{ secret: string; otpauthUrl: string; qrDataUrl: string }> {
  const row = await loadRow(ctx.db, actor.userId);
  if (enrolled(row)) throw new AppError('conflict', '已启用双因素认证');
  const secret = base32Encode(randomBytes(20));
  await ctx.db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    await tx.execute(sql`update users set totp_secret = ${ctx.cipher.encrypt(secret)}, totp_last_step = null, recovery_codes = null where id = ${actor.userId}`);
    await appendAudit(tx, ctx.clock, actor.tenantId, { label: `user:${actor.userId}`, userId: actor.userId }, [
      { action: 'update', entity: 'totp', entityId: actor.userId, meta: { step: 'setup' } },
    ]);
  });
  const label = encodeURIComponent(`支部:${row!.username}`);
  const otpauthUrl = `otpauth://totp/${label}?secret=${secret}&issuer=${encodeURIComponent('支部')}&algorithm=SHA1&digits=${TOTP_DIGITS}&period=${TOTP_STEP_SECONDS}`;
  const svg = await QRCode.toString(otpauthUrl, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  return { secret, otpauthUrl, qrDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` };
}

/** Confirm enrolment with a code from the app: TOTP on, 10 recovery codes shown once, the session freed. */
export async function confirmEnrolment(ctx: AppContext, actor: SessionActor, code: string): Promise<{ recoveryCodes: string[] }> {
  const row = await loadRow(ctx.db, actor.userId);
  if (enrolled(row)) throw new AppError('conflict', '已启用双因素认证');
  if (!row?.totp_secret) throw new AppError('validation', '请先生成密钥', { fields: { code: '请先生成密钥' } });
  const step = verifyTotp(base32Decode(ctx.cipher.decrypt(row.totp_secret)), code.replace(/\s/g, ''), ctx.clock.nowMs(), null);
  if (step == null) throw new AppError('validation', '验证码不正确，请核对手机时间后重试', { fields: { code: '验证码不正确' } });
  const codes = newRecoveryCodes();
  await ctx.db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    await tx.execute(sql`update users set totp_last_step = ${step}, recovery_codes = ${JSON.stringify(codes.map(hashRecovery))}::jsonb, version = version + 1, updated_at = ${ctx.clock.nowIso()} where id = ${actor.userId}`);
    if (actor.sessionId) await tx.execute(sql`update sessions set enrol_only = false where id = ${actor.sessionId}`);
    await appendAudit(tx, ctx.clock, actor.tenantId, { label: `user:${actor.userId}`, userId: actor.userId }, [
      { action: 'update', entity: 'totp', entityId: actor.userId, after: { enabled: true } },
    ]);
  });
  invalidateActorCache();
  return { recoveryCodes: codes };
}

/**
 * Clears a user's second factor (secret, last step, recovery codes) and ends their sessions: for an
 * administrator who lost both the phone and the recovery codes. Under mlps3 the next login is again an
 * enrolment-only session. The caller writes the audit entry (a security event) in the same transaction.
 */
export async function clearSecondFactor(tx: Db, userId: number, nowIso: string): Promise<boolean> {
  const row = await loadRow(tx, userId);
  if (!row?.totp_secret) return false;
  await tx.execute(sql`update users set totp_secret = null, totp_last_step = null, recovery_codes = null, version = version + 1, updated_at = ${nowIso} where id = ${userId}`);
  await tx.execute(sql`delete from sessions where user_id = ${userId}`);
  invalidateActorCache();
  return true;
}

/** Routes an enrolment-only session may call (everything else answers 403). */
export const ENROLMENT_ROUTES = new Set(['GET /api/auth/me', 'POST /api/auth/logout', 'GET /api/auth/totp', 'POST /api/auth/totp/setup', 'POST /api/auth/totp/confirm']);
