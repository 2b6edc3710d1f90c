import { z } from 'zod';
import { ORG_KINDS, UNIT_TYPES } from '../../domain/vocab.js';

/** Org tree contracts, shared by server routes and web pages. */
const kindKeys = ORG_KINDS.map((k) => k.key) as [string, ...string[]];
const unitKeys = UNIT_TYPES.map((k) => k.key) as [string, ...string[]];
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
const plain = (max: number, label: string) =>
  z.string().trim().min(1, `${label}不能为空`).max(max, `${label}不超过 ${max} 字`).refine((s) => !/[<>]/.test(s), `${label}不能包含 < 或 > 等标记字符`);

export const orgInput = z.object({
  parentId: z.number().int().positive(),
  name: plain(80, '组织名称'),
  kind: z.enum(kindKeys, { message: '组织类型不正确' }),
  code: z.string().trim().regex(/^[A-Za-z0-9_-]{1,40}$/, '组织编码只能由字母、数字、下划线或短横线组成，最长 40 位'),
  unitType: z.enum(unitKeys, { message: '单位类型不正确' }).nullish(),
  establishedOn: isoDate.nullish(),
  termStart: isoDate.nullish(),
  termEnd: isoDate.nullish(),
  address: z.string().trim().max(200, '地址不超过 200 字').refine((s) => !/[<>]/.test(s), '地址不能包含 < 或 > 等标记字符').nullish(),
  tags: z.array(plain(20, '标签')).max(20).default([]),
  approvesMembers: z.boolean().nullish(),
});
export type OrgInput = z.infer<typeof orgInput>;

export const orgPatch = orgInput.omit({ parentId: true }).partial();
export type OrgPatch = z.infer<typeof orgPatch>;

export const orgMove = z.object({ newParentId: z.number().int().positive() });
export const orgDissolve = z.object({ dissolvedOn: isoDate, reason: plain(200, '撤销原因') });

export interface OrgNode {
  id: number;
  parentId: number | null;
  name: string;
  kind: string;
  code: string;
  path: string;
  depth: number;
  unitType: string | null;
  memberCount: number;
}

export interface OrgDetail extends OrgNode {
  establishedOn: string | null;
  termStart: string | null;
  termEnd: string | null;
  address: string | null;
  tags: string[];
  approvesMembers: boolean;
  approver: { id: number; name: string } | null;
  parentName: string | null;
  fullMembers: number;
  probationaryMembers: number;
  committee: { post: string; personId: number; name: string; validFrom: string }[];
  openFindings: number;
  version: number;
}

export interface OrgDirectoryItem {
  id: number;
  name: string;
  code: string;
  kind: string;
  parentNames: string;
}
