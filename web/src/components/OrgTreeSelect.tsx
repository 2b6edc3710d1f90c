import { TreeSelect } from 'antd';
import { useMemo } from 'react';
import type { OrgNode } from '../api/types';
import { treeOptions, useOrgTree } from '../lib/orgTree';

/**
 * Picks an org from the user's scope. Titles in the dropdown are short names under their parents;
 * the chosen value shows the name without the county prefix. Search matches the full name.
 */
export function OrgTreeSelect(props: {
  value?: number | null;
  onChange?: (v: number | null) => void;
  placeholder?: string;
  allowClear?: boolean;
  disabledNode?: (n: OrgNode) => boolean;
  id?: string;
  style?: React.CSSProperties;
  'data-testid'?: string;
}) {
  const { tree, loading } = useOrgTree();
  const data = useMemo(() => (tree ? treeOptions(tree, props.disabledNode) : []), [tree, props.disabledNode]);
  const defaultExpanded = useMemo(() => (tree ? tree.roots.map((r) => r.id) : []), [tree]);
  return (
    <TreeSelect
      id={props.id}
      data-testid={props['data-testid']}
      value={props.value ?? undefined}
      onChange={(v) => props.onChange?.((v as number | undefined) ?? null)}
      treeData={data}
      fieldNames={{ value: 'value', label: 'title', children: 'children' }}
      treeNodeLabelProp="label"
      placeholder={props.placeholder ?? '选择党组织'}
      allowClear={props.allowClear ?? true}
      loading={loading}
      showSearch={{ treeNodeFilterProp: 'fullName' }}
      treeDefaultExpandedKeys={defaultExpanded}
      popupMatchSelectWidth={false}
      styles={{ popup: { root: { maxWidth: 'calc(100vw - 16px)', minWidth: 260 } } }}
      style={{ width: '100%', ...props.style }}
      listHeight={360}
    />
  );
}
