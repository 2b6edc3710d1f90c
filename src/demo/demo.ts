import { sql } from 'drizzle-orm';
import { one, type Db } from '../db/connection.js';
import { addDays, addMonths } from '../domain/dates.js';
import type { AppContext } from '../platform/context.js';
import { hashPassword } from '../platform/auth.js';
import { appendAudit } from '../platform/audit.js';
import { evaluateFindings } from '../platform/findings.js';
import { systemActor } from '../platform/write.js';
import { DatasetBuilder, populateBranch, type Dataset, type GenOrg } from './generator.js';
import { insertDataset } from './insert.js';
import { ensureCalendarSeeded } from '../platform/calendar.js';
import { Rng } from './random.js';
import '../modules/registry.js';
import type { DemoSeedContext } from './demoHooks.js';
import { seedOrgLifeDemo } from '../modules/orgLife/seed.js';
import { seedDuesDemo } from '../modules/dues/seed.js';
import { seedReportsDemo } from '../modules/reports/seed.js';
import { seedAssessmentDemo } from '../modules/assessment/seed.js';
import { seedWeakOrgDemo } from '../modules/assessment/seedWeakOrgs.js';
import { seedDevelopmentDemo } from '../modules/development/seed.js';
import { seedGridDemo } from '../modules/grid/seed.js';
import { seedRequestsDemo } from '../modules/requests/seed.js';
import { seedServiceDemo } from '../modules/service/seed.js';

/** Module seeders run in order after the org tree and members are in (organizational life, dues). */
const MODULE_SEEDERS: ((s: DemoSeedContext) => Promise<void>)[] = [seedOrgLifeDemo, seedDuesDemo, seedReportsDemo, seedAssessmentDemo, seedDevelopmentDemo, seedGridDemo, seedRequestsDemo, seedServiceDemo];

/**
 * The demo county (示范县): a county committee and its organization department, two subdistricts
 * and a township, ten communities and villages, their general branches, branches and groups, about
 * 600 members. Everything is fictional; dates are relative to the clock's today. Findings are
 * computed by evaluation after the insert, never inserted.
 */
export const DEMO_PASSWORD = 'zhibu123';

export const DEMO_LOGINS = [
  { username: 'admin', role: 'sysAdmin', label: '系统管理员（全县，可查看个人信息）' },
  { username: 'county', role: 'orgAdmin', label: '县委组织部管理员（全县，可查看个人信息）' },
  { username: 'street1', role: 'orgAdmin', label: '城关街道党工委管理员' },
  { username: 'branch1', role: 'partyWorker', label: '幸福社区第一党支部党务干事' },
  { username: 'member1', role: 'member', label: '幸福社区第一党支部党员' },
  { username: 'grid1', role: 'gridWorker', label: '幸福社区网格员（网格、住户、群众诉求）' },
] as const;

export function buildDemoDataset(today: string): { ds: Dataset; fixtures: { branch1: string; street1: string; member1: string; root: string } } {
  const rng = new Rng(42);
  const b = new DatasetBuilder(rng, today);
  const X = '中共示范县';
  b.org({ key: 'root', parentKey: null, name: `${X}委员会`, kind: 'partyCommittee', code: 'SFX', unitType: 'agency', approvesMembers: true });
  b.org({ key: 'dept', parentKey: 'root', name: `${X}委组织部`, kind: 'organizationDept', code: 'SFX-ZZB', unitType: 'agency', approvesMembers: false });
  const cg = b.org({ key: 'cg', parentKey: 'root', name: `${X}城关街道工作委员会`, kind: 'subdistrictWorkCommittee', code: 'SFX01', unitType: 'agency', approvesMembers: true });
  const dh = b.org({ key: 'dh', parentKey: 'root', name: `${X}东湖街道工作委员会`, kind: 'subdistrictWorkCommittee', code: 'SFX02', unitType: 'agency', approvesMembers: true });
  const qs = b.org({ key: 'qs', parentKey: 'root', name: `${X}青山镇委员会`, kind: 'townshipCommittee', code: 'SFX03', unitType: 'agency', approvesMembers: true });

  const community = (parent: GenOrg, key: string, short: string, code: string, unitType: 'community' | 'village') =>
    b.org({ key, parentKey: parent.key, name: `${parent.name.replace(/(工作)?委员会$/, '')}${short}委员会`, kind: 'basicCommittee', code, unitType, approvesMembers: false });
  const branch = (parent: GenOrg, key: string, short: string, code: string, extra: Partial<GenOrg> = {}) =>
    b.org({ key, parentKey: parent.key, name: `${parent.name.replace(/(总支部)?委员会$/, '')}${short}`, kind: 'branch', code, unitType: parent.unitType, approvesMembers: false, ...extra });
  const group = (parent: GenOrg, n: number) =>
    b.org({ key: `${parent.key}g${n}`, parentKey: parent.key, name: `${parent.name}第${'一二三四'[n - 1]}党小组`, kind: 'partyGroup', code: `${parent.code}G${n}`, unitType: parent.unitType, approvesMembers: false });

  // 城关街道: 幸福社区 holds branch1's branch (the fixture the acceptance journeys use).
  const xf = community(cg, 'xf', '幸福社区', 'SFX0101', 'community');
  const xf1 = branch(xf, 'xf1', '第一党支部', 'SFX010101', { tags: ['示范点'] });
  const g1 = group(xf1, 1);
  const g2 = group(xf1, 2);
  const xfMembers = Array.from({ length: 16 }, (_, i) => b.person(xf1.key, { stage: i < 14 ? 'full' : undefined, ageRange: [26, 78] }));
  xfMembers.forEach((m, i) => (m.groupKey = (i % 2 === 0 ? g1 : g2).key));
  const fullXf = xfMembers.filter((m) => m.stage === 'full');
  b.post(fullXf[0].key, xf1.key, 'secretary');
  b.post(fullXf[1].key, xf1.key, 'organizationMember');
  b.post(fullXf[2].key, xf1.key, 'publicityMember');
  const member1 = fullXf[3];
  // one probationary member whose year has run out without a decision
  b.person(xf1.key, { stage: 'probationary', probationaryMonthsAgo: 14, ageRange: [25, 35] }).groupKey = g2.key;
  populateBranch(b, branch(xf, 'xf2', '第二党支部', 'SFX010102'), 14);
  populateBranch(b, branch(xf, 'xf3', '第三党支部', 'SFX010103'), 12);
  // a branch whose term ends within six months
  const hp = community(cg, 'hp', '和平社区', 'SFX0102', 'community');
  const hp1 = branch(hp, 'hp1', '第一党支部', 'SFX010201', { termStart: addDays(addMonths(today, 4), -3 * 365), termEnd: addMonths(today, 4) });
  populateBranch(b, hp1, 18);
  populateBranch(b, branch(hp, 'hp2', '第二党支部', 'SFX010202'), 15);
  const cy = community(cg, 'cy', '朝阳社区', 'SFX0103', 'community');
  populateBranch(b, branch(cy, 'cy1', '第一党支部', 'SFX010301'), 17);
  // a branch of 9 full members with no committee posts held
  const cy2 = branch(cy, 'cy2', '第二党支部', 'SFX010302');
  populateBranch(b, cy2, 9, { committee: false }).forEach((m) => { m.stage = 'full'; m.fullOn = m.fullOn ?? addMonths(m.admittedOn, 12); });
  // a tiny branch: two full members and a probationary one
  const cg3 = b.org({ key: 'cgjg', parentKey: cg.key, name: `${X}城关街道机关党支部`, kind: 'branch', code: 'SFX0104', unitType: 'agency', approvesMembers: false });
  b.person(cg3.key, { stage: 'full', ageRange: [30, 55] });
  b.person(cg3.key, { stage: 'full', ageRange: [30, 55] });
  b.person(cg3.key, { stage: 'probationary', probationaryMonthsAgo: 5, ageRange: [24, 30] });

  // 东湖街道: a general branch with three branches, a community, an enterprise branch
  const xc = community(dh, 'xc', '新城社区', 'SFX0201', 'community');
  for (let i = 1; i <= 3; i++) populateBranch(b, branch(xc, `xc${i}`, `第${'一二三'[i - 1]}党支部`, `SFX02010${i}`), 16 + i);
  const hb = b.org({ key: 'hb', parentKey: dh.key, name: `${X}东湖街道湖滨社区总支部委员会`, kind: 'generalBranch', code: 'SFX0202', unitType: 'community', approvesMembers: false });
  for (let i = 1; i <= 3; i++) populateBranch(b, branch(hb, `hb${i}`, `第${'一二三'[i - 1]}党支部`, `SFX02020${i}`), 13 + i * 2);
  const jy = community(dh, 'jy', '锦园社区', 'SFX0203', 'community');
  populateBranch(b, branch(jy, 'jy1', '第一党支部', 'SFX020301'), 20, { groups: [] });
  populateBranch(b, branch(jy, 'jy2', '第二党支部', 'SFX020302'), 16);
  populateBranch(b, b.org({ key: 'kj', parentKey: dh.key, name: `${X}东湖科技有限公司支部委员会`, kind: 'branch', code: 'SFX0204', unitType: 'privateEnterprise', approvesMembers: false }), 11);
  populateBranch(b, b.org({ key: 'sg', parentKey: dh.key, name: `${X}东湖街道社会组织联合党支部`, kind: 'jointBranch', code: 'SFX0205', unitType: 'socialOrganization', approvesMembers: false }), 7);

  // 青山镇: villages with branches and groups
  const villages = [['qsc', '青山村'], ['sqc', '石桥村'], ['lxc', '柳溪村'], ['tjc', '桃源村']] as const;
  villages.forEach(([key, short], i) => {
    const v = community(qs, key, short, `SFX030${i + 1}`, 'village');
    for (let k = 1; k <= 3; k++) {
      const br = branch(v, `${key}${k}`, `第${'一二三'[k - 1]}党支部`, `SFX030${i + 1}0${k}`);
      const groups = k === 1 ? [group(br, 1), group(br, 2)] : [];
      populateBranch(b, br, 14 + ((i + k) % 5) * 2, { groups });
    }
  });
  populateBranch(b, b.org({ key: 'qsjg', parentKey: qs.key, name: `${X}青山镇机关支部委员会`, kind: 'branch', code: 'SFX0305', unitType: 'agency', approvesMembers: false }), 19);

  // a few members whose ID numbers were never recorded
  for (const key of ['hp2', 'xc2', 'sqc1']) {
    const p = b.people.find((x) => x.orgKey === key && x.stage === 'full');
    if (p) p.idNumber = null;
  }
  return { ds: { tenantName: `${X}委员会`, orgs: b.orgs, people: b.people, posts: b.posts }, fixtures: { branch1: 'xf1', street1: 'cg', member1: member1.key, root: 'root' } };
}

/** Seed the demo when the database has no tenant yet. Returns false when it already had data. */
export async function seedDemoIfEmpty(ctx: AppContext, db: Db): Promise<boolean> {
  const existing = await one<{ n: number }>(db, sql`select count(*)::int as n from tenants`);
  if ((existing?.n ?? 0) > 0) return false;
  await seedDemo(ctx, db);
  return true;
}

export async function seedDemo(ctx: AppContext, db: Db): Promise<void> {
  const today = ctx.clock.today();
  const { ds, fixtures } = buildDemoDataset(today);
  await db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    const now = ctx.clock.nowIso();
    const ins = await insertDataset(tx, ds, ctx.cipher, now);
    const pw = await hashPassword(DEMO_PASSWORD);
    const users: { username: string; name: string; org: string; role: string; pd: boolean; person?: string }[] = [
      { username: 'admin', name: '系统管理员', org: fixtures.root, role: 'sysAdmin', pd: true },
      { username: 'county', name: '县委组织部', org: fixtures.root, role: 'orgAdmin', pd: true },
      { username: 'street1', name: '城关街道党工委', org: fixtures.street1, role: 'orgAdmin', pd: false },
      { username: 'branch1', name: '幸福社区第一党支部', org: fixtures.branch1, role: 'partyWorker', pd: false },
      { username: 'member1', name: ds.people.find((p) => p.key === fixtures.member1)!.name, org: fixtures.branch1, role: 'member', pd: false, person: fixtures.member1 },
      // branch1's community (幸福社区), where the demo grids and requests are
      { username: 'grid1', name: '幸福社区网格员', org: 'xf', role: 'gridWorker', pd: false },
    ];
    for (const u of users) {
      const personId = u.person ? ins.personIds.get(u.person)! : null;
      const row = (await one<{ id: number }>(tx, sql`insert into users (tenant_id, username, display_name, password_hash, person_id, created_at, updated_at)
        values (${ins.tenantId}, ${u.username}, ${u.name}, ${pw}, ${personId}, ${now}, ${now}) returning id`))!;
      await tx.execute(sql`insert into grants (tenant_id, user_id, org_id, role, can_view_personal_data, created_at, updated_at)
        values (${ins.tenantId}, ${row.id}, ${ins.orgIds.get(u.org)!}, ${u.role}, ${u.pd}, ${now}, ${now})`);
    }
    await ensureCalendarSeeded(tx);
    const seedCtx: DemoSeedContext = { tx, ctx, ds, ins, today, rng: new Rng(7), nowIso: now, fixtures };
    for (const seeder of MODULE_SEEDERS) await seeder(seedCtx);
    // PGlite never refreshes planner statistics by itself; a fresh demo needs them for sane plans.
    await tx.execute(sql`analyze`);
    const summary = await evaluateFindings(tx, { tenantId: ins.tenantId, paths: null, today }, { nowIso: now });
    // decisions on the cases evaluation proposed (the 软弱涣散 ledger): only after evaluation, as a person would
    await seedWeakOrgDemo(seedCtx);
    await appendAudit(tx, ctx.clock, ins.tenantId, systemActor, [
      { action: 'seed', entity: 'system', meta: { dataset: 'demo', orgs: ds.orgs.length, people: ds.people.length, today } },
      { action: 'evaluate', entity: 'finding', meta: summary },
    ]);
  });
}
