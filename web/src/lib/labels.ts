/**
 * Chinese labels for the English keys the API returns. Vocabularies come from src/domain (one source
 * for server and web); the few UI-only labels (finding severity, audit actions) live here.
 */
import {
  EDUCATION_LEVELS, GENDERS, MEMBER_STAGES, MEMBER_STATES, OCCUPATIONS, ORG_KINDS, POSTS, ROLES, UNIT_TYPES,
  type VocabEntry,
} from '../../../src/domain/vocab';
import { AGE_BANDS, PARTY_AGE_BANDS } from '../../../src/domain/bands';
import type { Severity } from '../api/types';

function lookup(vocab: readonly VocabEntry[]) {
  const m = new Map(vocab.map((v) => [v.key as string, v.label]));
  return (key: string | null | undefined): string => (key ? (m.get(key) ?? key) : '');
}

export const genderLabel = lookup(GENDERS);
export const stageLabel = lookup(MEMBER_STAGES);
export const stateLabel = lookup(MEMBER_STATES);
export const educationLabel = lookup(EDUCATION_LEVELS);
export const occupationLabel = lookup(OCCUPATIONS);
export const orgKindLabel = lookup(ORG_KINDS);
export const unitTypeLabel = lookup(UNIT_TYPES);
export const postLabel = lookup(POSTS);
export const roleLabel = lookup(ROLES);

/** antd Select options from a vocabulary. */
export const optionsOf = (vocab: readonly { key: string; label: string }[]) => vocab.map((v) => ({ value: v.key, label: v.label }));

export const LIST_STAGE_OPTIONS = optionsOf(MEMBER_STAGES.filter((s) => s.key === 'probationary' || s.key === 'full'));
export const GENDER_OPTIONS = optionsOf(GENDERS);
export const EDUCATION_OPTIONS = optionsOf(EDUCATION_LEVELS);
export const OCCUPATION_OPTIONS = optionsOf(OCCUPATIONS);
export const AGE_BAND_OPTIONS = optionsOf(AGE_BANDS);
export const PARTY_AGE_BAND_OPTIONS = optionsOf(PARTY_AGE_BANDS);
export const ORG_KIND_OPTIONS = optionsOf(ORG_KINDS);
export const UNIT_TYPE_OPTIONS = optionsOf(UNIT_TYPES);
export const POST_OPTIONS = optionsOf(POSTS);
export const STATE_OPTIONS = optionsOf(MEMBER_STATES);
export const MINORITY_OPTIONS = [
  { value: 'yes', label: '少数民族' },
  { value: 'no', label: '汉族' },
];

/** Finding severities, most urgent first, with the tag colours of the workbench. */
/** `short` fits the five counts into one row on a phone. */
export const SEVERITIES: { key: Severity; label: string; short: string; color: string }[] = [
  { key: 'case', label: '需组织认定', short: '需认定', color: 'red' },
  { key: 'violation', label: '违规', short: '违规', color: 'volcano' },
  { key: 'overdue', label: '已逾期', short: '已逾期', color: 'orange' },
  { key: 'dueSoon', label: '即将到期', short: '将到期', color: 'gold' },
  { key: 'info', label: '提示', short: '提示', color: 'blue' },
];
export const severityOf = (key: string) => SEVERITIES.find((s) => s.key === key) ?? { key: key as Severity, label: key, short: key, color: 'default' };

const AUDIT_ACTIONS: Record<string, string> = {
  create: '新建', update: '修改', move: '移动', dissolve: '撤销', dismiss: '忽略预警', evaluate: '规则评估',
  grant: '授权', login: '登录', logout: '退出登录', passwordChange: '修改密码', restore: '恢复备份', seed: '生成演示数据',
  settingChange: '修改设置', unmask: '查看完整信息', import: '导入', export: '导出', end: '离任', loginFailed: '登录失败',
  backup: '备份', verify: '校验', refuse: '拒绝',
};
const AUDIT_ENTITIES: Record<string, string> = {
  org: '组织', person: '党员', postTerm: '任职', finding: '预警', session: '登录会话', user: '账户', setting: '设置',
  system: '系统', importRun: '导入批次', grant: '权限', personalData: '个人信息查看权', loginFailure: '登录失败',
  idNumberDuplicate: '身份证号重复提示', audit: '审计日志', report: '报告', rectificationItem: '整改事项',
  duesLedger: '党费收缴登记表', duesDisclosure: '党费收缴公示',
};
export const auditActionLabel = (a: string) => AUDIT_ACTIONS[a] ?? a;
export const auditEntityLabel = (e: string) => AUDIT_ENTITIES[e] ?? e;
export const AUDIT_ACTION_OPTIONS = Object.entries(AUDIT_ACTIONS).map(([value, label]) => ({ value, label }));
export const AUDIT_ENTITY_OPTIONS = Object.entries(AUDIT_ENTITIES).map(([value, label]) => ({ value, label }));

/** Field names in audit before/after and in server `fields`, for change summaries. */
export const FIELD_LABELS: Record<string, string> = {
  name: '名称', kind: '类型', code: '编码', unitType: '单位类型', parentId: '上级组织', establishedOn: '成立日期',
  termStart: '任期开始', termEnd: '任期结束', address: '地址', tags: '标签', approvesMembers: '审批权',
  dissolvedOn: '撤销日期', reason: '原因', gender: '性别', ethnicity: '民族', birthDate: '出生日期', idNumber: '公民身份号码',
  mobile: '手机号码', education: '学历', occupation: '职业', workUnit: '工作单位', stage: '人员类别', state: '状态',
  admittedOn: '入党日期', fullOn: '转正日期', orgId: '所在党组织', groupId: '党小组', relationStart: '转入本组织日期',
  post: '职务', validFrom: '任职日期', validTo: '离任日期', value: '设置值', path: '路径', version: '版本',
};

/** people.id_number_problem is a code ('missing', 'invalid') or, for old rows, a Chinese reason. */
const ID_PROBLEMS: Record<string, string> = {
  missing: '缺少公民身份号码，请补录',
  invalid: '公民身份号码校验不通过，请核对',
  checksum: '公民身份号码校验码不符，请核对',
  mismatch: '公民身份号码与出生日期或性别不一致，请核对',
};
export const idProblemLabel = (p: string | null | undefined) => (p ? (ID_PROBLEMS[p] ?? p) : '');
