import type { RouteCase } from './routeCases.js';

/**
 * Authorization-matrix cases for the dues routes. The demo seed guarantees what they need: the
 * fixture member (the first of branch1's branch) has a base and paid every ended month, the current
 * month (2026-11) is unpaid everywhere, and branch1's branch has not handed in 2026 Q3.
 */
const orgYear = (url: string) => ({
  user: 'branch1', wrongRole: 'member1',
  inScope: (f: { branch: number }) => ({ method: 'GET', url: `${url}?org=${f.branch}&year=2026` }),
  outOfScope: (f: { otherBranch: number }) => ({ method: 'GET', url: `${url}?org=${f.otherBranch}&year=2026` }),
});
const decision = { approvedBy: '中共示范县城关街道工作委员会', approvedOn: '2026-11-10', documentNo: '城街党〔2026〕99号', reason: '矩阵测试：生活困难' };
const payment = (personId: number) => ({ kind: 'due', personId, months: ['2026-11'], paidOn: '2026-11-20', channel: 'cash' });
const collection = (orgId: number) => ({ orgId, month: '2026-11', paidOn: '2026-11-20', channel: 'wechat', exceptions: [] });
const handIn = (orgId: number) => ({ orgId, periodStart: '2026-07-01', periodEnd: '2026-09-30', amountFen: 100, centralFen: 0, handedOn: '2026-11-20', receiptNo: 'JZ-Q3' });

export const DUES_ROUTE_CASES: Record<string, RouteCase> = {
  'GET /api/dues/collection': {
    user: 'branch1', wrongRole: 'member1',
    inScope: (f) => ({ method: 'GET', url: `/api/dues/collection?org=${f.branch}&month=2026-10` }),
    outOfScope: (f) => ({ method: 'GET', url: `/api/dues/collection?org=${f.otherBranch}&month=2026-10` }),
  },
  'POST /api/dues/collection': {
    user: 'branch1', wrongRole: 'member1',
    inScope: (f) => ({ method: 'POST', url: '/api/dues/collection', payload: collection(f.branch) }),
    outOfScope: (f) => ({ method: 'POST', url: '/api/dues/collection', payload: collection(f.otherBranch) }),
  },
  'POST /api/dues/payments': {
    user: 'branch1', wrongRole: 'member1',
    inScope: (f) => ({ method: 'POST', url: '/api/dues/payments', payload: payment(f.member) }),
    outOfScope: (f) => ({ method: 'POST', url: '/api/dues/payments', payload: payment(f.otherMember) }),
  },
  'POST /api/dues/reversals': {
    user: 'branch1', wrongRole: 'member1',
    inScope: (f) => ({ method: 'POST', url: '/api/dues/reversals', payload: { personId: f.member, month: '2026-10', reason: '矩阵测试冲正' } }),
    outOfScope: (f) => ({ method: 'POST', url: '/api/dues/reversals', payload: { personId: f.otherMember, month: '2026-10', reason: '矩阵测试冲正' } }),
  },
  'GET /api/dues/bases': orgYear('/api/dues/bases'),
  'POST /api/dues/bases': {
    user: 'branch1', wrongRole: 'member1',
    inScope: (f) => ({ method: 'POST', url: '/api/dues/bases', payload: { personId: f.member, effectiveMonth: '2027-01', category: 'retired', baseFen: 400_000 } }),
    outOfScope: (f) => ({ method: 'POST', url: '/api/dues/bases', payload: { personId: f.otherMember, effectiveMonth: '2027-01', category: 'retired', baseFen: 400_000 } }),
  },
  'POST /api/dues/bases/carry-forward': {
    user: 'branch1', wrongRole: 'member1',
    inScope: (f) => ({ method: 'POST', url: '/api/dues/bases/carry-forward', payload: { orgId: f.branch, year: 2027 } }),
    outOfScope: (f) => ({ method: 'POST', url: '/api/dues/bases/carry-forward', payload: { orgId: f.otherBranch, year: 2027 } }),
  },
  'POST /api/dues/reductions': {
    user: 'branch1', wrongRole: 'member1',
    inScope: (f) => ({ method: 'POST', url: '/api/dues/reductions', payload: { personId: f.member, kind: 'exemption', fromMonth: '2027-01', toMonth: '2027-03', decision } }),
    outOfScope: (f) => ({ method: 'POST', url: '/api/dues/reductions', payload: { personId: f.otherMember, kind: 'exemption', fromMonth: '2027-01', toMonth: '2027-03', decision } }),
  },
  'GET /api/dues/members/:id/history': {
    user: 'branch1', wrongRole: 'member1',
    inScope: (f) => ({ method: 'GET', url: `/api/dues/members/${f.member}/history?year=2026` }),
    outOfScope: (f) => ({ method: 'GET', url: `/api/dues/members/${f.otherMember}/history?year=2026` }),
  },
  'GET /api/dues/me': { user: 'member1', wrongRole: null, inScope: () => ({ method: 'GET', url: '/api/dues/me?year=2026' }) },
  'GET /api/dues/disclosure': orgYear('/api/dues/disclosure'),
  'GET /api/dues/disclosure.xlsx': orgYear('/api/dues/disclosure.xlsx'),
  'GET /api/dues/ledger.xlsx': orgYear('/api/dues/ledger.xlsx'),
  'GET /api/dues/hand-ins': orgYear('/api/dues/hand-ins'),
  'POST /api/dues/hand-ins': {
    user: 'branch1', wrongRole: 'member1',
    inScope: (f) => ({ method: 'POST', url: '/api/dues/hand-ins', payload: handIn(f.branch) }),
    outOfScope: (f) => ({ method: 'POST', url: '/api/dues/hand-ins', payload: handIn(f.otherBranch) }),
  },
};
