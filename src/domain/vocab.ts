/**
 * Typed vocabularies: English keys (GLOSSARY.md) with Chinese labels for the UI, plus the import
 * normalizers that map what people type in rosters onto the keys.
 *
 * Each vocabulary is an `as const` array of { key, label }; `KeyOf<typeof X>` is its key union and
 * `keysOf(X)` a non-empty tuple of keys (for zod enums in contracts).
 */

export interface VocabEntry<K extends string = string> {
  readonly key: K;
  readonly label: string;
}

export type KeyOf<T extends readonly VocabEntry[]> = T[number]['key'];

/** The Chinese label of a key; an unknown key (old data) is returned as is. */
export function labelOf<T extends readonly VocabEntry[]>(vocab: T, key: KeyOf<T>): string {
  return vocab.find((entry) => entry.key === key)?.label ?? key;
}

export function keysOf<T extends readonly VocabEntry[]>(vocab: T): [KeyOf<T>, ...KeyOf<T>[]] {
  return vocab.map((entry) => entry.key) as [KeyOf<T>, ...KeyOf<T>[]];
}

export function isKeyOf<T extends readonly VocabEntry[]>(vocab: T, value: unknown): value is KeyOf<T> {
  return typeof value === 'string' && vocab.some((entry) => entry.key === value);
}

/** Trimmed NFKC text with inner whitespace removed, for matching typed values. */
function clean(raw: unknown): string {
  return String(raw ?? '').normalize('NFKC').replace(/\s+/gu, '');
}

/** Builds a normalizer: the key itself, the label, or an alias (all after `clean`). */
function normalizerFor<T extends readonly VocabEntry[]>(
  vocab: T,
  aliases: Record<string, KeyOf<T>>,
): (raw: unknown) => KeyOf<T> | null {
  const table = new Map<string, KeyOf<T>>();
  for (const entry of vocab) {
    table.set(clean(entry.key), entry.key);
    table.set(clean(entry.label), entry.key);
  }
  for (const [alias, key] of Object.entries(aliases)) table.set(clean(alias), key);
  return (raw) => table.get(clean(raw)) ?? null;
}

// ─── People ──────────────────────────────────────────────────────────────────

export const GENDERS = [
  { key: 'male', label: '男' },
  { key: 'female', label: '女' },
] as const;
export type Gender = KeyOf<typeof GENDERS>;
export const normalizeGender = normalizerFor(GENDERS, { 男性: 'male', 女性: 'female', M: 'male', F: 'female' });

/**
 * The 56 ethnic groups in the order and with the codes of GB/T 3304 (民族代码). The key is the
 * Chinese name. 少数民族 (DOMAIN.md §6) = every key except 汉族.
 */
export const ETHNICITIES = (
  [
    ['01', '汉族'], ['02', '蒙古族'], ['03', '回族'], ['04', '藏族'], ['05', '维吾尔族'], ['06', '苗族'],
    ['07', '彝族'], ['08', '壮族'], ['09', '布依族'], ['10', '朝鲜族'], ['11', '满族'], ['12', '侗族'],
    ['13', '瑶族'], ['14', '白族'], ['15', '土家族'], ['16', '哈尼族'], ['17', '哈萨克族'], ['18', '傣族'],
    ['19', '黎族'], ['20', '傈僳族'], ['21', '佤族'], ['22', '畲族'], ['23', '高山族'], ['24', '拉祜族'],
    ['25', '水族'], ['26', '东乡族'], ['27', '纳西族'], ['28', '景颇族'], ['29', '柯尔克孜族'], ['30', '土族'],
    ['31', '达斡尔族'], ['32', '仫佬族'], ['33', '羌族'], ['34', '布朗族'], ['35', '撒拉族'], ['36', '毛南族'],
    ['37', '仡佬族'], ['38', '锡伯族'], ['39', '阿昌族'], ['40', '普米族'], ['41', '塔吉克族'], ['42', '怒族'],
    ['43', '乌孜别克族'], ['44', '俄罗斯族'], ['45', '鄂温克族'], ['46', '德昂族'], ['47', '保安族'], ['48', '裕固族'],
    ['49', '京族'], ['50', '塔塔尔族'], ['51', '独龙族'], ['52', '鄂伦春族'], ['53', '赫哲族'], ['54', '门巴族'],
    ['55', '珞巴族'], ['56', '基诺族'],
  ] as const
).map(([code, name]) => ({ key: name, label: name, code }));
export type Ethnicity = (typeof ETHNICITIES)[number]['key'];

const ETHNICITY_ABBREVIATIONS: Record<string, Ethnicity> = { 维: '维吾尔族', 蒙: '蒙古族' };

/** '汉族' → '汉族'; '汉' → '汉族'; '维吾尔' → '维吾尔族'; GB/T 3304 code '01' or '1' → '汉族'; else null. */
export function normalizeEthnicity(raw: unknown): Ethnicity | null {
  const s = clean(raw);
  if (s === '') return null;
  const byName = ETHNICITIES.find((e) => e.key === s || e.key === `${s}族`);
  if (byName) return byName.key;
  if (/^\d{1,2}$/.test(s)) return ETHNICITIES.find((e) => e.code === s.padStart(2, '0'))?.key ?? null;
  return ETHNICITY_ABBREVIATIONS[s] ?? null;
}

export function isMinorityEthnicity(key: Ethnicity): boolean {
  return key !== '汉族';
}

/** 学历 as counted in the statistics (DOMAIN.md §6). */
export const EDUCATION_LEVELS = [
  { key: 'graduate', label: '研究生' },
  { key: 'bachelor', label: '大学本科' },
  { key: 'college', label: '大学专科' },
  { key: 'technicalSecondary', label: '中等专科' },
  { key: 'highSchool', label: '高中/中技' },
  { key: 'juniorOrBelow', label: '初中及以下' },
] as const;
export type EducationLevel = KeyOf<typeof EDUCATION_LEVELS>;

/** DOMAIN.md §6 import mapping (博士/硕士 → 研究生, 本科 → 大学本科, 大专 → 大学专科, 中专 → 中等专科), extended. */
const EDUCATION_ALIASES: Record<string, EducationLevel> = {
  博士: 'graduate', 博士研究生: 'graduate', 硕士: 'graduate', 硕士研究生: 'graduate', 研究生班: 'graduate',
  本科: 'bachelor',
  大专: 'college', 专科: 'college', 高职: 'college', 高等专科: 'college', 高职高专: 'college',
  中专: 'technicalSecondary', 中等专业学校: 'technicalSecondary',
  高中: 'highSchool', 中技: 'highSchool', 技校: 'highSchool', 技工学校: 'highSchool', 职高: 'highSchool',
  职业高中: 'highSchool', 普通高中: 'highSchool', '高中、中技': 'highSchool', 高中中技: 'highSchool',
  初中: 'juniorOrBelow', 小学: 'juniorOrBelow', 文盲: 'juniorOrBelow', 半文盲: 'juniorOrBelow',
  不识字或识字很少: 'juniorOrBelow',
};
const educationLookup = normalizerFor(EDUCATION_LEVELS, EDUCATION_ALIASES);

/** Maps a typed 学历 to its key; '本科毕业', '大专学历' also work; unknown values give null. */
export function normalizeEducation(raw: unknown): EducationLevel | null {
  const s = clean(raw);
  return educationLookup(s) ?? educationLookup(s.replace(/(毕业|学历)$/u, ''));
}

/** "大专及以上" (DOMAIN.md §6). */
export function isCollegeOrAbove(level: EducationLevel): boolean {
  return level === 'graduate' || level === 'bachelor' || level === 'college';
}

/** 职业 categories of the statistics communiqué (DOMAIN.md §6). */
export const OCCUPATIONS = [
  { key: 'worker', label: '工人(工勤技能人员)' },
  { key: 'farmer', label: '农牧渔民' },
  { key: 'professional', label: '企事业单位、社会组织专业技术人员' },
  { key: 'manager', label: '企事业单位、社会组织管理人员' },
  { key: 'official', label: '党政机关工作人员' },
  { key: 'student', label: '学生' },
  { key: 'other', label: '其他职业人员' },
  { key: 'retired', label: '离退休人员' },
] as const;
export type Occupation = KeyOf<typeof OCCUPATIONS>;

export const normalizeOccupation = normalizerFor(OCCUPATIONS, {
  工人: 'worker', 工勤技能人员: 'worker', 工勤人员: 'worker',
  农民: 'farmer', 牧民: 'farmer', 渔民: 'farmer', 农牧民: 'farmer',
  专业技术人员: 'professional', 专技人员: 'professional', 企事业单位专业技术人员: 'professional',
  社会组织专业技术人员: 'professional',
  管理人员: 'manager', 企事业单位管理人员: 'manager', 社会组织管理人员: 'manager',
  机关工作人员: 'official', 公务员: 'official',
  在校学生: 'student',
  其他: 'other',
  离退休: 'retired', 离休: 'retired', 退休: 'retired', 离休干部: 'retired', 退休人员: 'retired',
});

// ─── Membership ─────────────────────────────────────────────────────────────

/** Development stages and membership (ARCHITECTURE.md "People and membership"). */
export const MEMBER_STAGES = [
  { key: 'applicant', label: '入党申请人' },
  { key: 'activist', label: '入党积极分子' },
  { key: 'candidate', label: '发展对象' },
  { key: 'probationary', label: '预备党员' },
  { key: 'full', label: '正式党员' },
] as const;
export type MemberStage = KeyOf<typeof MEMBER_STAGES>;

export const MEMBER_STATES = [
  { key: 'active', label: '正常' },
  { key: 'lostContact', label: '失联' },
  { key: 'statusSuspended', label: '停止党籍' },
  { key: 'left', label: '已出党' },
] as const;
export type MemberState = KeyOf<typeof MEMBER_STATES>;

export const EXIT_TYPES = [
  { key: 'death', label: '去世' },
  { key: 'withdrawal', label: '退党' },
  { key: 'struckOff', label: '除名' },
  { key: 'expelled', label: '开除党籍' },
  { key: 'advisedToWithdraw', label: '劝退' },
  { key: 'probationCancelled', label: '取消预备党员资格' },
] as const;
export type ExitType = KeyOf<typeof EXIT_TYPES>;

/** 处分 (GLOSSARY.md). */
export const DISCIPLINE_TYPES = [
  { key: 'warning', label: '警告' },
  { key: 'seriousWarning', label: '严重警告' },
  { key: 'dismissedFromPost', label: '撤销党内职务' },
  { key: 'partyProbation', label: '留党察看' },
  { key: 'expelled', label: '开除党籍' },
] as const;
export type DisciplineType = KeyOf<typeof DISCIPLINE_TYPES>;

/** 党费类别 (GLOSSARY.md, DOMAIN.md §1.7). */
export const DUES_CATEGORIES = [
  { key: 'inService', label: '在职' },
  { key: 'annualSalary', label: '年薪制' },
  { key: 'selfEmployed', label: '个体经营' },
  { key: 'retired', label: '离退休' },
  { key: 'farmer', label: '农民' },
  { key: 'student', label: '学生' },
  { key: 'unemployed', label: '下岗失业' },
  { key: 'relief', label: '抚恤救济' },
  { key: 'dibao', label: '低保' },
  { key: 'other', label: '其他' },
] as const;
export type DuesCategory = KeyOf<typeof DUES_CATEGORIES>;

// ─── Organizations ──────────────────────────────────────────────────────────

/** The ten node kinds of the org tree (ARCHITECTURE.md "Org tree and access"). */
export const ORG_KINDS = [
  { key: 'partyCommittee', label: '县（区）委' },
  { key: 'organizationDept', label: '组织部' },
  { key: 'townshipCommittee', label: '乡镇党委' },
  { key: 'subdistrictWorkCommittee', label: '街道党工委' },
  { key: 'basicCommittee', label: '基层党委' },
  { key: 'generalBranch', label: '党总支' },
  { key: 'branch', label: '党支部' },
  { key: 'jointBranch', label: '联合党支部' },
  { key: 'temporaryBranch', label: '临时党支部' },
  { key: 'partyGroup', label: '党小组' },
] as const;
export type OrgKind = KeyOf<typeof ORG_KINDS>;

/** Kinds that hold members' formal 组织关系 as a branch does (DOMAIN.md §3.1, §3.4). */
export const BRANCH_KINDS: readonly OrgKind[] = ['branch', 'jointBranch'];

/** 单位类型 (GLOSSARY.md). "Community" and "village" are unit types, not node kinds. */
export const UNIT_TYPES = [
  { key: 'agency', label: '机关' },
  { key: 'institution', label: '事业单位' },
  { key: 'stateEnterprise', label: '国有企业' },
  { key: 'privateEnterprise', label: '非公企业' },
  { key: 'socialOrganization', label: '社会组织' },
  { key: 'village', label: '农村' },
  { key: 'community', label: '城市社区' },
  { key: 'school', label: '学校' },
  { key: 'other', label: '其他' },
] as const;
export type UnitType = KeyOf<typeof UNIT_TYPES>;

/**
 * Default 审批权 (ARCHITECTURE.md "Org tree and access", DOMAIN.md §2.1): committees at township,
 * subdistrict and county level approve; a basicCommittee approves unless it is a village or
 * community committee; 党总支, branches, temporary organizations and party groups never do.
 */
export function defaultApprovesMembers(kind: OrgKind, unitType?: UnitType | null): boolean {
  switch (kind) {
    case 'partyCommittee':
    case 'townshipCommittee':
    case 'subdistrictWorkCommittee':
      return true;
    case 'basicCommittee':
      return unitType !== 'village' && unitType !== 'community';
    default:
      return false;
  }
}

/** 职务 (GLOSSARY.md "Access"): held on dates; not access roles. */
export const POSTS = [
  { key: 'secretary', label: '书记' },
  { key: 'deputySecretary', label: '副书记' },
  { key: 'organizationMember', label: '组织委员' },
  { key: 'publicityMember', label: '宣传委员' },
  { key: 'disciplineMember', label: '纪检委员' },
  { key: 'committeeMember', label: '委员' },
  { key: 'groupLeader', label: '党小组组长' },
  { key: 'gridLeader', label: '网格长' },
  { key: 'buildingLeader', label: '楼栋长' },
  { key: 'unitLeader', label: '单元长' },
] as const;
export type Post = KeyOf<typeof POSTS>;

/**
 * Posts on a 支部委员会 (DOMAIN.md §3.1 第二十条: 书记, 组织委员, 宣传委员, 纪检委员 …, 1 副书记 if
 * needed); `committeeMember` covers the "…" (青年委员 and the like). A branch has a committee on a
 * date when at least 3 of these are held (ARCHITECTURE.md).
 */
export const COMMITTEE_POSTS: readonly Post[] = [
  'secretary',
  'deputySecretary',
  'organizationMember',
  'publicityMember',
  'disciplineMember',
  'committeeMember',
];

export function isCommitteePost(post: Post): boolean {
  return COMMITTEE_POSTS.includes(post);
}

/** 权限角色 (GLOSSARY.md "Access"); `public` is the anonymous resident. */
export const ROLES = [
  { key: 'sysAdmin', label: '系统管理员' },
  { key: 'orgAdmin', label: '组织管理员' },
  { key: 'partyWorker', label: '党务干事' },
  { key: 'duesClerk', label: '党费收缴员' },
  { key: 'registryClerk', label: '党员信息管理员' },
  { key: 'securityAdmin', label: '安全管理员' },
  { key: 'auditAdmin', label: '审计管理员' },
  { key: 'gridWorker', label: '网格员' },
  { key: 'member', label: '党员' },
  { key: 'public', label: '公众' },
] as const;
export type Role = KeyOf<typeof ROLES>;
