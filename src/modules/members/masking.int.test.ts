import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { one, rows } from '../../db/connection.js';
import { openTestApp, type TestApp } from '../../../test/db.js';
import { ID_WEIGHTS, idCheckDigit } from '../../domain/idNumber.js';
import { backup } from '../../platform/backup.js';
import { IMPORT_HEADERS } from './contract.js';

/**
 * Issue 17 finding 1: a user without the personal-data right must not be able to rebuild a full ID
 * number from the masked copy plus everything else they see (birth date, gender, age), in any list,
 * detail, export or backup, nor confirm a guess through a search or a duplicate check.
 */
let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(async () => t?.close());

/** Every 18-character ID number consistent with a masked form, a birth date and a gender. */
function candidates(masked: string, birthDate: string | null, gender: string | null): number {
  if (masked.length !== 18) throw new Error(`unexpected mask ${masked}`);
  const birth = birthDate ? birthDate.replace(/-/g, '') : null;
  let count = 0;
  const walk = (i: number, acc: string) => {
    if (i === 17) {
      const check = idCheckDigit(acc);
      if (masked[17] === '*' || masked[17] === check) count += 1;
      return;
    }
    const shown = masked[i];
    if (shown !== '*') return walk(i + 1, acc + shown);
    if (birth && i >= 6 && i < 14) return walk(i + 1, acc + birth[i - 6]);
    for (let d = 0; d <= 9; d++) {
      if (i === 16 && gender && (d % 2 === 1) !== (gender === 'male' || gender === '男')) continue;
      walk(i + 1, acc + d);
    }
  };
  walk(0, '');
  return count;
}

/** The real numbers of branch1's members, decrypted with the key the attacker does not hold. */
async function realIds() {
  const r = await rows<{ id: number; enc: string }>(t.ctx.db, sql`select p.id, p.id_number_enc as enc from people p join orgs o on o.id = p.org_id where o.code = 'SFX010101' and p.id_number_enc is not null`);
  return r.map((x) => ({ id: x.id, full: t.ctx.cipher.decrypt(x.enc) }));
}

const noFullId = (text: string, ids: { id: number; full: string }[]) => {
  for (const x of ids) expect(text.includes(x.full), `full ID number of person ${x.id} leaked`).toBe(false);
};

describe(`masked ID numbers (${process.env.ZHIBU_TEST_DB ?? 'pglite'})`, () => {
  it('the worst case leaves at least 5 candidates (mask 330999**********3X with birth date and gender known)', () => {
    // Hidden and unknown: the 15th and 16th digits (weights 8 and 4); the 17th (gender) and the check
    // digit are shown. A check digit accepts the candidates whose weighted sum has one residue mod 11.
    const perResidue = new Array(11).fill(0);
    for (let a = 0; a <= 9; a++) for (let b = 0; b <= 9; b++) perResidue[(ID_WEIGHTS[14] * a + ID_WEIGHTS[15] * b) % 11] += 1;
    const worst = Math.min(...perResidue);
    expect(worst).toBeGreaterThanOrEqual(5); // 9 in the worst case (9 or 10 per check digit value)
    expect(candidates('330999**********3X', '1985-06-15', 'male')).toBeGreaterThanOrEqual(5);
  });

  it('lists, details, the export and a backup do not let branch1 (no personal-data right) rebuild a number', async () => {
    const ids = await realIds();
    expect(ids.length).toBeGreaterThan(5);
    const cookie = await t.login('branch1');
    const list = await t.built.app.inject({ method: 'GET', url: '/api/members?pageSize=200', headers: { cookie } });
    expect(list.statusCode).toBe(200);
    const items = list.json().items as { id: number; idNumber: string | null; birthDate: string | null; gender: string }[];
    let text = list.body;
    for (const m of items) {
      if (!m.idNumber) continue;
      expect(m.idNumber).toMatch(/^\d{6}\*{10}[\dX]{2}$/);
      expect(candidates(m.idNumber, m.birthDate, m.gender)).toBeGreaterThanOrEqual(5);
      const d = await t.built.app.inject({ method: 'GET', url: `/api/members/${m.id}`, headers: { cookie } });
      expect(d.statusCode).toBe(200);
      text += d.body;
    }
    for (const url of ['/api/members/medal?year=2026', '/api/me']) text += (await t.built.app.inject({ method: 'GET', url, headers: { cookie } })).body;
    noFullId(text, ids);

    // the xlsx export (masked; unmask is refused without the right)
    const refused = await t.built.app.inject({ method: 'GET', url: '/api/members/export?unmask=1', headers: { cookie } });
    expect(refused.statusCode).toBe(403);
    const x = await t.built.app.inject({ method: 'GET', url: '/api/members/export', headers: { cookie } });
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as never);
    const ws = wb.worksheets[0];
    const header = (ws.getRow(1).values as unknown[]).map((v) => String(v ?? ''));
    const col = (label: string) => header.indexOf(label);
    let checked = 0;
    let sheetText = '';
    ws.eachRow((row, n) => {
      sheetText += JSON.stringify(row.values);
      if (n === 1) return;
      const masked = String(row.getCell(col(IMPORT_HEADERS.idNumber)).value ?? '');
      if (!masked) return;
      const birth = row.getCell(col(IMPORT_HEADERS.birthDate)).value;
      const birthIso = birth instanceof Date ? birth.toISOString().slice(0, 10) : String(birth ?? '') || null;
      expect(candidates(masked, birthIso, String(row.getCell(col(IMPORT_HEADERS.gender)).value))).toBeGreaterThanOrEqual(5);
      checked += 1;
    });
    expect(checked).toBeGreaterThan(5);
    noFullId(sheetText, ids);

    // a backup file: masked copies, birth dates and genders of every person, no key
    const dir = mkdtempSync(join(tmpdir(), 'zhibu-mask-backup-'));
    await backup(t.ctx.db, dir);
    const people = readFileSync(join(dir, 'people.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id_number_masked: string | null; birth_date: string | null; gender: string });
    let minimum = Infinity;
    for (const p of people) {
      if (!p.id_number_masked || p.id_number_masked.length !== 18) continue;
      minimum = Math.min(minimum, candidates(p.id_number_masked, p.birth_date, p.gender));
    }
    expect(minimum).toBeGreaterThanOrEqual(5);
    const all = ['people', 'audit_log', 'import_runs', 'findings'].map((f) => readFileSync(join(dir, `${f}.jsonl`), 'utf8')).join('\n');
    noFullId(all, ids);
  });

  it('a search by full ID number is refused without the right, hit or miss alike', async () => {
    const [victim] = await realIds();
    const cookie = await t.login('branch1');
    const hit = await t.built.app.inject({ method: 'GET', url: `/api/members?q=${victim.full}`, headers: { cookie } });
    const wrong = victim.full.slice(0, 16) + ((Number(victim.full[16]) + 2) % 10) + '0';
    const first17 = wrong.slice(0, 17);
    const miss = await t.built.app.inject({ method: 'GET', url: `/api/members?q=${first17 + idCheckDigit(first17)}`, headers: { cookie } });
    expect(hit.statusCode).toBe(403);
    expect(miss.statusCode).toBe(403);
    expect(hit.json().error).toEqual(miss.json().error);
    const ex = await t.built.app.inject({ method: 'GET', url: `/api/members/export?q=${victim.full}`, headers: { cookie } });
    expect(ex.statusCode).toBe(403);
    // the county admin holds the right: the search works
    const county = await t.built.app.inject({ method: 'GET', url: `/api/members?q=${victim.full}`, headers: { cookie: await t.login('county') } });
    expect(county.statusCode).toBe(200);
    expect(county.json().items.map((m: { id: number }) => m.id)).toEqual([victim.id]);
  });

  it('a duplicate ID number outside the caller’s scope is refused without naming the person (finding 10)', async () => {
    const other = await one<{ enc: string; name: string }>(t.ctx.db, sql`select p.id_number_enc as enc, p.name from people p join orgs o on o.id = p.org_id where o.code = 'SFX010102' and p.id_number_enc is not null limit 1`);
    const full = t.ctx.cipher.decrypt(other!.enc);
    const org = await one<{ id: number }>(t.ctx.db, sql`select id from orgs where code = 'SFX010101'`);
    const y = full.slice(6, 10), mo = full.slice(10, 12), d = full.slice(12, 14);
    const res = await t.built.app.inject({
      method: 'POST', url: '/api/members', headers: { cookie: await t.login('branch1') },
      payload: { orgId: org!.id, name: '测试重复', gender: Number(full[16]) % 2 === 1 ? 'male' : 'female', ethnicity: '汉族', birthDate: `${y}-${mo}-${d}`, idNumber: full, stage: 'full', admittedOn: '2010-01-01', fullOn: '2011-01-01', relationStart: '2011-01-01' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.body).not.toContain(other!.name);
    expect(res.body).toContain('公民身份号码');
  });

  it('the "already registered" answer cannot be used to test the candidates of a masked number: 3 a day without the right, each a security event', async () => {
    // a member of branch1's own branch: branch1 sees the masked number and the birth date
    const victim = (await one<{ id: number; enc: string; birth_date: string; gender: string }>(t.ctx.db, sql`select p.id, p.id_number_enc as enc, p.birth_date, p.gender
      from people p join orgs o on o.id = p.org_id where o.code = 'SFX010101' and p.id_number_enc is not null and p.birth_date < '1980-01-01' order by p.id desc limit 1`))!;
    const full = t.ctx.cipher.decrypt(victim.enc);
    const org = (await one<{ id: number }>(t.ctx.db, sql`select id from orgs where code = 'SFX010101'`))!;
    const body = (idNumber: string) => ({ orgId: org.id, name: '核对号码', gender: victim.gender, ethnicity: '汉族', birthDate: victim.birth_date, idNumber, stage: 'full', admittedOn: '2010-01-01', fullOn: '2011-01-01' });
    // every candidate consistent with the mask, the birth date and the gender
    const candidates: string[] = [];
    for (let s = 0; s < 100; s += 1) {
      const head = `${full.slice(0, 14)}${String(s).padStart(2, '0')}${full[16]}`;
      if (`${head}${idCheckDigit(head)}` === full || idCheckDigit(head) === full[17]) candidates.push(`${head}${idCheckDigit(head)}`);
    }
    expect(candidates.length).toBeGreaterThanOrEqual(5);
    expect(candidates).toContain(full);
    const cookie = await t.login('branch1');
    const statuses: number[] = [];
    // the true number last: the first three tries use up the day's answers
    for (const c of [...candidates.filter((x) => x !== full).slice(0, 3), full]) {
      const res = await t.built.app.inject({ method: 'POST', url: '/api/members', headers: { cookie }, payload: body(c) });
      statuses.push(res.statusCode);
    }
    // three wrong candidates: not registered, so they are created (201) — no oracle used up
    expect(statuses.slice(0, 3)).toEqual([201, 201, 201]);
    expect(statuses[3]).toBe(409);
    // now probe again with the true number three more times: the fourth duplicate answer of the day is refused unchecked
    const used = (await one<{ n: number }>(t.ctx.db, sql`select count(*)::int as n from audit_log where action = 'refuse' and entity = 'idNumberDuplicate'`))!.n;
    expect(used).toBeGreaterThanOrEqual(1);
    const more: number[] = [];
    for (let i = 0; i < 4 - used; i += 1) more.push((await t.built.app.inject({ method: 'POST', url: '/api/members', headers: { cookie }, payload: body(full) })).statusCode);
    expect(more).toEqual([...Array(3 - used).fill(409), 429]);
    const wrong = await t.built.app.inject({ method: 'POST', url: '/api/members', headers: { cookie }, payload: body(candidates.filter((x) => x !== full)[3]) });
    expect(wrong.statusCode).toBe(429); // not even a wrong candidate is checked now: the answer says nothing
    const events = await one<{ n: number }>(t.ctx.db, sql`select count(*)::int as n from audit_log where action = 'refuse' and entity = 'idNumberDuplicate'`);
    expect(events!.n).toBe(3);
    // the audit administrator sees them as security events; branch1's own audit view does not
    const seen = async (user: string) => {
      const r = await t.built.app.inject({ method: 'GET', url: '/api/audit?pageSize=200', headers: { cookie: await t.login(user) } });
      expect(r.statusCode).toBe(200);
      return (r.json().items as { entity: string }[]).filter((x) => x.entity === 'idNumberDuplicate').length;
    };
    expect(await seen('admin')).toBe(3);
    expect(await seen('street1')).toBe(0);
    // someone with the personal-data right is not limited
    const adminTry = await t.built.app.inject({ method: 'POST', url: '/api/members', headers: { cookie: await t.login('county') }, payload: body(full) });
    expect(adminTry.statusCode).toBe(409);
  });
});

