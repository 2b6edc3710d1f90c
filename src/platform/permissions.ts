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
  'personalData.view': '查看完整身份证号、手机号（需授权标记）',
  'figures.read': '查看数据项与统计',
  'findings.read': '查看预警待办',
  'findings.dismiss': '忽略预警（需说明理由）',
  'audit.read': '查看审计日志',
  'settings.write': '修改本地设置',
  'grants.write': '分配权限角色',
  'system.admin': '系统管理（日历、备份）',
  'reports.read': '查看述职报告、工作总结',
  'reports.write': '起草、修改、定稿本组织的报告',
  'reports.review': '审阅下级报告（点评、评定等次、提出整改事项）',
  'reports.templates': '复制、修改报告模板',
  'rectification.close': '整改事项销号',
} as const;
export type Permission = keyof typeof PERMISSIONS;

/**
 * securityAdmin and auditAdmin exist for the 等保 level-3 profile (三权分立, docs/SECURITY.md): the
 * security administrator grants roles and the personal-data right, the audit administrator reads and
 * exports the audit log. Under the default profile a sysAdmin may still do both.
 */
export type Role = 'sysAdmin' | 'orgAdmin' | 'partyWorker' | 'gridWorker' | 'member' | 'securityAdmin' | 'auditAdmin';

const partyWorker: Permission[] = [
  'session', 'self.read', 'orgs.read', 'members.read', 'members.write', 'members.import', 'members.export',
  'figures.read', 'findings.read', 'findings.dismiss',
  'reports.read', 'reports.write', 'rectification.close',
];
const orgAdmin: Permission[] = [...partyWorker, 'orgs.write', 'audit.read', 'settings.write', 'grants.write', 'reports.review', 'reports.templates'];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  sysAdmin: [...orgAdmin, 'system.admin'],
  orgAdmin,
  partyWorker,
  gridWorker: ['session', 'self.read'],
  member: ['session', 'self.read'],
  securityAdmin: ['session', 'self.read', 'orgs.read', 'grants.write'],
  auditAdmin: ['session', 'self.read', 'orgs.read', 'audit.read'],
};

export const roleHas = (role: Role, p: Permission) => ROLE_PERMISSIONS[role].includes(p);
