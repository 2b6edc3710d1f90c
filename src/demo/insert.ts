import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../db/connection.js';
import type { Cipher } from '../platform/crypto.js';
import { maskIdNumber } from '../domain/idNumber.js';
import { maskMobile } from '../domain/mobile.js';
import { defaultApprovesMembers } from '../domain/vocab.js';
import { compareDates } from '../domain/dates.js';
import type { Dataset } from './generator.js';

/**
 * Bulk insert of a generated dataset in the caller's transaction: ids are reserved from the
 * sequences first so paths and links are computed in memory, then rows go in batches (well under
 * the 65,535-parameter bind limit).
 */
async function reserveIds(db: Db, table: string, n: number): Promise<number[]> {
  if (n === 0) return [];
  const r = await rows<{ id: number }>(db, sql`select nextval(pg_get_serial_sequence(${table}, 'id'))::int as id from generate_series(1, ${n})`);
  return r.map((x) => x.id);
}

async function batchInsert(db: Db, head: SQL, tuples: SQL[], size = 1000, onBatch?: (done: number) => void) {
  for (let i = 0; i < tuples.length; i += size) {
    await db.execute(sql`${head} values ${sql.join(tuples.slice(i, i + size), sql`, `)}`);
    onBatch?.(Math.min(i + size, tuples.length));
  }
}

const textArray = (a: string[]) => sql`${`{${a.map((t) => JSON.stringify(t)).join(',')}}`}::text[]`;

export interface Inserted {
  tenantId: number;
  orgIds: Map<string, number>;
  personIds: Map<string, number>;
}

export async function insertDataset(db: Db, ds: Dataset, cipher: Cipher, nowIso: string, onProgress?: (what: string, done: number, total: number) => void): Promise<Inserted> {
  const [tenant] = await rows<{ id: number }>(db, sql`insert into tenants (name, created_at, updated_at) values (${ds.tenantName}, ${nowIso}, ${nowIso}) returning id`);
  const tenantId = tenant.id;
  const orgIdList = await reserveIds(db, 'orgs', ds.orgs.length);
  const orgIds = new Map(ds.orgs.map((o, i) => [o.key, orgIdList[i]]));
  const paths = new Map<string, { path: string; depth: number }>();
  for (const o of ds.orgs) {
    const id = orgIds.get(o.key)!;
    const parent = o.parentKey ? paths.get(o.parentKey) : null;
    if (o.parentKey && !parent) throw new Error(`org ${o.key} listed before its parent`);
    paths.set(o.key, { path: `${parent?.path ?? '/'}${id}/`, depth: parent ? parent.depth + 1 : 0 });
  }
  await batchInsert(
    db,
    sql`insert into orgs (id, tenant_id, parent_id, path, depth, name, kind, code, unit_type, established_on, term_start, term_end, tags, approves_members, approves_members_grant, sort_order, created_at, updated_at)`,
    ds.orgs.map((o, i) => {
      const p = paths.get(o.key)!;
      const approves = o.approvesMembers ?? defaultApprovesMembers(o.kind as never, o.unitType as never);
      return sql`(${orgIds.get(o.key)}, ${tenantId}, ${o.parentKey ? orgIds.get(o.parentKey)! : null}, ${p.path}, ${p.depth}, ${o.name}, ${o.kind}, ${o.code}, ${o.unitType},
        ${o.establishedOn}, ${o.termStart}, ${o.termEnd}, ${textArray(o.tags)}, ${approves}, ${approves ? '按组织类型默认具有审批权' : null}, ${i}, ${nowIso}, ${nowIso})`;
    }),
    500,
  );
  await db.execute(sql`update tenants set root_org_id = ${orgIds.get(ds.orgs[0].key)!} where id = ${tenantId}`);

  const personIdList = await reserveIds(db, 'people', ds.people.length);
  const personIds = new Map(ds.people.map((p, i) => [p.key, personIdList[i]]));
  await batchInsert(
    db,
    sql`insert into people (id, tenant_id, org_id, org_path, group_id, name, gender, ethnicity, birth_date, id_number_enc, id_number_bidx, id_number_masked, id_number_problem,
        mobile_enc, mobile_bidx, mobile_masked, education, occupation, work_unit, stage, state, admitted_on, full_on, full_on_note, relation_start_presumed, created_at, updated_at)`,
    ds.people.map((p) => sql`(${personIds.get(p.key)}, ${tenantId}, ${orgIds.get(p.orgKey)!}, ${paths.get(p.orgKey)!.path}, ${p.groupKey ? orgIds.get(p.groupKey)! : null},
        ${p.name}, ${p.gender}, ${p.ethnicity}, ${p.birthDate}, ${p.idNumber ? cipher.encrypt(p.idNumber) : null}, ${p.idNumber ? cipher.blindIndex('idNumber', p.idNumber) : null},
        ${p.idNumber ? maskIdNumber(p.idNumber) : null}, ${p.idNumber ? null : 'missing'}, ${p.mobile ? cipher.encrypt(p.mobile) : null},
        ${p.mobile ? cipher.blindIndex('mobile', p.mobile) : null}, ${p.mobile ? maskMobile(p.mobile) : null}, ${p.education}, ${p.occupation}, ${p.workUnit},
        ${p.stage}, 'active', ${p.admittedOn}, ${p.fullOn}, ${p.fullOnNote}, ${p.relationStartPresumed}, ${nowIso}, ${nowIso})`),
    800,
    (done) => onProgress?.('people', done, ds.people.length),
  );
  const periods: SQL[] = [];
  for (const p of ds.people) {
    const pid = personIds.get(p.key)!;
    const oid = orgIds.get(p.orgKey)!;
    if (p.stage === 'full' && p.fullOn && compareDates(p.fullOn, p.relationStart) > 0) {
      periods.push(sql`(${tenantId}, ${pid}, ${oid}, 'probationary', 'active', ${p.relationStart}, ${p.fullOn}, ${p.relationStartPresumed}, ${nowIso}, ${nowIso})`);
      periods.push(sql`(${tenantId}, ${pid}, ${oid}, 'full', 'active', ${p.fullOn}, ${null}, false, ${nowIso}, ${nowIso})`);
    } else {
      periods.push(sql`(${tenantId}, ${pid}, ${oid}, ${p.stage}, 'active', ${p.relationStart}, ${null}, ${p.relationStartPresumed}, ${nowIso}, ${nowIso})`);
    }
  }
  await batchInsert(db, sql`insert into membership_periods (tenant_id, person_id, org_id, stage, state, valid_from, valid_to, start_presumed, created_at, updated_at)`, periods, 1500);
  await batchInsert(
    db,
    sql`insert into post_terms (tenant_id, org_id, person_id, post, valid_from, created_at, updated_at)`,
    ds.posts.map((t) => sql`(${tenantId}, ${orgIds.get(t.orgKey)!}, ${personIds.get(t.personKey)!}, ${t.post}, ${t.validFrom}, ${nowIso}, ${nowIso})`),
    1500,
  );
  return { tenantId, orgIds, personIds };
}
