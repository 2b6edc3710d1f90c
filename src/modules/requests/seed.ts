import { sql } from 'drizzle-orm';
import { one, rows } from '../../db/connection.js';
import type { DemoSeedContext } from '../../demo/demoHooks.js';
import { addDays } from '../../domain/dates.js';
import { maskMobile } from '../../domain/mobile.js';
import type { Rating, RequestKind, RequestState } from '../../domain/requestWorkflow.js';
import { randomToken, sha256Hex } from '../../platform/crypto.js';

/**
 * Demo requests (issue 15 "Demo"): each demo community has requests in several states; 幸福社区
 * (branch1's community, grid1's) has one in every state, including one not accepted in time and one
 * not answered in time (their findings are computed by the seed's evaluation), an accepted wish open
 * for claims and a claimed one, and three ratings (two satisfied of three). Nobody holds the demo
 * requests' tracking tokens: only hashes of fresh random tokens are stored.
 */
interface Demo { kind: RequestKind; state: RequestState; content: string; sub: number; acc?: number; ans?: number; answer?: string; rating?: Rating; ratedAgo?: number; reason?: string }

const MAIN: Demo[] = [
  { kind: 'repair', state: 'submitted', content: '3栋2单元楼道灯不亮，晚上出入不便，请帮忙维修。', sub: 0 },
  { kind: 'opinion', state: 'submitted', content: '小区东门外早市占道经营，车辆无法通行，希望规范管理。', sub: -7 },
  { kind: 'errand', state: 'accepted', content: '家中老人行动不便，想请社区帮忙代办高龄津贴申请。', sub: -3, acc: -3 },
  { kind: 'dispute', state: 'inProgress', content: '楼上住户空调外机滴水到我家窗台，协商未果，请求调解。', sub: -20, acc: -19 },
  { kind: 'repair', state: 'assigned', content: '健身器材（单杠）松动，存在安全隐患。', sub: -4, acc: -4 },
  { kind: 'wish', state: 'accepted', content: '微心愿：独居老人希望有人每周陪同去医院取药一次。', sub: -2, acc: -2 },
  { kind: 'wish', state: 'claimed', content: '微心愿：留守儿童希望得到一套课外读物。', sub: -12, acc: -11 },
  { kind: 'opinion', state: 'answered', content: '建议在小区增设电动自行车集中充电点。', sub: -10, acc: -10, ans: -6, answer: '已与物业协商，下月在2号楼东侧增设充电桩20个。' },
  { kind: 'repair', state: 'rated', content: '5栋下水道堵塞，污水外溢。', sub: -30, acc: -30, ans: -27, answer: '已联系物业疏通，并清理了周边。', rating: 'satisfied', ratedAgo: -26 },
  { kind: 'errand', state: 'rated', content: '请帮忙办理居住证明。', sub: -40, acc: -40, ans: -38, answer: '已开具，请到社区服务站领取。', rating: 'basicallySatisfied', ratedAgo: -37 },
  { kind: 'opinion', state: 'rated', content: '广场舞音响声音太大，影响休息。', sub: -15, acc: -14, ans: -9, answer: '已约谈相关团队，要求晚八点半后停止。', rating: 'dissatisfied', ratedAgo: -8 },
  { kind: 'other', state: 'closed', content: '咨询社区老年大学报名时间。', sub: -9, acc: -9, ans: -8, answer: '每年3月和9月报名，详见社区公告栏。' },
  { kind: 'other', state: 'rejected', content: '要求社区代为追讨私人借款。', sub: -6, reason: '属于民事债务纠纷，请通过人民调解或诉讼途径解决。' },
];
const OTHER: Demo[] = [
  { kind: 'repair', state: 'accepted', content: '路灯损坏，夜间照明不足。', sub: -2, acc: -1 },
  { kind: 'opinion', state: 'rated', content: '希望增加垃圾分类宣传。', sub: -25, acc: -25, ans: -22, answer: '已在各楼栋张贴宣传海报并组织讲座。', rating: 'satisfied', ratedAgo: -21 },
];

export async function seedRequestsDemo(s: DemoSeedContext): Promise<void> {
  const { tx, ins, rng, nowIso, today, ctx } = s;
  const grid1 = await one<{ id: number; display_name: string }>(tx, sql`select id, display_name from users where username = 'grid1'`);
  const communities = await rows<{ id: number; path: string; code: string; grid: number | null }>(tx, sql`select o.id, o.path, o.code,
      (select g.id from grids g where g.org_id = o.id order by g.code limit 1) as grid
    from orgs o where o.tenant_id = ${ins.tenantId} and o.kind in ('basicCommittee', 'generalBranch') and o.unit_type in ('community', 'village') order by o.path`);
  for (const c of communities) {
    for (const d of c.code === 'SFX0101' ? MAIN : OTHER) {
      const mobile = `139${String(rng.int(10_000_000, 99_999_999))}`;
      const day = (n?: number) => (n === undefined ? null : addDays(today, n));
      const r = (await rows<{ id: number }>(tx, sql`insert into resident_requests (tenant_id, org_id, org_path, grid_id, kind, state, channel, content, contact_name,
          mobile_enc, mobile_bidx, mobile_masked, token_hash, submitted_on, accepted_on, answered_on, answer, handled_by, reason, closed_on, rating, rated_on, created_at, updated_at)
        values (${ins.tenantId}, ${c.id}, ${c.path}, ${c.grid}, ${d.kind}, ${d.state}, 'public', ${d.content}, ${rng.pick(['张女士', '李先生', '王大爷', '刘阿姨', '陈先生'])},
          ${ctx.cipher.encrypt(mobile)}, ${ctx.cipher.blindIndex('mobile', mobile)}, ${maskMobile(mobile)}, ${sha256Hex(randomToken())},
          ${day(d.sub)}, ${day(d.acc)}, ${day(d.ans)}, ${d.answer ?? null}, ${d.acc !== undefined ? grid1?.id ?? null : null}, ${d.reason ?? null},
          ${d.state === 'closed' || d.state === 'rejected' ? day(d.ans ?? d.sub) : null}, ${d.rating ?? null}, ${day(d.ratedAgo)}, ${nowIso}, ${nowIso}) returning id`))[0]!;
      if (d.state === 'claimed' && grid1) {
        await tx.execute(sql`insert into request_claims (tenant_id, request_id, org_id, org_path, claimant_user_id, partner_unit, claimant_name, claimed_on, created_at, updated_at)
          values (${ins.tenantId}, ${r.id}, ${c.id}, ${c.path}, ${grid1.id}, '县图书馆', '县图书馆', ${addDays(today, -10)}, ${nowIso}, ${nowIso})`);
      }
    }
  }
}
