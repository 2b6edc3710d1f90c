import { sql } from 'drizzle-orm';
import { one, rows, type Db } from '../db/connection.js';
import { createCipher, type Cipher, type CryptoProviderName } from './crypto.js';

/**
 * Key rotation and provider change (GB/T 39786-2021; issue 17 等保 profile). The provider and key
 * version in use are a deployment fact kept in system_meta 'crypto' (no key material: keys are derived
 * from the secret, which the database never holds). `zhibu keys rotate` re-encrypts every encrypted
 * column and recomputes every blind index under the next key version, in ONE transaction, then
 * updates the key check value, so the database is never half rotated.
 */
export interface CryptoConfig {
  provider: CryptoProviderName;
  keyVersion: number;
}

export async function readCryptoConfig(db: Db): Promise<CryptoConfig | null> {
  const r = await one<{ value: string }>(db, sql`select value from system_meta where key = 'crypto'`);
  return r ? (JSON.parse(r.value) as CryptoConfig) : null;
}

async function writeCryptoConfig(db: Db, c: CryptoConfig): Promise<void> {
  await db.execute(sql`insert into system_meta (key, value) values ('crypto', ${JSON.stringify(c)}) on conflict (key) do update set value = excluded.value`);
}

/**
 * The cipher a process uses: the stored provider and key version (aes-gcm 1 for databases from before
 * the setting). ZHIBU_CRYPTO_PROVIDER chooses the provider of a NEW database; on an existing one it
 * must match, otherwise the process refuses to start and names `zhibu keys rotate --provider`.
 */
export async function cipherForDatabase(db: Db, secret: string, envProvider: string | undefined): Promise<Cipher> {
  const stored = await readCryptoConfig(db);
  const hasKeyCheck = !!(await one(db, sql`select 1 from system_meta where key = 'key_check'`));
  if (!stored) {
    const provider = !hasKeyCheck && envProvider ? envProvider : 'aes-gcm';
    if (hasKeyCheck && envProvider && envProvider !== 'aes-gcm') {
      throw new Error(`数据库使用的密码算法是 aes-gcm，与 ZHIBU_CRYPTO_PROVIDER=${envProvider} 不一致。请先运行 zhibu keys rotate --provider ${envProvider}。`);
    }
    const cipher = createCipher(secret, { provider, keyVersion: 1 });
    if (!hasKeyCheck) await writeCryptoConfig(db, { provider, keyVersion: 1 });
    return cipher;
  }
  if (envProvider && envProvider !== stored.provider) {
    throw new Error(`数据库使用的密码算法是 ${stored.provider}，与 ZHIBU_CRYPTO_PROVIDER=${envProvider} 不一致。请先运行 zhibu keys rotate --provider ${envProvider}，或改正该环境变量。`);
  }
  return createCipher(secret, { provider: stored.provider, keyVersion: stored.keyVersion });
}

/**
 * Other tables holding personal data as ciphertext (issue 15: household heads, resident requests):
 * each `<name>_enc` column is re-encrypted and, where listed, its blind index `<name>_bidx` recomputed.
 */
const OTHER_ENCRYPTED: { table: string; columns: { name: string; bidx?: 'idNumber' | 'mobile' }[] }[] = [
  { table: 'households', columns: [{ name: 'id_number', bidx: 'idNumber' }, { name: 'mobile', bidx: 'mobile' }] },
  { table: 'resident_requests', columns: [{ name: 'mobile', bidx: 'mobile' }, { name: 'address' }] },
];

async function rotateTable(tx: Db, from: Cipher, to: Cipher, t: (typeof OTHER_ENCRYPTED)[number]): Promise<void> {
  const cols = t.columns.map((c) => `${c.name}_enc`);
  for (let after = 0; ;) {
    const page = await rows<Record<string, string | number | null>>(tx, sql`select id, ${sql.raw(cols.join(', '))} from ${sql.raw(t.table)} where id > ${after} order by id limit 1000`);
    if (page.length === 0) break;
    const out = page.map((r) => {
      const v: Record<string, string | number | null> = { id: Number(r.id) };
      for (const c of t.columns) {
        const plain = r[`${c.name}_enc`] ? from.decrypt(String(r[`${c.name}_enc`])) : null;
        v[`${c.name}_enc`] = plain ? to.encrypt(plain) : null;
        if (c.bidx) v[`${c.name}_bidx`] = plain ? to.blindIndex(c.bidx, plain) : null;
      }
      return v;
    });
    const names = t.columns.flatMap((c) => [`${c.name}_enc`, ...(c.bidx ? [`${c.name}_bidx`] : [])]);
    await tx.execute(sql`update ${sql.raw(t.table)} x set ${sql.raw(names.map((n) => `${n} = v.${n}`).join(', '))}
      from json_to_recordset(${JSON.stringify(out)}::json) as v(id int, ${sql.raw(names.map((n) => `${n} text`).join(', '))}) where x.id = v.id`);
    after = Number(page[page.length - 1]!.id);
  }
}

interface PersonRow { id: number; id_number_enc: string | null; mobile_enc: string | null; address_enc: string | null }

/** Re-encrypt everything from `from` to `to` inside the caller's transaction. */
export async function rotateKeys(tx: Db, from: Cipher, to: Cipher): Promise<{ people: number; users: number; usersUnlinked: number }> {
  const mobileMap = new Map<string, string>();
  let people = 0;
  for (let after = 0; ;) {
    const page = await rows<PersonRow>(tx, sql`select id, id_number_enc, mobile_enc, address_enc from people where id > ${after} order by id limit 1000`);
    if (page.length === 0) break;
    const out = page.map((p) => {
      const idNumber = p.id_number_enc ? from.decrypt(p.id_number_enc) : null;
      const mobile = p.mobile_enc ? from.decrypt(p.mobile_enc) : null;
      const address = p.address_enc ? from.decrypt(p.address_enc) : null;
      if (mobile) mobileMap.set(from.blindIndex('mobile', mobile), to.blindIndex('mobile', mobile));
      return {
        id: Number(p.id),
        ie: idNumber ? to.encrypt(idNumber) : null,
        ib: idNumber ? to.blindIndex('idNumber', idNumber) : null,
        me: mobile ? to.encrypt(mobile) : null,
        mb: mobile ? to.blindIndex('mobile', mobile) : null,
        ae: address ? to.encrypt(address) : null,
      };
    });
    await tx.execute(sql`update people p set id_number_enc = v.ie, id_number_bidx = v.ib, mobile_enc = v.me, mobile_bidx = v.mb, address_enc = v.ae
      from json_to_recordset(${JSON.stringify(out)}::json) as v(id int, ie text, ib text, me text, mb text, ae text) where p.id = v.id`);
    people += page.length;
    after = Number(page[page.length - 1].id);
  }
  await rotateServicePersonalData(tx, from, to);
  // users keep only a blind index of their login mobile: map it through the people's mobiles; an index
  // that matches no person's mobile cannot be recomputed without the number and is cleared (reported)
  const users = await rows<{ id: number; mobile_bidx: string }>(tx, sql`select id, mobile_bidx from users where mobile_bidx is not null`);
  const mapped = users.map((u) => ({ id: Number(u.id), b: mobileMap.get(u.mobile_bidx) ?? null }));
  if (mapped.length) {
    await tx.execute(sql`update users u set mobile_bidx = v.b from json_to_recordset(${JSON.stringify(mapped)}::json) as v(id int, b text) where u.id = v.id`);
  }
  for (const t of OTHER_ENCRYPTED) await rotateTable(tx, from, to, t);
  await tx.execute(sql`insert into system_meta (key, value) values ('key_check', ${to.keyCheck()}) on conflict (key) do update set value = excluded.value`);
  await writeCryptoConfig(tx, { provider: to.provider, keyVersion: to.keyVersion });
  return { people, users: mapped.filter((m) => m.b).length, usersUnlinked: mapped.filter((m) => !m.b).length };
}

/**
 * The community-service module's personal data of non-members (issue 19): volunteers' ID numbers and
 * mobiles with their blind indexes, households' home addresses — re-encrypted like the people's.
 */
async function rotateServicePersonalData(tx: Db, from: Cipher, to: Cipher): Promise<void> {
  const vols = await rows<{ id: number; id_number_enc: string | null; mobile_enc: string | null }>(tx, sql`select id, id_number_enc, mobile_enc from service_volunteers
    where id_number_enc is not null or mobile_enc is not null`);
  const v = vols.map((p) => {
    const idNumber = p.id_number_enc ? from.decrypt(p.id_number_enc) : null;
    const mobile = p.mobile_enc ? from.decrypt(p.mobile_enc) : null;
    return { id: Number(p.id), ie: idNumber ? to.encrypt(idNumber) : null, ib: idNumber ? to.blindIndex('idNumber', idNumber) : null, me: mobile ? to.encrypt(mobile) : null, mb: mobile ? to.blindIndex('mobile', mobile) : null };
  });
  if (v.length) {
    await tx.execute(sql`update service_volunteers x set id_number_enc = v.ie, id_number_bidx = v.ib, mobile_enc = v.me, mobile_bidx = v.mb
      from json_to_recordset(${JSON.stringify(v)}::json) as v(id int, ie text, ib text, me text, mb text) where x.id = v.id`);
  }
  const hs = await rows<{ id: number; address_enc: string }>(tx, sql`select id, address_enc from service_households`);
  const h = hs.map((x) => ({ id: Number(x.id), ae: to.encrypt(from.decrypt(x.address_enc)) }));
  if (h.length) {
    await tx.execute(sql`update service_households x set address_enc = v.ae from json_to_recordset(${JSON.stringify(h)}::json) as v(id int, ae text) where x.id = v.id`);
  }
}
