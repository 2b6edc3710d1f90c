import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { one, rows, type Db } from '../src/db/connection.js';
import { createCipher } from '../src/platform/crypto.js';
import { cipherForDatabase, readCryptoConfig, rotateKeys } from '../src/platform/keyRotation.js';
import { checkKey } from '../src/boot.js';
import { openTestDb, type TestDb } from './db.js';
import { TEST_SECRET } from './env.js';

/** GB/T 39786: key rotation and the SM4 provider, on the real database. */
let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
});
afterAll(async () => t?.close());

class Rollback extends Error {}
async function inTx(fn: (tx: Db) => Promise<void>) {
  await t.ctx.db.transaction(async (tx) => { await fn(tx as unknown as Db); throw new Rollback(); }).catch((e) => { if (!(e instanceof Rollback)) throw e; });
}

interface Plain { id: number; idNumber: string | null; mobile: string | null; address: string | null }
async function plaintexts(db: Db, c = t.ctx.cipher): Promise<Plain[]> {
  const ps = await rows<{ id: number; id_number_enc: string | null; mobile_enc: string | null; address_enc: string | null }>(db, sql`select id, id_number_enc, mobile_enc, address_enc from people order by id`);
  return ps.map((p) => ({ id: Number(p.id), idNumber: p.id_number_enc && c.decrypt(p.id_number_enc), mobile: p.mobile_enc && c.decrypt(p.mobile_enc), address: p.address_enc && c.decrypt(p.address_enc) }));
}

describe.each([
  ['sm4', 2],
  ['aes-gcm', 2],
] as const)('zhibu keys rotate → %s key %i', (provider, keyVersion) => {
  it('re-encrypts every member, blind-index search still finds them, the key check changes, a dump holds no plaintext', async () => {
    const before = await plaintexts(t.ctx.db);
    expect(before.filter((p) => p.idNumber).length).toBeGreaterThan(100);
    const to = createCipher(TEST_SECRET, { provider, keyVersion });
    await inTx(async (tx) => {
      // a user who logs in with a member's mobile
      const withMobile = before.find((p) => p.mobile)!;
      await tx.execute(sql`update users set mobile_bidx = ${t.ctx.cipher.blindIndex('mobile', withMobile.mobile!)} where username = 'branch1'`);
      const r = await rotateKeys(tx, t.ctx.cipher, to);
      expect(r.people).toBe(before.length);
      expect(await plaintexts(tx, to)).toEqual(before);
      const prefix = provider === 'sm4' ? 'sm4.2:' : 'aes.2:';
      const stale = await one<{ n: number }>(tx, sql`select count(*)::int as n from people where id_number_enc not like ${`${prefix}%`} or mobile_enc not like ${`${prefix}%`} or address_enc not like ${`${prefix}%`}`);
      expect(stale!.n).toBe(0);
      // household heads and resident requests (issue 15) are re-encrypted too, their blind indexes recomputed
      const otherStale = await one<{ n: number; hh: number }>(tx, sql`select (select count(*) from households where id_number_enc not like ${`${prefix}%`} or mobile_enc not like ${`${prefix}%`})
          + (select count(*) from resident_requests where mobile_enc not like ${`${prefix}%`})::int as n, (select count(*)::int from households) as hh`);
      expect(Number(otherStale!.n)).toBe(0);
      expect(otherStale!.hh).toBeGreaterThan(0);
      const hh = (await one<{ id_number_enc: string; id_number_bidx: string }>(tx, sql`select id_number_enc, id_number_bidx from households order by id limit 1`))!;
      expect(hh.id_number_bidx).toBe(to.blindIndex('idNumber', to.decrypt(hh.id_number_enc)));
      // the community-service module's volunteers and households too, still readable with the new key
      const svcStale = await one<{ n: number; h: number }>(tx, sql`select (select count(*)::int from service_volunteers where mobile_enc not like ${`${prefix}%`})
        + (select count(*)::int from service_households where address_enc not like ${`${prefix}%`}) as n, (select count(*)::int from service_households) as h`);
      expect(svcStale).toEqual({ n: 0, h: svcStale!.h });
      expect(svcStale!.h).toBeGreaterThan(0);
      const addr = await one<{ address_enc: string }>(tx, sql`select address_enc from service_households order by id limit 1`);
      expect(to.decrypt(addr!.address_enc)).toMatch(/号/);
      for (const p of before.filter((x) => x.idNumber).slice(0, 20)) {
        const hit = await one<{ id: number }>(tx, sql`select id from people where id_number_bidx = ${to.blindIndex('idNumber', p.idNumber!)}`);
        expect(Number(hit?.id)).toBe(p.id);
        const old = await one(tx, sql`select id from people where id_number_bidx = ${t.ctx.cipher.blindIndex('idNumber', p.idNumber!)}`);
        expect(old).toBeUndefined();
      }
      const u = await one<{ mobile_bidx: string }>(tx, sql`select mobile_bidx from users where username = 'branch1'`);
      expect(u!.mobile_bidx).toBe(to.blindIndex('mobile', withMobile.mobile!));
      expect(await readCryptoConfig(tx)).toEqual({ provider, keyVersion });
      // the process restarted with the old cipher refuses; the stored config yields the new one
      await expect(checkKey(tx, t.ctx.cipher)).rejects.toThrow(/密钥与数据库不匹配/);
      const next = await cipherForDatabase(tx, TEST_SECRET, undefined);
      expect([next.provider, next.keyVersion]).toEqual([provider, keyVersion]);
      await checkKey(tx, next);
      await expect(cipherForDatabase(tx, TEST_SECRET, provider === 'sm4' ? 'aes-gcm' : 'sm4')).rejects.toThrow(/keys rotate/);
      // a dump of every table after rotation contains none of the ID numbers, mobiles or addresses
      const dump = (await rows<{ j: unknown }>(tx, sql`select row_to_json(p)::text as j from people p`)).map((x) => String(x.j)).join('\n');
      for (const p of before.slice(0, 200)) {
        if (p.idNumber) expect(dump.includes(p.idNumber)).toBe(false);
        if (p.mobile) expect(dump.includes(p.mobile)).toBe(false);
        if (p.address) expect(dump.includes(p.address)).toBe(false);
      }
    });
  });
});
