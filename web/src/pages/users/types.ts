/**
 * Shapes of the account routes (src/platform/routes/users.ts has no contract file). Roles come from
 * src/domain/vocab.ts; `public` is not a grantable role.
 */
import { ROLES } from '../../../../src/domain/vocab';

export type GrantRole = 'sysAdmin' | 'orgAdmin' | 'partyWorker' | 'duesClerk' | 'registryClerk' | 'securityAdmin' | 'auditAdmin' | 'gridWorker' | 'member';

export interface UserGrant {
  id: number;
  orgId: number;
  orgName: string;
  role: GrantRole;
  canViewPersonalData: boolean;
}

export interface UserItem {
  id: number;
  username: string;
  displayName: string;
  personId: number | null;
  disabled: boolean;
  /** Signs in with a dynamic code (双因素认证). */
  totpEnabled?: boolean;
  grants: UserGrant[];
}

export interface GrantInput {
  orgId: number;
  role: GrantRole;
  canViewPersonalData: boolean;
}

export interface UserCreateInput {
  username: string;
  displayName: string;
  password: string;
  mobile?: string;
  personId?: number;
  grant: GrantInput;
}

/** What each role may do (from the server's role table), shown under the role picker. */
export const ROLE_HINTS: Record<GrantRole, string> = {
  sysAdmin: '全部功能，另可维护节假日安排、授予管理员角色和“查看个人信息”权限；等保三级配置下仅管理账号与配置，不查看业务数据和审计日志。',
  orgAdmin: '在所选组织及其下级：管理组织、党员、组织生活、党费、账号（不含“查看个人信息”权限）和本地设置，查看业务审计日志。',
  partyWorker: '在所选组织及其下级：维护党员信息、组织生活和党费，导入导出，处理预警。',
  duesClerk: '在所选组织及其下级：只管党费（基数、收缴、上缴、台账与公示），不能查看或修改党员信息。',
  registryClerk: '在所选组织及其下级：只管党员信息（查看、维护、导入导出），不含组织生活和党费。',
  securityAdmin: '授予角色和“查看个人信息”权限，不查看业务数据（等保三级的安全管理员）。',
  auditAdmin: '只查看审计日志，含登录、授权等安全事件（等保三级的审计管理员）。',
  gridWorker: '本社区的网格、住户（脱敏）和群众诉求：受理、答复、办结，认领微心愿。',
  member: '仅可查看本人信息；须关联本人的党员记录，授予在其组织关系所在的党组织。',
};

export const GRANT_ROLES = ROLES.filter((r) => r.key !== 'public') as readonly { key: GrantRole; label: string }[];

/** Colours of role tags, most powerful first. */
export const ROLE_COLORS: Record<GrantRole, string> = {
  sysAdmin: 'red',
  orgAdmin: 'volcano',
  partyWorker: 'blue',
  duesClerk: 'gold',
  registryClerk: 'geekblue',
  securityAdmin: 'magenta',
  auditAdmin: 'purple',
  gridWorker: 'cyan',
  member: 'default',
};

export const PASSWORD_RULES = [
  { required: true, message: '请输入密码' },
  { min: 8, message: '密码至少 8 位' },
  { pattern: /^(?=.*[A-Za-z])(?=.*\d)/, message: '密码须同时包含字母和数字' },
];
export const PASSWORD_HINT = '至少 8 位，须同时包含字母和数字。';
/** Said once per dialog, not under every password field. */
export const PASSWORD_NOTE = '请当面或电话告知本人，并提醒其登录后在“我的信息”中修改密码。';

/** GET /api/personal-data/holders: who holds the personal-data right, granted by whom and when. */
export interface PersonalDataHolder {
  grantId: number;
  userId: number;
  username: string;
  displayName: string;
  disabled: boolean;
  orgId: number;
  orgName: string;
  role: GrantRole;
  grantedAt: string | null;
  grantedBy: string | null;
  grantedByName: string | null;
}
