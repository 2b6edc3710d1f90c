import { sql } from 'drizzle-orm';
import { one, rows, type Db } from '../../db/connection.js';
import { REQUEST_STATE_LABELS, checkTransition, type RequestKind, type RequestState } from '../../domain/requestWorkflow.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { inScope, type Scope, type SessionActor } from '../../platform/scope.js';
import type { WriteCtx } from '../../platform/write.js';
import type { TransitionInput } from './contract.js';

/**
 * Staff transitions and wish claims (domain/requestWorkflow.ts holds the table of what is allowed).
 *
 * A transition is a conditional update `… where id = ? and state = <the state we checked>`: two
 * workers acting at once cannot both move the request; the loser gets 409 and nothing changes.
 *
 * A claim (点单-接单) inserts into request_claims, whose unique index on request_id admits exactly one
 * row per wish under any concurrency (`on conflict do nothing`, the loser reads the winner); the
 * request moves accepted → claimed in the same transaction. The same claimant repeating the claim
 * gets the stored claim back (200), anyone else 409 naming the claimant.
 */
interface Row { id: number; tenant_id: number; org_id: number; org_path: string; kind: RequestKind; state: RequestState; version: number }

async function requestInScope(db: Db, scope: Scope, id: number): Promise<Row> {
  const r = await one<Row>(db, sql`select id, tenant_id, org_id, org_path, kind, state, version from resident_requests where id = ${id} and tenant_id = ${scope.tenantId}`);
  if (!r || !inScope(scope, r.org_path)) throw notFound('诉求');
  return r;
}

export async function transition(w: WriteCtx, scope: Scope, id: number, input: TransitionInput) {
  const r = await requestInScope(w.tx, scope, id);
  const check = checkTransition(r.kind, r.state, input.action, 'staff');
  if (!check.ok) throw conflict(check.reason);
  const set = [sql`state = ${check.to}`, sql`handled_by = ${w.actor.userId}`];
  const after: Record<string, unknown> = { state: check.to };
  switch (input.action) {
    case 'accept':
      set.push(sql`accepted_on = ${w.today}`);
      break;
    case 'answer':
      if (!input.answer) throw invalid('请填写答复内容', { answer: '请填写答复内容' });
      set.push(sql`answered_on = ${w.today}`, sql`answer = ${input.answer}`);
      after.answer = input.answer;
      break;
    case 'close':
      set.push(sql`closed_on = ${w.today}`);
      break;
    case 'reject':
      if (!input.reason) throw invalid('不予受理须说明理由', { reason: '请填写理由' });
      set.push(sql`reason = ${input.reason}`, sql`closed_on = ${w.today}`);
      after.reason = input.reason;
      break;
    case 'merge': {
      if (!input.duplicateOf || input.duplicateOf === r.id) throw invalid('请选择与之重复的另一条诉求', { duplicateOf: '请选择重复的诉求' });
      const other = await requestInScope(w.tx, scope, input.duplicateOf);
      if (other.org_id !== r.org_id || other.state === 'merged') throw invalid('只能合并到本社区尚未合并的诉求', { duplicateOf: '请选择本社区的诉求' });
      set.push(sql`merged_into = ${other.id}`, sql`closed_on = ${w.today}`);
      after.mergedInto = other.id;
      break;
    }
    default:
      break;
  }
  const upd = await rows<{ id: number }>(w.tx, sql`update resident_requests set ${sql.join(set, sql`, `)}, version = version + 1, updated_at = ${w.now}
    where id = ${r.id} and state = ${r.state} returning id`);
  if (upd.length !== 1) throw conflict('诉求状态已被他人更改，请刷新后重试');
  w.audit({ action: 'update', entity: 'residentRequest', entityId: r.id, orgId: r.org_id, before: { state: r.state }, after, meta: { action: input.action } });
  w.touch('residentRequest', r.org_path);
  return { id: r.id, state: check.to, stateLabel: REQUEST_STATE_LABELS[check.to] };
}

interface ClaimRow { id: number; claimant_user_id: number; claimant_name: string; partner_unit: string | null; claimed_on: string }
const claimOf = (db: Db, requestId: number) =>
  one<ClaimRow>(db, sql`select id, claimant_user_id, claimant_name, partner_unit, claimed_on::text as claimed_on from request_claims where request_id = ${requestId}`);

/**
 * Claim a posted wish. Wishes are public (a wish list), so any logged-in holder of `requests.claim`
 * in the tenant may claim one — in-service members claim in the community where they live, not where
 * their branch is. A partner unit's claim is recorded by staff holding `requests.handle` there.
 */
export async function claimWish(w: WriteCtx, actor: SessionActor, handleScope: Scope, id: number, partnerUnit?: string) {
  const r = await one<Row>(w.tx, sql`select id, tenant_id, org_id, org_path, kind, state, version from resident_requests where id = ${id} and tenant_id = ${actor.tenantId} and kind = 'wish'`);
  if (!r) throw notFound('微心愿');
  if (partnerUnit && !inScope(handleScope, r.org_path)) throw notFound('微心愿');
  const name = partnerUnit ?? actor.displayName;
  const same = (c: ClaimRow) => c.claimant_user_id === actor.userId && (c.partner_unit ?? null) === (partnerUnit ?? null);
  const view = (c: ClaimRow, created: boolean) => ({ created, claim: { id: c.id, requestId: r.id, claimantName: c.claimant_name, claimedOn: c.claimed_on } });
  const existing = await claimOf(w.tx, r.id);
  if (existing) {
    if (same(existing)) return view(existing, false);
    throw conflict(`该微心愿已由“${existing.claimant_name}”于${existing.claimed_on}认领`);
  }
  const check = checkTransition(r.kind, r.state, 'claim', 'claimant');
  if (!check.ok) throw conflict(check.reason);
  const ins = await one<{ id: number }>(w.tx, sql`insert into request_claims (tenant_id, request_id, org_id, org_path, claimant_user_id, partner_unit, claimant_name, claimed_on, created_at, updated_at)
    values (${r.tenant_id}, ${r.id}, ${r.org_id}, ${r.org_path}, ${actor.userId}, ${partnerUnit ?? null}, ${name}, ${w.today}, ${w.now}, ${w.now}) on conflict do nothing returning id`);
  if (!ins) {
    // lost the race: the winner's row is committed and visible now
    const winner = await claimOf(w.tx, r.id);
    if (winner && same(winner)) return view(winner, false);
    throw conflict(winner ? `该微心愿已由“${winner.claimant_name}”于${winner.claimed_on}认领` : '该微心愿正在被认领，请稍后重试');
  }
  const upd = await rows<{ id: number }>(w.tx, sql`update resident_requests set state = 'claimed', version = version + 1, updated_at = ${w.now} where id = ${r.id} and state = 'accepted' returning id`);
  if (upd.length !== 1) throw conflict('微心愿状态已变化，请刷新后重试');
  w.audit({ action: 'create', entity: 'requestClaim', entityId: ins.id, orgId: r.org_id, after: { requestId: r.id, claimantName: name, partnerUnit: partnerUnit ?? null } });
  w.audit({ action: 'update', entity: 'residentRequest', entityId: r.id, orgId: r.org_id, before: { state: r.state }, after: { state: 'claimed' }, meta: { action: 'claim' } });
  w.touch('residentRequest', r.org_path);
  return view((await claimOf(w.tx, r.id))!, true);
}
