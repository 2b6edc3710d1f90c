import { sql } from 'drizzle-orm';
import { rows } from '../../db/connection.js';
import type { DemoSeedContext } from '../../demo/demoHooks.js';
import { idCheckDigit } from '../../domain/idNumber.js';
import { sealPersonal } from './service.js';

/**
 * Demo grids (DOMAIN.md §10): every demo community gets two comprehensive grids served by its first
 * branch (幸福社区 also a dedicated grid for its school), each with a few households whose heads'
 * ID numbers and mobiles are stored encrypted like members'. Runs after the members are in.
 */
const HEADS = ['赵桂兰', '钱志强', '孙丽娟', '李建国', '周秀英', '吴海东', '郑玉梅', '王德明'];
const TAGS = [['elderlyAlone'], [], ['veteran'], [], ['lowIncome', 'keyCare'], [], ['disability'], ['memberHousehold']];

export async function seedGridDemo(s: DemoSeedContext): Promise<void> {
  const { tx, ins, rng, nowIso, ctx, today } = s;
  // the grids were drawn at the start of last year
  const since = `${Number(today.slice(0, 4)) - 1}-01-01`;
  const communities = await rows<{ id: number; path: string; code: string; name: string; branch: number | null }>(tx, sql`select o.id, o.path, o.code, o.name,
      (select b.id from orgs b where b.parent_id = o.id and b.kind = 'branch' order by b.code limit 1) as branch
    from orgs o where o.tenant_id = ${ins.tenantId} and o.kind in ('basicCommittee', 'generalBranch') and o.unit_type in ('community', 'village') order by o.path`);
  for (const c of communities) {
    const main = c.code === 'SFX0101';
    const defs = [
      { code: 'WG01', name: '第一网格', kind: 'comprehensive' },
      { code: 'WG02', name: '第二网格', kind: 'comprehensive' },
      ...(main ? [{ code: 'ZS01', name: '实验小学专属网格', kind: 'dedicated' }] : []),
    ];
    for (const [gi, d] of defs.entries()) {
      const g = (await rows<{ id: number }>(tx, sql`insert into grids (tenant_id, org_id, org_path, code, name, kind, serving_org_id, leader_name, recorded_on, created_at, updated_at)
        values (${ins.tenantId}, ${c.id}, ${c.path}, ${d.code}, ${d.name}, ${d.kind}, ${c.branch}, ${HEADS[(gi + c.id) % HEADS.length]}, ${since}, ${nowIso}, ${nowIso}) returning id`))[0]!;
      const n = main ? 8 : 3;
      for (let i = 0; i < n; i++) {
        const body = `330999${1940 + rng.int(0, 60)}${String(rng.int(1, 12)).padStart(2, '0')}${String(rng.int(1, 28)).padStart(2, '0')}${String(rng.int(100, 999))}`;
        const p = sealPersonal(ctx.cipher, today, body + idCheckDigit(body), `139${String(rng.int(10_000_000, 99_999_999))}`);
        await tx.execute(sql`insert into households (tenant_id, org_id, org_path, grid_id, building, unit, room, head_name, id_number_enc, id_number_bidx, id_number_masked,
            mobile_enc, mobile_bidx, mobile_masked, residents, tags, recorded_on, created_at, updated_at)
          values (${ins.tenantId}, ${c.id}, ${c.path}, ${g.id}, ${`${gi + 1}${i < 4 ? 1 : 2}栋`}, ${`${(i % 2) + 1}单元`}, ${`${(i % 4) + 1}0${(i % 2) + 1}`}, ${HEADS[(i + gi) % HEADS.length]},
            ${p.idEnc}, ${p.idBidx}, ${p.idMasked}, ${p.mobEnc}, ${p.mobBidx}, ${p.mobMasked}, ${rng.int(1, 5)}, ${JSON.stringify(TAGS[i % TAGS.length])}::jsonb, ${since}, ${nowIso}, ${nowIso})`);
      }
    }
  }
}
