import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/connection.js';
import { RATING_LABELS, REQUEST_KIND_LABELS, REQUEST_STATE_LABELS, slaStatus, type Rating, type RequestKind, type RequestState } from '../../domain/requestWorkflow.js';
import { loadCalendarFor } from '../../platform/calendar.js';
import { getFigure } from '../../platform/figures.js';
import { narrowToOrg, pathPredicate, type Scope } from '../../platform/scope.js';
import type { InboxView, RequestListItem } from './contract.js';
import { slaResolver } from './settings.js';

/**
 * The request inbox (受理台): requests of the caller's communities, newest first, each with its
 * deadlines and SLA colour computed on the shared calendar, the counts by state and the year's
 * satisfaction — read through the figure registry like every other number.
 */
interface Row {
  id: number; org_path: string; kind: RequestKind; state: RequestState; content: string; contact_name: string; mobile_masked: string | null; community: string;
  grid: string | null; submitted_on: string; accepted_on: string | null; answered_on: string | null; answer: string | null; rating: Rating | null; claimant: string | null; version: number;
}

export async function inbox(db: Db, scope0: Scope, q: { org?: number; state?: string; page: number; pageSize: number }, today: string): Promise<InboxView> {
  const scope = q.org ? await narrowToOrg(db, scope0, q.org) : scope0;
  const where = sql`r.tenant_id = ${scope.tenantId} and ${pathPredicate(sql`r.org_path`, scope)}`;
  const counts = await rows<{ state: string; n: number }>(db, sql`select r.state, count(*)::int as n from resident_requests r where ${where} group by 1`);
  const filtered = q.state ? sql`${where} and r.state = ${q.state}` : where;
  const list = await rows<Row>(db, sql`select r.id, r.org_path, r.kind, r.state, r.content, r.contact_name, r.mobile_masked, o.name as community, g.name as grid,
      r.submitted_on::text as submitted_on, r.accepted_on::text as accepted_on, r.answered_on::text as answered_on, r.answer, r.rating, c.claimant_name as claimant, r.version
    from resident_requests r join orgs o on o.id = r.org_id left join grids g on g.id = r.grid_id left join request_claims c on c.request_id = r.id
    where ${filtered} order by r.submitted_on desc, r.id desc limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`);
  const cal = await loadCalendarFor(db, ...list.map((r) => r.submitted_on), today);
  const limits = await slaResolver(db, scope.tenantId);
  const items: RequestListItem[] = list.map((r) => {
    const s = slaStatus({ state: r.state, submittedOn: r.submitted_on, acceptedOn: r.accepted_on, answeredOn: r.answered_on }, today, cal, limits(r.org_path));
    const open = !['answered', 'rated', 'closed', 'rejected', 'merged'].includes(r.state);
    const due = r.state === 'submitted' ? s.acceptDue : s.answerDue;
    const sla = !open ? (s.acceptLate || s.answerLate ? 'late' : 'done') : s.acceptLate || s.answerLate ? 'late' : due === today ? 'dueToday' : 'ok';
    return {
      id: r.id, kind: r.kind, kindLabel: REQUEST_KIND_LABELS[r.kind], state: r.state, stateLabel: REQUEST_STATE_LABELS[r.state], content: r.content, contactName: r.contact_name,
      mobile: r.mobile_masked, communityName: r.community, gridName: r.grid, submittedOn: r.submitted_on, acceptDue: s.acceptDue, answerDue: s.answerDue, sla,
      answer: r.answer, rating: r.rating ? RATING_LABELS[r.rating] : null, claimant: r.claimant, version: r.version,
    };
  });
  const fig = getFigure('requests.satisfaction.rate')!;
  const sat = await fig.compute({ db, scope, today }, { from: `${today.slice(0, 4)}-01-01`, to: today, params: {} });
  return {
    items, total: q.state ? counts.find((c) => c.state === q.state)?.n ?? 0 : counts.reduce((s, c) => s + c.n, 0),
    counts: Object.fromEntries(counts.map((c) => [c.state, c.n])),
    satisfaction: { value: sat.value, numerator: sat.numerator ?? null, denominator: sat.denominator ?? null },
  };
}
