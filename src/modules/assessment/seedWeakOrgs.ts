import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { one, rows } from '../../db/connection.js';
import type { DemoSeedContext } from '../../demo/demoHooks.js';
import { WEAK_ORG_RULE_SET } from '../../domain/weakOrgRules.js';
import { attachmentStore, newStorageKey } from '../../platform/attachments.js';
import { decideCase } from '../../platform/findings.js';
import type { Scope } from '../../platform/scope.js';
import { systemActor, type WriteCtx } from '../../platform/write.js';
import { addProgress, closeEntry, createPlan } from './weakOrgs.js';

/**
 * The 软弱涣散 ledger of the demo county (issue 16 §9), run after the demo's finding evaluation has
 * proposed this year's candidates: the county committee confirms two of them through the same decide
 * path as POST /api/findings/:id/decide — one village branch rectified and closed out (销号) with its
 * acceptance material, one in rectification with a plan and progress entries. The other candidates
 * stay open for someone to decide.
 */
const DEMO_CASES = [
  {
    code: 'SFX030201', decidedOn: '02-26', planOn: '03-06', deadline: '08-31',
    measures: '县委组织部选派第一书记驻村指导；恢复“三会一课”和主题党日，每月由镇党委班子成员参加一次支部组织生活；补齐党员管理台账',
    owner: '石桥村第一党支部书记', leader: '青山镇党委副书记',
    progress: [['04-18', '第一书记已到任，支部召开党员大会通报整顿方案，党员逐一谈心谈话'], ['06-30', '二季度按期召开支部党员大会、支委会和党小组会，主题党日正常开展']],
    close: { on: '09-12', decidedBy: '中共示范县委组织部', decision: '经镇党委初验、县委组织部复核，整顿各项措施落实到位，组织生活正常开展，同意销号' },
  },
  {
    code: 'SFX030402', decidedOn: '02-26', planOn: '03-06', deadline: '12-31',
    measures: '镇党委班子成员包联指导；调整充实支部委员会；建立组织生活月报制度，按季度向镇党委报告整顿进展',
    owner: '桃源村第二党支部书记', leader: '青山镇党委组织委员',
    progress: [['05-20', '支部委员会调整到位，补选组织委员一名'], ['10-15', '三季度组织生活按期开展，镇党委实地督导一次，台账仍需规范']],
    close: null,
  },
] as const;

/** A one-page PNG (white, a red frame) standing in for the scanned acceptance record. */
function placeholderPng(w = 120, h = 160): Buffer {
  const crc = (b: Buffer) => { let c = ~0; for (const x of b) { c ^= x; for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1)); } return ~c >>> 0; };
  const chunk = (type: string, data: Buffer) => {
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const c = Buffer.alloc(4); c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13); ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4); ihdr[8] = 8; ihdr[9] = 2;
  const raw = Buffer.alloc((w * 3 + 1) * h, 255);
  for (let y = 0; y < h; y++) {
    raw[y * (w * 3 + 1)] = 0;
    for (let x = 0; x < w; x++) if (x < 4 || y < 4 || x >= w - 4 || y >= h - 4) raw.set([200, 16, 46], y * (w * 3 + 1) + 1 + x * 3);
  }
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

export async function seedWeakOrgDemo(s: DemoSeedContext): Promise<void> {
  const { tx, ins, today } = s;
  const year = Number(today.slice(0, 4));
  const root = await one<{ id: number; path: string; name: string }>(tx, sql`select id, path, name from orgs where id = ${ins.orgIds.get(s.fixtures.root)!}`);
  const scope: Scope = { tenantId: ins.tenantId, paths: [root!.path], personId: null };
  const w = (md: string): WriteCtx => {
    const day = `${year}-${md}` > today ? today : `${year}-${md}`;
    return { tx, tenantId: ins.tenantId, actor: systemActor, today: day, now: `${day}T02:00:00.000Z`, audit: () => undefined, touch: () => undefined };
  };
  const cases = await rows<{ id: number; code: string; org_id: number; org_path: string }>(tx, sql`select f.id, o.code, f.org_id, f.org_path from findings f join orgs o on o.id = f.org_id
    where f.tenant_id = ${ins.tenantId} and f.rule_set = ${WEAK_ORG_RULE_SET} and f.status = 'open' and f.period = ${String(year)} order by f.id`);
  for (const d of DEMO_CASES) {
    const f = cases.find((c) => c.code === d.code);
    if (!f) continue; // the records no longer propose this org: nothing to confirm
    await decideCase(w(d.decidedOn), scope, Number(f.id), { decidedOn: w(d.decidedOn).today, decidedBy: '中共示范县委常委会', outcome: '经研究，认定为软弱涣散基层党组织，列入本年度整顿名单', confirmed: true }, null);
    const plan = await createPlan(w(d.planOn), scope, { findingId: Number(f.id), measures: d.measures, ownerName: d.owner, leaderName: d.leader, deadline: `${year}-${d.deadline}` });
    for (const [on, content] of d.progress) await addProgress(w(on), scope, plan.id, { content, attachmentIds: [] });
    if (!d.close) continue;
    const png = placeholderPng();
    const key = newStorageKey(ins.tenantId, w(d.close.on).today);
    await attachmentStore(s.ctx).put(key, png);
    const att = await one<{ id: number }>(tx, sql`insert into attachments (tenant_id, org_id, org_path, filename, mime, size, sha256, storage_key, created_by, created_at, updated_at)
      values (${ins.tenantId}, ${f.org_id}, ${f.org_path}, ${'整顿销号验收表.png'}, 'image/png', ${png.length}, ${createHash('sha256').update(png).digest('hex')}, ${key}, ${systemActor.label},
        ${w(d.close.on).now}, ${w(d.close.on).now}) returning id`);
    await closeEntry(w(d.close.on), scope, plan.id, { decidedBy: d.close.decidedBy, decision: d.close.decision, attachmentIds: [Number(att!.id)] });
  }
}
