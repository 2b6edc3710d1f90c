/**
 * Role → permission table (ARCHITECTURE.md "Org tree and access"). Roles are access grants held at an
 * org node; every permission applies inside that node's subtree. `self.*` permissions apply to the
 * user's own person record only. A route declares exactly one permission (or `public`).
 */
export const PERMISSIONS = {
  'session': '已登录即可（本人账户、组织目录查询）',
  'self.read': '查看本人信息',
  'orgs.read': '查看组织',
  'orgs.write': '新建、修改、移动、撤销组织',
  'members.read': '查看党员',
  'members.write': '新增、修改党员',
  'members.import': '导入党员',
  'members.export': '导出党员',
  'orgLife.read': '查看组织生活记录',
  'orgLife.write': '记录、修改组织生活（会议、谈心谈话、民主评议、学习）',
  'orgLife.import': '导入组织生活台账',
  'dues.read': '查看党费（基数、收缴、台账、公示）',
  'dues.write': '党费基数、减免、收缴与冲正',
  'dues.handIn': '党费上缴登记',
  'dues.export': '导出党费台账与公示表',
  'personalData.view': '查看完整身份证号、手机号（需授权标记）',
  'personalData.grant': '授予或撤销“查看个人信息”授权',
  'figures.read': '查看数据项与统计',
  'findings.read': '查看预警待办',
  'findings.dismiss': '忽略预警（需说明理由）',
  'audit.read': '查看审计日志（管理范围内的业务操作）',
  'audit.security': '查看安全事件审计（登录、授权与账号变更，全单位）',
  'audit.export': '导出审计日志及库外检查点（供外部审计）',
  'settings.write': '修改本地设置',
  'grants.write': '分配权限角色',
  'system.admin': '系统管理（日历、备份）',
  'reports.read': '查看述职报告、工作总结',
  'reports.write': '起草、修改、定稿本组织的报告',
  'reports.review': '审阅下级报告（点评、评定等次、提出整改事项）',
  'reports.templates': '复制、修改报告模板',
  'rectification.close': '整改事项销号',
  'assessment.read': '查看述职评议考核（指标体系、评分表、得分依据）',
  'assessment.write': '维护考核指标体系，组织述职评议考核（测评、人工评分、确定等次）',
  'development.read': '查看发展党员记录与看板',
  'development.write': '记录发展党员各步骤',
  'grid.read': '查看网格与住户（身份证号、手机号脱敏）',
  'grid.write': '划分网格、登记住户',
  'requests.read': '查看群众诉求受理台',
  'requests.handle': '办理群众诉求（受理、答复、办结、不予受理、合并）',
  'requests.claim': '认领微心愿',
  'service.read': '查看志愿服务、走访慰问、结对帮扶与办实事记录',
  'service.write': '记录志愿服务（活动、签到、服务时长）、走访慰问、结对帮扶与办实事',
} as const;
export type Permission = keyof typeof PERMISSIONS;

/**
 * securityAdmin and auditAdmin exist for the 等保 level-3 profile (三权分立, docs/SECURITY.md): the
 * security administrator grants roles and the personal-data right, the audit administrator reads and
 * exports the audit log. Under the default profile a sysAdmin may still do both. duesClerk (党费收缴员)
 * keeps the dues only, so a branch can let someone collect dues without giving them the registry;
 * registryClerk (党员信息管理员) keeps the member registry only, without dues or organizational life.
 */
export const ROLES = ['sysAdmin', 'orgAdmin', 'partyWorker', 'duesClerk', 'registryClerk', 'gridWorker', 'member', 'securityAdmin', 'auditAdmin'] as const;
export type Role = (typeof ROLES)[number];

/** Under mlps3 no account may hold two of these (三权分立). */
export const SEPARATED_ROLES: readonly Role[] = ['sysAdmin', 'securityAdmin', 'auditAdmin'];

const base: Permission[] = ['session', 'self.read'];
const orgLife: Permission[] = ['orgLife.read', 'orgLife.write', 'orgLife.import'];
const dues: Permission[] = ['dues.read', 'dues.write', 'dues.handIn', 'dues.export'];
const registry: Permission[] = [...base, 'orgs.read', 'members.read', 'members.write', 'members.import', 'members.export', 'figures.read', 'findings.read', 'findings.dismiss'];
/** Reports (述职报告): drafting and finalizing the org's own, closing its rectification items (销号). */
const reports: Permission[] = ['reports.read', 'reports.write', 'rectification.close'];
/** Member development (发展党员, issue 14): its own permissions, not members.write. */
const development: Permission[] = ['development.read', 'development.write'];
/** Grids and resident requests (issue 15): the community's staff and its grid workers. */
const gridWork: Permission[] = ['grid.read', 'grid.write', 'requests.read', 'requests.handle', 'requests.claim'];
/** Community service (志愿服务、走访慰问、办实事, src/modules/service). */
const service: Permission[] = ['service.read', 'service.write'];
const partyWorker: Permission[] = [...registry, ...orgLife, ...dues, ...reports, ...development, ...service, 'assessment.read', ...gridWork];
const orgAdmin: Permission[] = [...partyWorker, 'orgs.write', 'audit.read', 'settings.write', 'grants.write', 'reports.review', 'reports.templates', 'assessment.write'];

/** The default (`standard`) profile. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  sysAdmin: [...orgAdmin, 'system.admin', 'personalData.grant', 'audit.security', 'audit.export'],
  orgAdmin,
  partyWorker,
  duesClerk: [...base, 'orgs.read', ...dues],
  registryClerk: registry,
  /** A grid worker (网格员) at a community: its grids, households and requests; no member registry. */
  gridWorker: [...base, ...gridWork],
  /** A member may claim a posted wish (点单-接单). */
  member: [...base, 'requests.claim'],
  securityAdmin: [...base, 'orgs.read', 'grants.write', 'personalData.grant'],
  auditAdmin: [...base, 'orgs.read', 'audit.read', 'audit.security', 'audit.export'],
};

/**
 * Under `mlps3` (GB/T 22239-2019 level 3, 三权分立) the three administrators are separated: the system
 * administrator keeps accounts and configuration but neither audit reading nor business data nor the
 * personal-data right; the security administrator grants roles and the personal-data right and sees no
 * business data; the audit administrator reads the audit log and nothing else.
 */
const MLPS3: Partial<Record<Role, readonly Permission[]>> = {
  sysAdmin: [...base, 'orgs.read', 'orgs.write', 'settings.write', 'grants.write', 'system.admin'],
  securityAdmin: [...base, 'orgs.read', 'grants.write', 'personalData.grant'],
  auditAdmin: [...base, 'orgs.read', 'audit.read', 'audit.security', 'audit.export'],
};

export type Profile = 'standard' | 'mlps3';

export function permissionsOf(role: Role, profile: Profile = 'standard'): readonly Permission[] {
  return (profile === 'mlps3' ? MLPS3[role] : undefined) ?? ROLE_PERMISSIONS[role] ?? [];
}

export const roleHas = (role: Role, p: Permission, profile: Profile = 'standard') => permissionsOf(role, profile).includes(p);
