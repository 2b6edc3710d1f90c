import { sql } from 'drizzle-orm';
import { one } from '../../db/connection.js';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { canViewPersonalDataAt, type Scope, type SessionActor } from '../../platform/scope.js';
import { defineSetting, getSetting } from '../../platform/settings.js';
import { systemActor, write } from '../../platform/write.js';
import type { Actor } from '../../platform/audit.js';
import { z } from 'zod';

/**
 * The duplicate-ID oracle (issue 17 finding 1). A masked number (`330999**********3X`) with the birth
 * date leaves about 9 candidates; "this ID number is already registered" confirms one of them. A branch
 * must be told of a duplicate, so the answer stays, but without the personal-data right a user gets
 * only `members.idDuplicateRefusalsPerDay` such answers in 24 hours: each is a security event in the
 * audit log (seen by the audit administrator), and past the limit further numbers are refused unchecked
 * until the day has passed or someone with the right registers the member.
 */
export const ID_PROBE = { action: 'refuse', entity: 'idNumberDuplicate' } as const;

export const ID_PROBE_SETTING = defineSetting({
  key: 'members.idDuplicateRefusalsPerDay',
  label: '无个人信息查看权限的用户24小时内“公民身份号码已登记”提示次数上限（防止用提示核对号码）',
  schema: z.number().int().min(1).max(100), default: 3, source: 'GB/T 35273-2020 个人信息去标识化；issue 17 finding 1', mark: 'PROJECT',
});

const holdsRight = (actor: SessionActor, scope: Scope) => scope.paths.length > 0 && scope.paths.every((p) => canViewPersonalDataAt(actor, p));

/** Refuses (429) a write carrying an ID number when the user has used up today's duplicate answers. */
export async function guardIdProbe(ctx: AppContext, actor: SessionActor, scope: Scope): Promise<void> {
  if (holdsRight(actor, scope)) return;
  const limit = await getSetting(ctx.db, actor.tenantId, null, ID_PROBE_SETTING);
  const since = new Date(ctx.clock.nowMs() - 24 * 3600_000).toISOString();
  const n = await one<{ n: number }>(ctx.db, sql`select count(*)::int as n from audit_log
    where tenant_id = ${actor.tenantId} and actor_user_id = ${actor.userId} and action = ${ID_PROBE.action} and entity = ${ID_PROBE.entity} and at > ${since}`);
  if ((n?.n ?? 0) >= limit) {
    throw new AppError('tooManyRequests', `24小时内“公民身份号码已登记”的提示已达 ${limit} 次，暂不能再登记或修改公民身份号码；请联系具有查看个人信息权限的管理员核对`);
  }
}

/** A duplicate-ID refusal: recorded in its own transaction (the refused write rolls back). */
export async function recordIdProbe(ctx: AppContext, actor: SessionActor, auditActor: Actor, orgId: number | null): Promise<void> {
  if (actor.userId == null) return;
  await write(ctx, actor.tenantId, auditActor ?? systemActor, async (w) => {
    w.audit({ action: ID_PROBE.action, entity: ID_PROBE.entity, orgId, meta: { note: '登记的公民身份号码与已有人员重复' } });
  });
}

/** Whether an error is the duplicate-ID refusal of assertNoDuplicate. */
export const isDuplicateIdRefusal = (e: unknown) =>
  e instanceof AppError && e.status === 409 && (e.details as { fields?: Record<string, string> } | undefined)?.fields?.idNumber === '公民身份号码重复';
