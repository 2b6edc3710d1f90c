import { z } from 'zod';

/**
 * Grids and households (DOMAIN.md §10) contracts, shared by the routes and the web pages. ID numbers
 * and mobiles arrive in clear, are stored encrypted with masked copies, and are shown masked.
 */
const MARKUP = /<[a-zA-Z!/?]/;
const text = (label: string, max: number) =>
  z.string({ message: `请填写${label}` }).trim().min(1, `请填写${label}`).max(max, `${label}不超过 ${max} 字`)
    .refine((s) => !MARKUP.test(s), `${label}不能包含 HTML 标记（如“<…>”），请输入纯文本`);
const id = (what: string) => z.number({ message: `请选择${what}` }).int().positive(`请选择${what}`);
const qid = z.coerce.number().int().positive();

export const GRID_KINDS = [
  { key: 'comprehensive', label: '综合网格' },
  { key: 'dedicated', label: '专属网格' },
] as const;
export const HOUSEHOLD_TAGS = [
  { key: 'elderlyAlone', label: '独居老人' },
  { key: 'disability', label: '残疾人' },
  { key: 'lowIncome', label: '低收入' },
  { key: 'veteran', label: '退役军人' },
  { key: 'keyCare', label: '重点关爱' },
  { key: 'memberHousehold', label: '党员户' },
] as const;

export const gridInput = z.strictObject({
  orgId: id('社区'),
  code: z.string().trim().regex(/^[A-Za-z0-9-]{1,20}$/, '网格编码为1至20位字母、数字或“-”'),
  name: text('网格名称', 40),
  kind: z.enum(['comprehensive', 'dedicated'], { message: '请选择网格类型' }),
  servingOrgId: id('服务党组织').optional(),
  leaderName: text('网格长', 20).optional(),
});
export type GridInput = z.infer<typeof gridInput>;

export const householdInput = z.strictObject({
  gridId: id('网格'),
  building: text('楼栋', 20),
  unit: text('单元', 10).optional(),
  room: text('门牌号', 10),
  headName: text('户主姓名', 20),
  idNumber: z.string().trim().max(20, '身份证号码格式不正确').optional(),
  mobile: z.string().trim().max(20, '手机号码格式不正确').optional(),
  residents: z.number().int().min(1, '人数至少为1').max(30, '人数不超过30').default(1),
  tags: z.array(z.enum(HOUSEHOLD_TAGS.map((t) => t.key) as [string, ...string[]], { message: '标签不正确' })).max(6).default([]),
});
export type HouseholdInput = z.infer<typeof householdInput>;

export const orgQuery = z.object({ org: qid.optional() });
export const idParam = z.object({ id: qid });

export interface GridView {
  id: number;
  orgId: number;
  communityName: string;
  code: string;
  name: string;
  kind: string;
  servingOrgName: string | null;
  leaderName: string | null;
  households: number;
}

export interface HouseholdView {
  id: number;
  gridId: number;
  building: string;
  unit: string | null;
  room: string;
  headName: string;
  idNumber: string | null;
  mobile: string | null;
  residents: number;
  tags: string[];
}
