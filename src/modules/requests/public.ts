import { sql } from 'drizzle-orm';
import { one, rows, type Db } from '../../db/connection.js';
import { maskMobile, validateMobile } from '../../domain/mobile.js';
import { RATING_LABELS, REQUEST_KIND_LABELS, REQUEST_STATE_LABELS, checkTransition, type Rating, type RequestKind, type RequestState } from '../../domain/requestWorkflow.js';
import type { Actor } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { randomToken, sha256Hex } from '../../platform/crypto.js';
import { AppError, conflict, invalid } from '../../platform/errors.js';
import { getSetting } from '../../platform/settings.js';
import { write } from '../../platform/write.js';
import type { CommunityOption, PublicSubmitInput, TrackView } from './contract.js';
import { REQUEST_SETTINGS } from './settings.js';

/**
 * The resident's side, without an account (issue 15 "Requests"; DOMAIN.md §10.1).
 *
 * Tracking token: 32 random bytes (base64url) handed to the requester once; only its SHA-256 is
 * stored, under a unique index. Every lookup is by that hash, so a guessed or altered token finds
 * nothing and answers the same 404 as any other unknown token — no other request's data, no hint
 * whether it was close. What the token shows is the requester's own request: content, state, dates
 * and the answer; never the mobile, address, handler or any other request.
 *
 * Abuse: every public route shares the platform's per-address limit (platform/http.ts); submitting
 * has its own per-address hourly limit (setting `requests.public.submitsPerHour`), kept in memory of
 * this process (a second server process counts separately — documented in README.md).
 */
export const PUBLIC_ACTOR: Actor = { label: 'public', userId: null };
const TOKEN_NOT_FOUND = '查询码无效或诉求不存在，请核对查询链接';

const submits = new Map<string, number[]>();
function checkSubmitRate(ip: string, perHour: number, nowMs: number) {
  const recent = (submits.get(ip) ?? []).filter((t) => t > nowMs - 3_600_000);
  if (recent.length >= perHour) throw new AppError('tooManyRequests', `提交过于频繁：同一网络每小时最多提交${perHour}条诉求，请稍后再试`);
  recent.push(nowMs);
  submits.set(ip, recent);
}
/** For tests: forget the submission counts. */
export const resetSubmitLimits = () => submits.clear();

/** Communities taking requests (name and grids): public knowledge, for the form's picker. */
export async function publicCommunities(db: Db): Promise<CommunityOption[]> {
  const r = await rows<{ id: number; name: string; grids: { id: number; name: string }[] | string }>(db, sql`select o.id, o.name,
      coalesce((select json_agg(json_build_object('id', g.id, 'name', g.name) order by g.code) from grids g where g.org_id = o.id), '[]'::json) as grids
    from orgs o where o.kind in ('basicCommittee', 'generalBranch') and o.unit_type in ('community', 'village') and o.dissolved_on is null order by o.path`);
  return r.map((x) => ({ id: x.id, name: x.name, grids: typeof x.grids === 'string' ? JSON.parse(x.grids) : x.grids }));
}

export async function submitRequest(ctx: AppContext, ip: string, input: PublicSubmitInput): Promise<{ token: string; trackUrl: string; acceptDue: string | null }> {
  const c = await one<{ id: number; tenant_id: number; path: string }>(ctx.db, sql`select o.id, o.tenant_id, o.path from orgs o where o.id = ${input.communityId}
    and o.kind in ('basicCommittee', 'generalBranch') and o.unit_type in ('community', 'village') and o.dissolved_on is null`);
  if (!c) throw invalid('所选社区不存在，请重新选择', { communityId: '请重新选择社区' });
  if (input.gridId) {
    const g = await one(ctx.db, sql`select 1 from grids where id = ${input.gridId} and org_id = ${c.id}`);
    if (!g) throw invalid('所选网格不属于该社区，请重新选择', { gridId: '请重新选择网格' });
  }
  const m = validateMobile(input.mobile);
  if (!m.ok) throw invalid(`手机号码不正确：${m.reason}`, { mobile: m.reason });
  checkSubmitRate(ip, await getSetting(ctx.db, c.tenant_id, c.path, REQUEST_SETTINGS.submitsPerHour), ctx.clock.nowMs());
  const token = randomToken();
  const cipher = ctx.cipher;
  await write(ctx, c.tenant_id, PUBLIC_ACTOR, async (w) => {
    const r = (await one<{ id: number }>(w.tx, sql`insert into resident_requests (tenant_id, org_id, org_path, grid_id, kind, state, channel, content, contact_name,
        mobile_enc, mobile_bidx, mobile_masked, address_enc, token_hash, submitted_on, created_at, updated_at)
      values (${c.tenant_id}, ${c.id}, ${c.path}, ${input.gridId ?? null}, ${input.kind}, 'submitted', 'public', ${input.content}, ${input.contactName},
        ${cipher.encrypt(m.normalized)}, ${cipher.blindIndex('mobile', m.normalized)}, ${maskMobile(m.normalized)}, ${input.address ? cipher.encrypt(input.address) : null},
        ${sha256Hex(token)}, ${w.today}, ${w.now}, ${w.now}) returning id`))!;
    // no contact data in the audit row: the kind, the community and the channel
    w.audit({ action: 'create', entity: 'residentRequest', entityId: r.id, orgId: c.id, after: { kind: input.kind, state: 'submitted', channel: 'public', gridId: input.gridId ?? null } });
    w.touch('residentRequest', c.path);
  });
  return { token, trackUrl: `/h5/track#${token}`, acceptDue: null };
}

interface TrackRow {
  id: number; tenant_id: number; org_id: number; org_path: string; kind: RequestKind; state: RequestState; content: string; community: string;
  submitted_on: string; accepted_on: string | null; answered_on: string | null; answer: string | null; rating: Rating | null;
}
async function byToken(db: Db, token: string): Promise<TrackRow> {
  const r = await one<TrackRow>(db, sql`select r.id, r.tenant_id, r.org_id, r.org_path, r.kind, r.state, r.content, o.name as community, r.submitted_on::text as submitted_on,
      r.accepted_on::text as accepted_on, r.answered_on::text as answered_on, r.answer, r.rating
    from resident_requests r join orgs o on o.id = r.org_id where r.token_hash = ${sha256Hex(token)}`);
  if (!r) throw new AppError('notFound', TOKEN_NOT_FOUND);
  return r;
}

const view = (r: TrackRow): TrackView => ({
  kind: r.kind, kindLabel: REQUEST_KIND_LABELS[r.kind], state: r.state, stateLabel: REQUEST_STATE_LABELS[r.state], content: r.content, communityName: r.community,
  submittedOn: r.submitted_on, acceptedOn: r.accepted_on, answeredOn: r.answered_on, answer: r.answer, rating: r.rating, ratingLabel: r.rating ? RATING_LABELS[r.rating] : null,
  canRate: checkTransition(r.kind, r.state, 'rate', 'resident').ok,
});

export async function trackRequest(db: Db, token: string): Promise<TrackView> {
  return view(await byToken(db, token));
}

/** The requester rates the answer once (answered or closed → rated); a second rating is refused. */
export async function rateRequest(ctx: AppContext, token: string, rating: Rating, comment?: string): Promise<TrackView> {
  const r = await byToken(ctx.db, token);
  const check = checkTransition(r.kind, r.state, 'rate', 'resident');
  if (!check.ok) throw conflict(r.state === 'rated' ? '您已评价过该诉求，不能重复评价' : check.reason);
  await write(ctx, r.tenant_id, PUBLIC_ACTOR, async (w) => {
    const upd = await rows<{ id: number }>(w.tx, sql`update resident_requests set state = 'rated', rating = ${rating}, rated_on = ${w.today}, rating_comment = ${comment ?? null},
        version = version + 1, updated_at = ${w.now} where id = ${r.id} and state = ${r.state} returning id`);
    if (upd.length !== 1) throw conflict('诉求状态已变化，请刷新后重试');
    w.audit({ action: 'update', entity: 'residentRequest', entityId: r.id, orgId: r.org_id, before: { state: r.state }, after: { state: 'rated', rating } });
    w.touch('residentRequest', r.org_path);
  });
  return trackRequest(ctx.db, token);
}
