/**
 * 软弱涣散基层党组织 identification (DOMAIN.md §9.2) as a rule set: the ten categories of
 * 中组发〔2014〕5号 as copied by a county document [SECONDARY], with the categories the records allow
 * quantified after the local examples [LOCAL] (thresholds are settings). The rest stay manual: a
 * committee names them by hand. Every proposal is a case decided by people, never automatic.
 */
export const WEAK_ORG_RULE_SET = 'weakOrg-2014';

export const WEAK_ORG_CATEGORIES = [
  { no: 1, label: '党组织班子配备不齐、书记长期缺职、工作处于停滞状态' },
  { no: 2, label: '党组织书记不胜任现职、工作不在状态、严重影响班子整体战斗力' },
  { no: 3, label: '班子不团结、内耗严重、工作不能正常开展' },
  { no: 4, label: '组织制度形同虚设、不开展党组织活动' },
  { no: 5, label: '换届选举拉票贿选问题突出' },
  { no: 6, label: '宗族宗教和黑恶势力干扰渗透严重' },
  { no: 7, label: '党务村务财务不公开和民主管理混乱' },
  { no: 8, label: '社会治安问题和信访矛盾纠纷集中' },
  { no: 9, label: '无村级组织活动场所' },
  { no: 10, label: '党组织服务意识差、服务能力弱、群众意见大' },
] as const;

/** Quantified criteria: rule id suffix, the category it evidences, and what it reads. */
export const WEAK_ORG_CRITERIA = {
  secretaryVacant: { category: 1, label: '书记出缺超过规定月数', source: 'DOMAIN.md §9.2 第1类；书记出缺>3个月 [LOCAL]' },
  noOrgLife: { category: 4, label: '上一年度有整季度未开展组织生活', source: 'DOMAIN.md §9.2 第4类；§3.3 党员大会每季度 [LOCAL 量化]' },
  bottomGrade: { category: 10, label: '上一年度述职评议考核评为最末等次', source: 'DOMAIN.md §9.2 年度排名末位 [LOCAL]' },
} as const;
export type WeakOrgCriterion = keyof typeof WEAK_ORG_CRITERIA;

/** Whole months from `from` to `to` (ISO dates), counting a month only once its day is reached. */
export function monthsBetween(from: string, to: string): number {
  const [fy, fm, fd] = from.split('-').map(Number);
  const [ty, tm, td] = to.split('-').map(Number);
  return (ty - fy) * 12 + (tm - fm) - (td < fd ? 1 : 0);
}

export const quarterRanges = (year: number) => [1, 2, 3, 4].map((q) => {
  const m = (q - 1) * 3 + 1;
  const end = new Date(Date.UTC(year, m + 2, 0)).toISOString().slice(0, 10);
  return { q, from: `${year}-${String(m).padStart(2, '0')}-01`, to: end };
});
