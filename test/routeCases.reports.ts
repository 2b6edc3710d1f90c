import { beforeAll } from 'vitest';
import { sql } from 'drizzle-orm';
import { one, type Db } from '../src/db/connection.js';
import type { RouteCase } from './routeCases.js';
import { PLATFORM_FIXTURES } from './routeCases.platform.js';
import { openTestDb } from './db.js';
import { TEST_TODAY } from './env.js';
import { TEST_TEMPLATE } from './reportTemplate.fixture.js';

/**
 * Authorization-matrix cases for the reports routes. Report, rectification and job ids come from the
 * demo seed (last year's final reports with comments and items, this year's drafts), read once from a
 * clone of our own, as the orgLife cases do.
 */
export const REPORT_FIXTURES = {
  finalReport: 0, otherFinalReport: 0, outsideFinalReport: 0, draft: 0, otherDraft: 0, rect: 0, otherRect: 0, job: 0, templateKey: '', fieldName: '',
};

async function loadReportFixtures(db: Db) {
  const rep = async (code: string, status: string) => (await one<{ id: number }>(db, sql`select r.id from reports r join orgs o on o.id = r.org_id where o.code = ${code} and r.status = ${status} order by r.id limit 1`))?.id ?? 0;
  const rect = async (code: string) => (await one<{ id: number }>(db, sql`select i.id from rectification_items i join orgs o on o.id = i.org_id where o.code = ${code} and not i.closed order by i.id limit 1`))?.id ?? 0;
  Object.assign(REPORT_FIXTURES, {
    finalReport: await rep('SFX010101', 'final'), otherFinalReport: await rep('SFX010102', 'final'), outsideFinalReport: await rep('SFX020101', 'final'),
    draft: await rep('SFX010101', 'draft'), otherDraft: await rep('SFX010102', 'draft'),
    rect: await rect('SFX010101'), otherRect: await rect('SFX010102'),
    job: (await one<{ id: number }>(db, sql`select id from report_jobs order by id limit 1`))!.id,
    fieldName: ((await one<{ placeholders: unknown }>(db, sql`select placeholders from reports r join orgs o on o.id = r.org_id where o.code = 'SFX010101' and r.status = 'draft' order by r.id limit 1`))!.placeholders as { status: string; fieldName?: string }[])
      .find((p) => p.status === 'field')?.fieldName ?? 'none',
    templateKey: (await one<{ template_key: string }>(db, sql`select template_key from reports order by id limit 1`))!.template_key,
  });
}

beforeAll(async () => {
  const tdb = await openTestDb();
  try {
    await loadReportFixtures(tdb.ctx.db);
  } finally {
    await tdb.close();
  }
});

const R = REPORT_FIXTURES;
const YEAR = Number(TEST_TODAY.slice(0, 4));
const get = (user: string, wrongRole: string | null, url: () => string, outUrl?: () => string): RouteCase => ({
  user, wrongRole, inScope: () => ({ method: 'GET', url: url() }), ...(outUrl ? { outOfScope: () => ({ method: 'GET', url: outUrl() }) } : {}),
});
const onDraft = (method: string, path: string, payload: unknown): RouteCase => ({
  user: 'branch1', wrongRole: 'member1',
  inScope: () => ({ method, url: `/api/reports/${R.draft}${path}`, payload }),
  outOfScope: () => ({ method, url: `/api/reports/${R.otherDraft}${path}`, payload }),
});

export const REPORT_ROUTE_CASES: Record<string, RouteCase> = {
  'GET /api/report-templates': get('branch1', 'member1', () => '/api/report-templates'),
  'GET /api/report-templates/:key': get('branch1', 'member1', () => `/api/report-templates/${R.templateKey}`),
  'POST /api/report-templates/validate': {
    user: 'street1', wrongRole: 'branch1', inScope: () => ({ method: 'POST', url: '/api/report-templates/validate', payload: { ...TEST_TEMPLATE, version: 1 } }),
  },
  'POST /api/report-templates': {
    user: 'street1', wrongRole: 'branch1', inScope: () => ({ method: 'POST', url: '/api/report-templates', payload: TEST_TEMPLATE }),
  },
  'POST /api/report-templates/:key/copy': {
    user: 'street1', wrongRole: 'branch1',
    inScope: () => ({ method: 'POST', url: `/api/report-templates/${R.templateKey}/copy`, payload: { newKey: 'matrixCopy', name: '矩阵测试模板' } }),
  },
  'GET /api/reports': {
    user: 'branch1', wrongRole: 'member1',
    inScope: () => ({ method: 'GET', url: `/api/reports?year=${YEAR}` }),
    outOfScope: (f) => ({ method: 'GET', url: `/api/reports?org=${f.otherBranch}` }),
  },
  'POST /api/reports': {
    user: 'branch1', wrongRole: 'member1',
    inScope: (f) => ({ method: 'POST', url: '/api/reports', payload: { orgId: f.branch, year: YEAR + 1, templateKey: R.templateKey } }),
    outOfScope: (f) => ({ method: 'POST', url: '/api/reports', payload: { orgId: f.otherBranch, year: YEAR + 1, templateKey: R.templateKey } }),
  },
  'GET /api/reports/:id': get('branch1', 'member1', () => `/api/reports/${R.finalReport}`, () => `/api/reports/${R.otherFinalReport}`),
  'POST /api/reports/:id/refresh': onDraft('POST', '/refresh', undefined),
  'PUT /api/reports/:id/narratives/:nid': onDraft('PUT', '/narratives/n1', { html: '<p>矩阵测试</p>' }),
  'PUT /api/reports/:id/fields/:name': { ...onDraft('PUT', '/fields/FIELD', { value: 9, reason: '台账' }), inScope: () => ({ method: 'PUT', url: `/api/reports/${R.draft}/fields/${R.fieldName}`, payload: { value: 9, reason: '台账' } }), outOfScope: () => ({ method: 'PUT', url: `/api/reports/${R.otherDraft}/fields/${R.fieldName}`, payload: { value: 9, reason: '台账' } }) },
  'PUT /api/reports/:id/placeholders/:pid/override': onDraft('PUT', '/placeholders/f1/override', { removed: true, reason: '矩阵测试' }),
  'POST /api/reports/:id/finalize': onDraft('POST', '/finalize', undefined),
  'POST /api/reports/:id/new-version': {
    user: 'branch1', wrongRole: 'member1',
    inScope: () => ({ method: 'POST', url: `/api/reports/${R.finalReport}/new-version` }),
    outOfScope: () => ({ method: 'POST', url: `/api/reports/${R.otherFinalReport}/new-version` }),
  },
  'GET /api/reports/:id/docx': get('branch1', 'member1', () => `/api/reports/${R.finalReport}/docx`, () => `/api/reports/${R.otherFinalReport}/docx`),
  'GET /api/reports/:id/pdf': {
    ...get('branch1', 'member1', () => `/api/reports/${R.finalReport}/pdf`, () => `/api/reports/${R.otherFinalReport}/pdf`),
    // A LibreOffice conversion takes seconds and the matrix loop has one time limit, so the in-scope success
    // of the PDF route is checked in src/modules/reports/reports.int.test.ts (503 with what to install when
    // LibreOffice is absent); here 401 / 403 / 404 are checked on the PDF route itself.
    inScope: () => ({ method: 'GET', url: `/api/reports/${R.finalReport}/print` }),
  },
  'GET /api/reports/:id/print': get('branch1', 'member1', () => `/api/reports/${R.finalReport}/print`, () => `/api/reports/${R.otherFinalReport}/print`),
  'GET /api/reports/:id/placeholders/:pid/evidence': get('branch1', 'member1',
    () => `/api/reports/${R.finalReport}/placeholders/f1/evidence`, () => `/api/reports/${R.otherFinalReport}/placeholders/f1/evidence`),
  'GET /api/report-reviews': {
    user: 'street1', wrongRole: 'branch1',
    inScope: (f) => ({ method: 'GET', url: `/api/report-reviews?org=${f.community}&year=${YEAR - 1}` }),
    outOfScope: (f) => ({ method: 'GET', url: `/api/report-reviews?org=${f.otherCommunity}&year=${YEAR - 1}` }),
  },
  'POST /api/reports/:id/comments': {
    user: 'street1', wrongRole: 'branch1',
    inScope: () => ({ method: 'POST', url: `/api/reports/${R.finalReport}/comments`, payload: { strengths: '组织生活规范', problems: '学习形式单一', grade: '较好' } }),
    outOfScope: () => ({ method: 'POST', url: `/api/reports/${R.outsideFinalReport}/comments`, payload: { strengths: '好', problems: '无', grade: '好' } }),
  },
  'GET /api/reports/:id/comments': get('branch1', 'member1', () => `/api/reports/${R.finalReport}/comments`, () => `/api/reports/${R.otherFinalReport}/comments`),
  'POST /api/rectifications': {
    user: 'street1', wrongRole: 'branch1',
    inScope: () => ({ method: 'POST', url: '/api/rectifications', payload: { reportId: R.finalReport, problem: '矩阵测试问题', ownerName: '支部书记', deadline: '2027-03-31', evidenceRequired: '整改说明' } }),
    outOfScope: () => ({ method: 'POST', url: '/api/rectifications', payload: { reportId: R.outsideFinalReport, problem: '矩阵测试问题', ownerName: '支部书记', deadline: '2027-03-31', evidenceRequired: '整改说明' } }),
  },
  'GET /api/rectifications': {
    user: 'branch1', wrongRole: 'member1',
    inScope: () => ({ method: 'GET', url: '/api/rectifications?status=open' }),
    outOfScope: (f) => ({ method: 'GET', url: `/api/rectifications?org=${f.otherBranch}` }),
  },
  'POST /api/rectifications/:id/close': {
    user: 'branch1', wrongRole: 'member1',
    inScope: () => ({ method: 'POST', url: `/api/rectifications/${R.rect}/close`, payload: { note: '已整改', attachmentIds: [PLATFORM_FIXTURES.attachment] } }),
    outOfScope: () => ({ method: 'POST', url: `/api/rectifications/${R.otherRect}/close`, payload: { note: '已整改', attachmentIds: [PLATFORM_FIXTURES.attachment] } }),
  },
  'POST /api/report-jobs': {
    user: 'branch1', wrongRole: 'member1',
    inScope: (f) => ({ method: 'POST', url: '/api/report-jobs', payload: { orgId: f.branch, year: YEAR } }),
    outOfScope: (f) => ({ method: 'POST', url: '/api/report-jobs', payload: { orgId: f.otherBranch, year: YEAR } }),
  },
  'GET /api/report-jobs/:id': get('street1', 'member1', () => `/api/report-jobs/${R.job}`),
  'GET /api/figures/catalogue': {
    user: 'branch1', wrongRole: 'member1',
    inScope: (f) => ({ method: 'GET', url: `/api/figures/catalogue?org=${f.branch}` }),
    outOfScope: (f) => ({ method: 'GET', url: `/api/figures/catalogue?org=${f.otherBranch}` }),
  },
};
