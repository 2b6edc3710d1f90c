import { sql } from 'drizzle-orm';
import { one, rows, type Db } from '../../db/connection.js';
import { DEFAULT_TREE, DEFAULT_TREE_KEY, DEFAULT_TREE_NAME, treeMax, type IndicatorTree } from '../../domain/assessmentRules.js';
import { indicatorTree } from './treeSchema.js';
import { conflict, notFound } from '../../platform/errors.js';
import type { WriteCtx } from '../../platform/write.js';

/**
 * Indicator trees (考核指标体系) as versioned data: saving a key again adds version n+1; a session keeps
 * a snapshot of the version it used. A tenant with no tree of its own sees the built-in default
 * (version 0), which it saves as its own to edit.
 */
export async function listTrees(db: Db, tenantId: number) {
  const list = await rows<{ key: string; tree_version: number; name: string; created_at: string }>(db, sql`
    select distinct on (key) key, tree_version, name, created_at from assessment_trees where tenant_id = ${tenantId} order by key, tree_version desc`);
  const out = list.map((t) => ({ key: t.key, version: t.tree_version, name: t.name, createdAt: t.created_at }));
  if (!out.some((t) => t.key === DEFAULT_TREE_KEY)) out.unshift({ key: DEFAULT_TREE_KEY, version: 0, name: DEFAULT_TREE_NAME, createdAt: '' });
  return out;
}

export async function getTree(db: Db, tenantId: number, key: string, version?: number): Promise<{ key: string; version: number; name: string; tree: IndicatorTree; maxScore: number }> {
  const t = await one<{ tree_version: number; name: string; body: unknown }>(db, sql`
    select tree_version, name, body from assessment_trees where tenant_id = ${tenantId} and key = ${key}
    ${version !== undefined ? sql`and tree_version = ${version}` : sql``} order by tree_version desc limit 1`);
  if (!t) {
    if (key === DEFAULT_TREE_KEY && (version === undefined || version === 0)) return { key, version: 0, name: DEFAULT_TREE_NAME, tree: DEFAULT_TREE, maxScore: treeMax(DEFAULT_TREE) };
    throw notFound('考核指标体系');
  }
  const tree = indicatorTree.parse(t.body);
  return { key, version: t.tree_version, name: t.name, tree, maxScore: treeMax(tree) };
}

export async function saveTree(w: WriteCtx, input: { key: string; name: string; tree: IndicatorTree }) {
  const last = await one<{ v: number | null }>(w.tx, sql`select max(tree_version) as v from assessment_trees where tenant_id = ${w.tenantId} and key = ${input.key}`);
  const version = Number(last?.v ?? 0) + 1;
  const row = await one<{ id: number }>(w.tx, sql`insert into assessment_trees (tenant_id, key, tree_version, name, body, created_by, created_at, updated_at)
    values (${w.tenantId}, ${input.key}, ${version}, ${input.name}, ${JSON.stringify(input.tree)}::jsonb, ${w.actor.label}, ${w.now}, ${w.now}) on conflict do nothing returning id`);
  if (!row) throw conflict('该指标体系刚被他人保存了新版本，请刷新后重试');
  w.audit({ action: 'create', entity: 'assessmentTree', entityId: row.id, after: { key: input.key, version, name: input.name } });
  return { key: input.key, version, maxScore: treeMax(input.tree) };
}
