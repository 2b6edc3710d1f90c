import { addDays, addYears, compareDates, formatIso, parseIso } from '../domain/dates.js';
import { idCheckDigit } from '../domain/idNumber.js';
import { deriveFullOn } from '../domain/partyAge.js';
import { Rng, chineseName } from './random.js';

/**
 * Deterministic data generator shared by the demo seed and the benchmarks: an org tree and its
 * members, dated relative to `today` so "overdue this month" holds whenever the demo starts. All
 * names, ID numbers (valid checksums, fictional area code 330999… under province 33) and mobiles
 * are fictional.
 */
export interface GenOrg {
  key: string;
  parentKey: string | null;
  name: string;
  kind: string;
  code: string;
  unitType: string | null;
  establishedOn: string | null;
  termStart: string | null;
  termEnd: string | null;
  approvesMembers: boolean;
  tags: string[];
}

export interface GenPerson {
  key: string;
  orgKey: string;
  groupKey: string | null;
  name: string;
  gender: 'male' | 'female';
  ethnicity: string;
  birthDate: string;
  idNumber: string | null;
  mobile: string | null;
  education: string;
  occupation: string;
  workUnit: string | null;
  stage: 'probationary' | 'full';
  admittedOn: string;
  fullOn: string | null;
  fullOnNote: string | null;
  relationStart: string;
  relationStartPresumed: boolean;
}

export interface GenPost {
  personKey: string;
  orgKey: string;
  post: string;
  validFrom: string;
}

export interface Dataset {
  tenantName: string;
  orgs: GenOrg[];
  people: GenPerson[];
  posts: GenPost[];
}

export class DatasetBuilder {
  readonly orgs: GenOrg[] = [];
  readonly people: GenPerson[] = [];
  readonly posts: GenPost[] = [];
  private seq = 0;
  private mobileSeq = 0;
  constructor(readonly rng: Rng, readonly today: string) {}

  org(o: Omit<GenOrg, 'tags' | 'termStart' | 'termEnd' | 'establishedOn'> & Partial<Pick<GenOrg, 'tags' | 'termStart' | 'termEnd' | 'establishedOn'>>): GenOrg {
    const full: GenOrg = {
      tags: [],
      termStart: null,
      termEnd: null,
      establishedOn: addYears(this.today, -this.rng.int(5, 30)),
      ...o,
    };
    if (['branch', 'jointBranch', 'generalBranch', 'basicCommittee'].includes(full.kind) && !o.termStart) {
      const years = full.kind === 'basicCommittee' || full.unitType === 'community' || full.unitType === 'village' ? 5 : 3;
      const start = addDays(this.today, -this.rng.int(200, years * 365 - 200));
      full.termStart = start;
      full.termEnd = addDays(addYears(start, years), -1);
    }
    this.orgs.push(full);
    return full;
  }

  idNumber(birth: string, gender: 'male' | 'female'): string {
    const { y, m, d } = parseIso(birth);
    const seqNo = this.rng.int(0, 49) * 2 + (gender === 'male' ? 1 : 0);
    const body = `330999${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}${String(this.rng.int(0, 9))}${String(seqNo).padStart(2, '0')}`;
    return body + idCheckDigit(body);
  }

  /** A member of `orgKey`; `opts` pins what a fixture needs. */
  person(orgKey: string, opts: Partial<GenPerson> & { ageRange?: [number, number]; probationaryMonthsAgo?: number } = {}): GenPerson {
    const rng = this.rng;
    const gender = opts.gender ?? (rng.chance(0.45) ? 'female' : 'male');
    const [minAge, maxAge] = opts.ageRange ?? [22, 85];
    const age = rng.int(minAge, maxAge);
    const { y } = parseIso(this.today);
    const birthDate = opts.birthDate ?? formatIso(y - age - 1, rng.int(1, 12), rng.int(1, 28));
    let stage: 'probationary' | 'full' = opts.stage ?? (rng.chance(0.06) ? 'probationary' : 'full');
    let admittedOn: string;
    if (opts.admittedOn) admittedOn = opts.admittedOn;
    else if (stage === 'probationary') admittedOn = addDays(this.today, -(opts.probationaryMonthsAgo !== undefined ? opts.probationaryMonthsAgo * 30 : rng.int(20, 330)));
    else {
      const earliest = addYears(birthDate, 19);
      const latest = addYears(this.today, -2);
      const span = Math.max(0, Math.floor((Date.parse(latest) - Date.parse(earliest)) / 86_400_000));
      admittedOn = addDays(earliest, rng.int(0, span));
      if (compareDates(admittedOn, latest) > 0) admittedOn = latest;
    }
    if (compareDates(addYears(birthDate, 18), admittedOn) > 0) stage = 'probationary';
    let fullOn: string | null = null;
    let fullOnNote: string | null = null;
    if (stage === 'full') {
      const d = deriveFullOn({ admittedOn: compareDates(admittedOn, '1956-09-15') < 0 ? '1956-09-15' : admittedOn });
      fullOn = d.fullOn;
      fullOnNote = d.note;
      if (!fullOn || compareDates(fullOn, this.today) > 0) {
        stage = 'probationary';
        fullOn = null;
        fullOnNote = null;
      }
    }
    const retired = age >= 60;
    const education = retired
      ? rng.weighted([['juniorOrBelow', 4], ['highSchool', 3], ['technicalSecondary', 2], ['college', 1]] as const)
      : rng.weighted([['bachelor', 5], ['college', 3], ['graduate', 1], ['highSchool', 1]] as const);
    const occupation = opts.occupation ?? (retired ? 'retired' : rng.weighted([['manager', 3], ['professional', 3], ['worker', 2], ['official', 1], ['farmer', 1], ['other', 1]] as const));
    this.mobileSeq += 1;
    const p: GenPerson = {
      key: `p${++this.seq}`,
      orgKey,
      groupKey: null,
      name: chineseName(rng, gender),
      gender,
      ethnicity: rng.chance(0.06) ? rng.pick(['回族', '满族', '壮族', '畲族', '土家族']) : '汉族',
      birthDate,
      idNumber: null,
      mobile: `139${String(10_000_000 + ((this.mobileSeq * 7919) % 90_000_000)).padStart(8, '0')}`,
      education,
      occupation,
      workUnit: retired ? null : rng.pick(['示范县人民医院', '示范县第一中学', '示范县供电公司', '城关街道办事处', '示范县农商银行', '个体经营', '示范县市场监督管理局']),
      stage,
      admittedOn,
      fullOn,
      fullOnNote,
      relationStart: admittedOn,
      relationStartPresumed: true,
      ...stripOpts(opts),
    };
    if (p.idNumber === null && opts.idNumber === undefined) p.idNumber = this.idNumber(p.birthDate, p.gender);
    this.people.push(p);
    return p;
  }

  post(personKey: string, orgKey: string, post: string, validFrom?: string) {
    this.posts.push({ personKey, orgKey, post, validFrom: validFrom ?? addDays(this.today, -this.rng.int(100, 900)) });
  }
}

function stripOpts(o: Record<string, unknown>): Partial<GenPerson> {
  const { ageRange: _a, probationaryMonthsAgo: _p, ...rest } = o;
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Partial<GenPerson>;
}

/** A plain branch with `n` members and, from 7 full members, a committee of three (DOMAIN.md §3.1). */
export function populateBranch(b: DatasetBuilder, branch: GenOrg, n: number, opts: { committee?: boolean; groups?: GenOrg[] } = {}) {
  const members = Array.from({ length: n }, () => b.person(branch.key));
  const full = members.filter((m) => m.stage === 'full');
  const wantCommittee = opts.committee ?? full.length >= 7;
  if (full.length > 0) b.post(full[0].key, branch.key, 'secretary');
  if (wantCommittee && full.length >= 3) {
    b.post(full[1].key, branch.key, 'organizationMember');
    b.post(full[2].key, branch.key, 'publicityMember');
  }
  if (opts.groups?.length) members.forEach((m, i) => (m.groupKey = opts.groups![i % opts.groups!.length].key));
  return members;
}

/**
 * The benchmark county: `orgCount` orgs (≈3,000) and `memberCount` members (≈60,000), spread as a
 * county committee → townships/subdistricts → communities/villages → branches → groups.
 */
export function generateCounty(today: string, opts: { members: number; orgs?: number; seed?: number }): Dataset {
  const rng = new Rng(opts.seed ?? 20260701);
  const b = new DatasetBuilder(rng, today);
  const root = b.org({ key: 'root', parentKey: null, name: '中共基准县委员会', kind: 'partyCommittee', code: 'JZX', unitType: 'agency', approvesMembers: true });
  b.org({ key: 'dept', parentKey: root.key, name: '中共基准县委组织部', kind: 'organizationDept', code: 'JZX-ZZB', unitType: 'agency', approvesMembers: false });
  const targetOrgs = opts.orgs ?? 3000;
  const townships = 20;
  const communitiesPer = 10;
  const branchesPer = Math.max(1, Math.round((targetOrgs - 2 - townships - townships * communitiesPer) / (townships * communitiesPer) / 1.6));
  const branches: GenOrg[] = [];
  for (let t = 1; t <= townships; t++) {
    const sub = t % 2 === 0;
    const tw = b.org({ key: `t${t}`, parentKey: root.key, name: `中共基准县第${t}${sub ? '街道工作委员会' : '镇委员会'}`, kind: sub ? 'subdistrictWorkCommittee' : 'townshipCommittee', code: `JZX${String(t).padStart(2, '0')}`, unitType: 'agency', approvesMembers: true });
    for (let c = 1; c <= communitiesPer; c++) {
      const unitType = sub ? 'community' : 'village';
      const com = b.org({ key: `${tw.key}c${c}`, parentKey: tw.key, name: `${tw.name.replace('委员会', '').replace('工作', '')}第${c}${sub ? '社区' : '村'}委员会`, kind: 'basicCommittee', code: `${tw.code}${String(c).padStart(2, '0')}`, unitType, approvesMembers: false });
      for (let k = 1; k <= branchesPer; k++) {
        const br = b.org({ key: `${com.key}b${k}`, parentKey: com.key, name: `${com.name.replace('委员会', '')}第${k}党支部`, kind: 'branch', code: `${com.code}${String(k).padStart(2, '0')}`, unitType, approvesMembers: false });
        branches.push(br);
        if (k % 2 === 1) b.org({ key: `${br.key}g1`, parentKey: br.key, name: `${br.name}第一党小组`, kind: 'partyGroup', code: `${br.code}G1`, unitType, approvesMembers: false });
      }
    }
  }
  const perBranch = Math.floor(opts.members / branches.length);
  let extra = opts.members - perBranch * branches.length;
  for (const br of branches) {
    const n = perBranch + (extra-- > 0 ? 1 : 0);
    populateBranch(b, br, n);
  }
  return { tenantName: '中共基准县委员会', orgs: b.orgs, people: b.people, posts: b.posts };
}
