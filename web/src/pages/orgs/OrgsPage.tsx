import { useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Card, Empty, Input, Skeleton, Tree } from 'antd';
import type { OrgNode } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useIsMobile, useTitle } from '../../lib/hooks';
import { invalidateOrgTree, useOrgTree, type OrgTree } from '../../lib/orgTree';
import { OrgDetailPanel } from './OrgDetailPanel';

interface TreeItem {
  key: number;
  title: string;
  fullName: string;
  count: number;
  children?: TreeItem[];
}

/** 组织架构: the scope's tree (with member counts of each subtree) and the selected org's detail. */
export default function OrgsPage() {
  useTitle('组织架构');
  const mobile = useIsMobile();
  const params = useParams();
  const navigate = useNavigate();
  const { tree, error, reload } = useOrgTree();
  const [query, setQuery] = useState('');
  const [expanded, setExpanded] = useState<number[] | null>(null);
  const detailRef = useRef<HTMLDivElement>(null);

  const selected = Number(params.id) || tree?.roots[0]?.id;
  const { items, matchKeys } = useMemo(() => (tree ? filterTree(tree, query.trim()) : { items: [], matchKeys: null }), [tree, query]);

  // Open the path to the selected org the first time the tree arrives.
  useEffect(() => {
    if (!tree || expanded !== null) return;
    const keys = new Set(tree.roots.map((r) => r.id));
    let n = selected ? tree.byId.get(selected) : undefined;
    while (n && n.parentId !== null) {
      keys.add(n.parentId);
      n = tree.byId.get(n.parentId);
    }
    setExpanded([...keys]);
  }, [tree, expanded, selected]);

  const select = (id: number) => {
    navigate(`/orgs/${id}`);
    if (mobile) setTimeout(() => detailRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' }), 50);
  };
  const afterWrite = (goTo?: number) => {
    invalidateOrgTree();
    reload();
    if (goTo) navigate(`/orgs/${goTo}`);
  };

  return (
    <div className="page">
      <PageHeader
        title="组织架构"
        subtitle={tree ? `管理范围内共 ${tree.nodes.length} 个党组织，${tree.roots.reduce((a, r) => a + tree.totalMembers(r.id), 0)} 名党员` : undefined}
      />
      <ErrorAlert error={error} onRetry={reload} />
      <div className="orgs-layout">
        <Card className="orgs-tree-card" title="组织树" size="small">
          <Input.Search
            placeholder="按名称查找组织"
            allowClear
            onChange={(e) => setQuery(e.target.value)}
            className="orgs-tree-search"
            data-testid="org-tree-search"
          />
          {!tree ? (
            <Skeleton active />
          ) : items.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有匹配的组织" />
          ) : (
            <div className="orgs-tree-scroll" data-testid="org-tree">
              <Tree<TreeItem>
                treeData={items}
                blockNode
                selectedKeys={selected ? [selected] : []}
                expandedKeys={matchKeys ?? expanded ?? []}
                onExpand={(keys) => setExpanded(keys as number[])}
                onSelect={(keys) => keys[0] !== undefined && select(keys[0] as number)}
                titleRender={(n) => (
                  <span className="org-tree-node" title={n.fullName} data-testid="org-tree-node">
                    <span className="org-tree-name">{n.title}</span>
                    {n.count > 0 ? <span className="org-tree-count">{n.count}人</span> : null}
                  </span>
                )}
              />
            </div>
          )}
        </Card>
        <div className="orgs-detail" ref={detailRef}>
          {selected && tree ? (
            <OrgDetailPanel id={selected} tree={tree} onChanged={afterWrite} />
          ) : tree ? (
            <Card><Empty description="请选择左侧的组织" /></Card>
          ) : null}
        </div>
      </div>
    </div>
  );
}

/** The tree as antd data; with a query, only matches and their ancestors, all expanded. */
function filterTree(tree: OrgTree, q: string): { items: TreeItem[]; matchKeys: number[] | null } {
  let keep: Set<number> | null = null;
  if (q) {
    keep = new Set();
    for (const n of tree.nodes) {
      if (!n.name.includes(q) && !n.code.toLowerCase().includes(q.toLowerCase())) continue;
      let p: OrgNode | undefined = n;
      while (p && !keep.has(p.id)) {
        keep.add(p.id);
        p = p.parentId !== null ? tree.byId.get(p.parentId) : undefined;
      }
    }
  }
  const build = (n: OrgNode): TreeItem | null => {
    if (keep && !keep.has(n.id)) return null;
    const kids = (tree.children.get(n.id) ?? []).map(build).filter((x): x is TreeItem => !!x);
    return { key: n.id, title: tree.short(n.id), fullName: n.name, count: tree.totalMembers(n.id), children: kids.length ? kids : undefined };
  };
  const items = tree.roots.map(build).filter((x): x is TreeItem => !!x);
  return { items, matchKeys: keep ? [...keep] : null };
}
