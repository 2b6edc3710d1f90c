import { useCallback, useEffect, useMemo, useState } from 'react';
import { api } from '../api/client';
import type { OrgNode } from '../api/types';
import { compactName, shortName } from './orgNames';

/**
 * The user's org tree (GET /api/orgs/tree, flat), loaded once per session and shared by every page
 * that shows an org picker. Org writes call `invalidateOrgTree()` and then `reload()`.
 */
export interface OrgTree {
  nodes: OrgNode[];
  byId: Map<number, OrgNode>;
  children: Map<number | null, OrgNode[]>;
  roots: OrgNode[];
  /** Short name in the tree (after the ancestor's name). */
  short: (id: number) => string;
  /** Name without the tenant stem, for table cells and select boxes. */
  compact: (name: string) => string;
  /** Ids of the node and all its descendants. */
  subtree: (id: number) => Set<number>;
  /** Members whose formal org is the node or any org below it (memberCount counts the node only). */
  totalMembers: (id: number) => number;
}

let cache: Promise<OrgNode[]> | null = null;
const listeners = new Set<() => void>();

export function invalidateOrgTree() {
  cache = null;
  listeners.forEach((l) => l());
}

function load(): Promise<OrgNode[]> {
  if (!cache) {
    cache = api.get<OrgNode[]>('/api/orgs/tree');
    cache.catch(() => {
      cache = null;
    });
  }
  return cache;
}

export function buildTree(nodes: OrgNode[]): OrgTree {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const children = new Map<number | null, OrgNode[]>();
  const roots: OrgNode[] = [];
  for (const n of nodes) {
    const parentKey = n.parentId !== null && byId.has(n.parentId) ? n.parentId : null;
    if (parentKey === null) roots.push(n);
    const list = children.get(parentKey) ?? [];
    list.push(n);
    children.set(parentKey, list);
  }
  const shortCache = new Map<number, string>();
  const short = (id: number) => {
    const hit = shortCache.get(id);
    if (hit !== undefined) return hit;
    const n = byId.get(id);
    if (!n) return '';
    const ancestors: string[] = [];
    let p = n.parentId !== null ? byId.get(n.parentId) : undefined;
    while (p) {
      ancestors.push(p.name);
      p = p.parentId !== null ? byId.get(p.parentId) : undefined;
    }
    const s = ancestors.length ? shortName(n.name, ancestors) : n.name;
    shortCache.set(id, s);
    return s;
  };
  const topRoot = [...nodes].sort((a, b) => a.depth - b.depth)[0];
  const rootName = topRoot && topRoot.depth === 0 ? topRoot.name : undefined;
  const tenantStem = rootName ?? nodes.find((n) => n.kind === 'partyCommittee')?.name;
  const subtree = (id: number) => {
    const out = new Set<number>();
    const walk = (x: number) => {
      out.add(x);
      for (const c of children.get(x) ?? []) walk(c.id);
    };
    walk(id);
    return out;
  };
  const totals = new Map<number, number>();
  const totalMembers = (id: number): number => {
    const hit = totals.get(id);
    if (hit !== undefined) return hit;
    const n = byId.get(id);
    const sum = (n?.memberCount ?? 0) + (children.get(id) ?? []).reduce((a, c) => a + totalMembers(c.id), 0);
    totals.set(id, sum);
    return sum;
  };
  return { nodes, byId, children, roots, short, totalMembers, compact: (name) => compactName(name, tenantStem ?? guessStem(nodes)), subtree };
}

/** Without the root in scope (a branch worker), the tenant stem is the common "中共…县" start. */
function guessStem(nodes: OrgNode[]): string | undefined {
  const m = nodes[0]?.name.match(/^中共.+?[县区市旗]/u);
  return m ? `${m[0]}委员会` : undefined;
}

export function useOrgTree(enabled = true): { tree: OrgTree | null; loading: boolean; error: unknown; reload: () => void } {
  const [nodes, setNodes] = useState<OrgNode[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  useEffect(() => {
    const l = () => setTick((t) => t + 1);
    listeners.add(l);
    return () => {
      listeners.delete(l);
    };
  }, []);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    load().then(
      (n) => live && (setNodes(n), setError(null)),
      (e) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [enabled, tick]);
  const tree = useMemo(() => (nodes ? buildTree(nodes) : null), [nodes]);
  return { tree, loading: enabled && !nodes && !error, error, reload };
}

export interface OrgTreeOption {
  value: number;
  title: string;
  label: string;
  fullName: string;
  memberCount: number;
  disabled?: boolean;
  children?: OrgTreeOption[];
}

/** antd Tree / TreeSelect data with short titles; `disable` greys out nodes (e.g. a move target inside the moved subtree). */
export function treeOptions(tree: OrgTree, disable?: (n: OrgNode) => boolean): OrgTreeOption[] {
  const build = (n: OrgNode): OrgTreeOption => {
    const kids = tree.children.get(n.id) ?? [];
    return {
      value: n.id,
      title: tree.short(n.id),
      label: tree.compact(n.name),
      fullName: n.name,
      memberCount: tree.totalMembers(n.id),
      disabled: disable?.(n),
      children: kids.length ? kids.map(build) : undefined,
    };
  };
  return tree.roots.map(build);
}
