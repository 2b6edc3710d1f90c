import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Button, Card, Dropdown, Pagination, Space } from 'antd';
import { DownloadOutlined, DownOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { api, toQuery } from '../../api/client';
import type { MemberListItem, Page } from '../../api/types';
import { useAuth, useMe } from '../../auth/AuthContext';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useIsMobile, useLoad, useTitle } from '../../lib/hooks';
import { useOrgTree } from '../../lib/orgTree';
import { FILTER_KEYS, MemberFilters, type Filters } from './MemberFilters';
import { MemberCards, MemberTable, type SortKey, type SortState } from './MemberResults';

const SORTS: SortKey[] = ['name', 'birthDate', 'admittedOn', 'org'];

/** 党员管理: filtered, searchable, sortable, paged list; export the same filter to Excel; import; add. */
export default function MembersPage() {
  useTitle('党员管理');
  const { can } = useAuth();
  const me = useMe();
  const mobile = useIsMobile();
  const { tree } = useOrgTree();
  const [params, setParams] = useSearchParams();

  const filters: Filters = useMemo(() => {
    const f: Filters = {};
    for (const k of FILTER_KEYS) {
      const v = params.get(k);
      if (v) f[k] = v;
    }
    return f;
  }, [params]);
  const page = Math.max(1, Number(params.get('page')) || 1);
  const pageSize = Number(params.get('pageSize')) || 20;
  const sortParam = params.get('sort') as SortKey | null;
  const sort: SortState = { sort: sortParam && SORTS.includes(sortParam) ? sortParam : 'name', order: params.get('order') === 'desc' ? 'desc' : 'asc' };

  const query = { ...filters, sort: sort.sort, order: sort.order };
  const list = useLoad(
    (signal) => api.get<Page<MemberListItem>>('/api/members', { ...query, page, pageSize }, signal),
    [params.toString()],
  );

  const update = (next: Filters, extra: Record<string, string | number | undefined> = {}) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...next, ...extra })) if (v !== undefined && v !== '') p.set(k, String(v));
    setParams(p, { replace: false });
  };
  const keepSort = { sort: sort.sort === 'name' ? undefined : sort.sort, order: sort.order === 'asc' ? undefined : sort.order };
  const compact = (n: string) => (tree ? tree.compact(n) : n);
  const orgName = filters.org && tree ? tree.byId.get(Number(filters.org))?.name : undefined;
  const exportHref = `/api/members/export${toQuery(query)}`;

  return (
    <div className="page">
      <PageHeader
        title="党员管理"
        subtitle={list.data ? `${orgName ?? '管理范围内'}共 ${list.data.total} 名党员` : ' '}
        extra={
          <>
            {can('members.export') ? (
              <Space.Compact>
                <Button icon={<DownloadOutlined />} href={exportHref} download data-testid="member-export">
                  导出 Excel
                </Button>
                {me.grants.some((g) => g.canViewPersonalData) ? (
                  <Dropdown
                    trigger={['click']}
                    menu={{
                      items: [{ key: 'full', label: <a href={`${exportHref}${exportHref.includes('?') ? '&' : '?'}unmask=1`} download data-testid="member-export-full">导出完整身份证号和手机号（记入审计日志）</a> }],
                    }}
                  >
                    <Button icon={<DownOutlined />} aria-label="更多导出方式" />
                  </Dropdown>
                ) : null}
              </Space.Compact>
            ) : null}
            {can('members.import') ? (
              <Link to="/members/import">
                <Button icon={<UploadOutlined />} data-testid="member-import">导入</Button>
              </Link>
            ) : null}
            {can('members.write') ? (
              <Link to={`/members/new${filters.org ? `?org=${filters.org}` : ''}`}>
                <Button type="primary" icon={<PlusOutlined />} data-testid="member-new">新增党员</Button>
              </Link>
            ) : null}
          </>
        }
      />
      <Card className="section-card">
        <MemberFilters value={filters} onChange={(f) => update(f, { ...keepSort, pageSize: pageSize === 20 ? undefined : pageSize })} />
      </Card>
      <ErrorAlert error={list.error} onRetry={list.reload} />
      <Card className="section-card member-results" styles={{ body: mobile ? { padding: 0 } : undefined }}>
        {mobile ? (
          <MemberCards items={list.data?.items ?? []} compact={compact} />
        ) : (
          <MemberTable
            items={list.data?.items ?? []}
            loading={list.loading}
            sort={sort}
            compact={compact}
            onSort={(s) => update(filters, { sort: s.sort === 'name' ? undefined : s.sort, order: s.order === 'asc' ? undefined : s.order, pageSize: pageSize === 20 ? undefined : pageSize })}
          />
        )}
        {list.data && list.data.total > 0 ? (
          <Pagination
            className="list-pagination member-pagination"
            current={page}
            pageSize={pageSize}
            total={list.data.total}
            showSizeChanger={!mobile}
            pageSizeOptions={[20, 50, 100]}
            simple={mobile ? { readOnly: false } : undefined}
            showTotal={mobile ? undefined : (t) => `共 ${t} 人`}
            onChange={(p, ps) => update(filters, { ...keepSort, page: p === 1 ? undefined : p, pageSize: ps === 20 ? undefined : ps })}
            data-testid="member-pagination"
          />
        ) : null}
      </Card>
    </div>
  );
}
