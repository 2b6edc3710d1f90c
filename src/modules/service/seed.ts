import { sql } from 'drizzle-orm';
import { one, rows } from '../../db/connection.js';
import type { DemoSeedContext } from '../../demo/demoHooks.js';
import { addDays, addMonths, monthStart } from '../../domain/dates.js';
import { maskMobile } from '../../domain/mobile.js';
import { DEFAULT_ACTIVITY_KINDS, SERVICE_2026 } from '../../domain/serviceRules.js';
import { maskAddress } from './care.js';

/**
 * Demo community service for branch1's community (幸福社区: branch1's branch and its sibling branch):
 * a team each with members and volunteers without a Party stage, a year of activities with check-ins
 * and confirmed hours (the latest past activity of branch1's branch is left unconfirmed and one is
 * planned next week, for the phone journey), households with care tags, visits, pairings (one without
 * a visit in its last window) and a deeds list with done, running, late and dropped items. It runs after
 * the other seeders (its random draws come after theirs), so no existing demo figure changes.
 */
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴'];
const GIVEN = ['秀英', '桂兰', '建国', '淑珍', '志强', '丽华', '海燕', '国庆', '玉梅', '德明'];
const STREETS = ['幸福路', '和平街', '建设巷', '光明路'];
const sample = <T>(rng: DemoSeedContext['rng'], xs: readonly T[], n: number): T[] => {
  const pool = [...xs];
  const out: T[] = [];
  while (out.length < n && pool.length) out.push(pool.splice(rng.int(0, pool.length - 1), 1)[0]!);
  return out;
};
const later = (a: string, b: string) => (a > b ? a : b);

/** The demo's personal data of non-members, deterministic so the plaintext check (test/cli.int.test.ts) can look for it. */
export const demoVolunteerMobile = (branchIndex: number, seq: number) => `139${String(80_000_000 + branchIndex * 1000 + seq).padStart(8, '0')}`;
export const demoHouseholdAddress = (i: number) => `${STREETS[i % 4]}${10 + i * 3}号${1 + (i % 3)}单元${101 + i}室`;
/** Every volunteer mobile and household address the demo may write (two branches at most). */
export const DEMO_SERVICE_SECRETS = [...[0, 1].flatMap((b) => Array.from({ length: 6 }, (_, i) => demoVolunteerMobile(b, i + 1))), ...Array.from({ length: 8 }, (_, i) => demoHouseholdAddress(i))];

export async function seedServiceDemo(s: DemoSeedContext): Promise<void> {
  const { tx, ctx, ins, today, nowIso: now } = s;
  const rng = s.rng; // the seed's random source: this seeder runs last, so earlier seeders' draws are unchanged
  const tenantId = ins.tenantId;
  const branch1 = ins.orgIds.get(s.fixtures.branch1)!;
  const b1 = (await one<{ id: number; path: string; parent_id: number }>(tx, sql`select id, path, parent_id from orgs where id = ${branch1}`))!;
  const siblings = await rows<{ id: number; path: string }>(tx, sql`select id, path from orgs where parent_id = ${b1.parent_id} and kind in ('branch', 'jointBranch') order by id`);
  let mobileSeq = 0;
  for (const [bi, org] of siblings.entries()) {
    const main = org.id === b1.id;
    const members = (await rows<{ id: number }>(tx, sql`select id from people where org_id = ${org.id} and stage in ('probationary', 'full') and state = 'active' order by id`)).map((x) => Number(x.id));
    if (members.length < 4) continue;
    const ins1 = async <T>(q: ReturnType<typeof sql>) => (await one<T>(tx, q))!;
    // team, members, volunteers without a Party stage
    const team = await ins1<{ id: number }>(sql`insert into service_teams (tenant_id, org_id, org_path, name, note, created_at, updated_at)
      values (${tenantId}, ${org.id}, ${org.path}, ${`幸福社区第${bi + 1}党支部志愿服务队`}, '党员和居民志愿者组成', ${now}, ${now}) returning id`);
    const teamMembers = members.slice(0, Math.min(10, members.length));
    for (const p of teamMembers) await tx.execute(sql`insert into service_team_members (tenant_id, team_id, person_id, created_at, updated_at) values (${tenantId}, ${team.id}, ${p}, ${now}, ${now})`);
    const volunteers: number[] = [];
    for (let i = 0; i < (main ? 4 : 2); i += 1) {
      const mobile = demoVolunteerMobile(bi, (mobileSeq += 1));
      const v = await ins1<{ id: number }>(sql`insert into service_volunteers (tenant_id, org_id, org_path, name, gender, mobile_enc, mobile_bidx, mobile_masked, created_at, updated_at)
        values (${tenantId}, ${org.id}, ${org.path}, ${rng.pick(SURNAMES) + rng.pick(GIVEN)}, ${rng.chance(0.6) ? 'female' : 'male'}, ${ctx.cipher.encrypt(mobile)},
          ${ctx.cipher.blindIndex('mobile', mobile)}, ${maskMobile(mobile)}, ${now}, ${now}) returning id`);
      volunteers.push(Number(v.id));
      await tx.execute(sql`insert into service_team_members (tenant_id, team_id, volunteer_id, created_at, updated_at) values (${tenantId}, ${team.id}, ${v.id}, ${now}, ${now})`);
    }
    // a year of activities: two a month in branch1's branch, one a month in the other
    const days = main ? [6, 20] : [12];
    const held: string[] = [];
    for (let m = 11; m >= 0; m -= 1) for (const d of days) {
      const day = addDays(addMonths(monthStart(today), -m), d - 1);
      if (day < today) held.push(day);
    }
    for (const [ai, day] of held.entries()) {
      const kind = DEFAULT_ACTIVITY_KINDS[ai % 5]!;
      const a = await ins1<{ id: number }>(sql`insert into service_activities (tenant_id, org_id, org_path, team_id, title, kind, held_on, start_time, end_time, place, capacity, rule_set, created_at, updated_at)
        values (${tenantId}, ${org.id}, ${org.path}, ${team.id}, ${`${kind}志愿服务`}, ${kind}, ${day}, '09:00', '11:00', '幸福社区党群服务中心', 30, ${SERVICE_2026.id}, ${now}, ${now}) returning id`);
      const confirm = !(main && ai === held.length - 1);
      const people = sample(rng, teamMembers, Math.min(teamMembers.length, rng.int(3, 6)));
      const vols = sample(rng, volunteers, rng.int(0, volunteers.length));
      const at = `${day}T01:05:00.000Z`;
      for (const [pid, vid] of [...people.map((p) => [p, null] as const), ...vols.map((v) => [null, v] as const)]) {
        const minutes = confirm ? rng.pick([90, 120, 120]) : null;
        await tx.execute(sql`insert into service_participations (tenant_id, org_id, org_path, activity_id, person_id, volunteer_id, signed_up_at, checked_in_at, minutes, confirmed_at, created_at, updated_at)
          values (${tenantId}, ${org.id}, ${org.path}, ${a.id}, ${pid}, ${vid}, ${at}, ${at}, ${minutes}, ${confirm ? at : null}, ${now}, ${now})`);
      }
    }
    if (main) {
      await tx.execute(sql`insert into service_activities (tenant_id, org_id, org_path, team_id, title, kind, held_on, start_time, end_time, place, capacity, rule_set, created_at, updated_at)
        values (${tenantId}, ${org.id}, ${org.path}, ${team.id}, '助老志愿服务（下周）', '助老', ${addDays(today, 7)}, '09:00', '11:00', '幸福社区老年活动室', 20, ${SERVICE_2026.id}, ${now}, ${now})`);
    }
    // households, visits, pairings
    const tags = [['elderlyAlone'], ['disability', 'lowIncome'], ['veteran'], ['hardshipMember'], ['lowIncome'], ['elderlyAlone', 'seriousIllness'], ['leftBehind'], []];
    const households: number[] = [];
    for (let i = 0; i < (main ? 8 : 4); i += 1) {
      const address = demoHouseholdAddress(i);
      const h = await ins1<{ id: number }>(sql`insert into service_households (tenant_id, org_id, org_path, head_name, address_enc, address_masked, care_tags, created_at, updated_at)
        values (${tenantId}, ${org.id}, ${org.path}, ${rng.pick(SURNAMES) + rng.pick(GIVEN)}, ${ctx.cipher.encrypt(address)}, ${maskAddress(address)}, ${`{${tags[i]!.join(',')}}`}::text[], ${now}, ${now}) returning id`);
      households.push(Number(h.id));
    }
    // the third pairing's household (branch1's) gets no visits: its pairing is late
    const visitable = main ? households.filter((_, i) => i !== 2) : households;
    const visitKinds = ['holidayCare', 'hardship', 'illness', 'pairing', 'memberBirthday', 'other'];
    for (let i = 0; i < (main ? 20 : 6); i += 1) {
      const day = addDays(today, -rng.int(3, 350));
      const money = rng.chance(0.5) ? rng.pick([20_000, 30_000, 50_000]) : 0;
      await tx.execute(sql`insert into service_visits (tenant_id, org_id, org_path, household_id, visited_on, kind, visitor_ids, money_fen, goods, note, follow_up_needed, follow_up_note, created_at, updated_at)
        values (${tenantId}, ${org.id}, ${org.path}, ${visitable[i % visitable.length]}, ${day}, ${visitKinds[i % visitKinds.length]}, ${`{${sample(rng, members.slice(0, 6), rng.int(1, 2)).join(',')}}`}::int[],
          ${money}, ${money ? null : '米、油各一份'}, '了解生活情况', ${i % 7 === 3}, ${i % 7 === 3 ? '协调社区卫生服务站上门随访' : null}, ${now}, ${now})`);
    }
    if (main) {
      // two pairings visited every quarter, one not visited since it started (a late window)
      for (const [i, hh] of households.slice(0, 3).entries()) {
        const start = addMonths(monthStart(today), -9);
        await tx.execute(sql`insert into service_pairings (tenant_id, org_id, org_path, household_id, person_id, start_on, frequency, created_at, updated_at)
          values (${tenantId}, ${org.id}, ${org.path}, ${hh}, ${members[i]}, ${start}, 'quarterly', ${now}, ${now})`);
        if (i < 2) for (let q = 0; q < 4; q += 1) {
          const day = addDays(addMonths(start, q * 3), 20);
          if (day >= today) break;
          await tx.execute(sql`insert into service_visits (tenant_id, org_id, org_path, household_id, visited_on, kind, visitor_ids, money_fen, created_at, updated_at)
            values (${tenantId}, ${org.id}, ${org.path}, ${hh}, ${day}, 'pairing', ${`{${members[i]}}`}::int[], 0, ${now}, ${now})`);
        }
      }
    }
    // practical deeds of this year: done, running, late, planned, dropped
    const year = Number(today.slice(0, 4));
    const deeds: [string, string, string, string | null, string | null][] = main
      ? [
        ['修复幸福路12号楼道照明', 'residentRequest', 'done', addDays(today, -200), addDays(today, -210)],
        ['为独居老人安装紧急呼叫器', 'visit', 'done', addDays(today, -120), addDays(today, -130)],
        ['和平街积水点改造', 'residentRequest', 'done', addDays(today, -60), addDays(today, -75)],
        ['开设“四点半课堂”', 'consultation', 'done', addDays(today, -30), addDays(today, -40)],
        ['小区增设电动车充电桩', 'consultation', 'inProgress', null, addDays(today, 30)],
        ['建设巷路面修补', 'residentRequest', 'inProgress', null, addDays(today, -10)],
        ['老旧小区加装扶手', 'visit', 'planned', null, addDays(today, -5)],
        ['与共建单位合办义诊', 'partnerProject', 'dropped', null, null],
      ]
      : [
        ['光明路垃圾分类亭改造', 'residentRequest', 'done', addDays(today, -90), addDays(today, -100)],
        ['困难家庭子女助学结对', 'visit', 'inProgress', null, addDays(today, 40)],
      ];
    const planned = later(`${year}-01-01`, addDays(today, -250));
    for (const [item, source, status, done, deadline] of deeds) {
      const doneOn = done ? later(done, planned) : null;
      await tx.execute(sql`insert into service_deeds (tenant_id, org_id, org_path, year, item, source, owner_person_id, deadline, status, planned_on, started_on, done_on, dropped_on, drop_reason, evidence, feedback, created_at, updated_at)
        values (${tenantId}, ${org.id}, ${org.path}, ${year}, ${item}, ${source}, ${members[0]}, ${deadline}, ${status}, ${planned}, ${status === 'planned' || status === 'dropped' ? null : planned},
          ${doneOn}, ${status === 'dropped' ? later(planned, addDays(today, -50)) : null}, ${status === 'dropped' ? '共建单位调整年度计划，改为明年实施' : null},
          ${status === 'done' ? '已完成，现场照片和居民签字确认单存档' : null}, ${status === 'done' ? '满意' : null}, ${now}, ${now})`);
    }
  }
}
