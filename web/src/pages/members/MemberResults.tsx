import { Link, useNavigate } from 'react-router';
import { Empty, Table, Tag, Tooltip, type TableProps } from 'antd';
import type { MemberListItem } from '../../api/types';
import { educationLabel, genderLabel, idProblemLabel, stateLabel } from '../../lib/labels';

export type SortKey = 'name' | 'birthDate' | 'admittedOn' | 'org';
export interface SortState {
  sort: SortKey;
  order: 'asc' | 'desc';
}

/** Flags beside a name: 转出中, 失联, and an ID-number problem. */
function Flags({ m, stage }: { m: MemberListItem; stage?: boolean }) {
  return (
    <>
      {stage && m.stage === 'probationary' ? <Tag color="orange">预备党员</Tag> : null}
      {m.transferPending ? <Tag color="purple">转出中</Tag> : null}
      {m.state !== 'active' ? <Tag color="red">{stateLabel(m.state)}</Tag> : null}
      {m.idNumberProblem ? (
        <Tooltip title={idProblemLabel(m.idNumberProblem)}>
          <Tag color="volcano">身份证号待核</Tag>
        </Tooltip>
      ) : null}
    </>
  );
}

/** Desktop: a sortable table that scrolls inside its own container. */
export function MemberTable(props: {
  items: MemberListItem[];
  loading: boolean;
  sort: SortState;
  onSort: (s: SortState) => void;
  compact: (name: string) => string;
}) {
  const navigate = useNavigate();
  const sortOrder = (k: SortKey) => (props.sort.sort === k ? (props.sort.order === 'asc' ? 'ascend' : 'descend') : null);
  // 年龄 sorts by birth date the other way round: youngest first = latest birth date first.
  const ageOrder = props.sort.sort === 'birthDate' ? (props.sort.order === 'desc' ? 'ascend' : 'descend') : null;
  const columns: TableProps<MemberListItem>['columns'] = [
    {
      title: '姓名', dataIndex: 'name', key: 'name', sorter: true, sortOrder: sortOrder('name'), fixed: 'left', width: 150,
      render: (n: string, m) => (
        <span className="member-name-cell">
          <Link to={`/members/${m.id}`} onClick={(e) => e.stopPropagation()}>{n}</Link>
          <Flags m={m} stage />
        </span>
      ),
    },
    { title: '性别', dataIndex: 'gender', width: 60, render: genderLabel },
    {
      title: '年龄', dataIndex: 'age', key: 'age', sorter: true, sortOrder: ageOrder, width: 80,
      render: (a: number | null, m) => (a === null ? '—' : <span title={`出生日期 ${m.birthDate}`}>{a}岁</span>),
    },
    { title: '民族', dataIndex: 'ethnicity', width: 80 },
    { title: '学历', dataIndex: 'education', width: 100, render: educationLabel },
    {
      title: '所在党组织', dataIndex: 'orgName', key: 'org', sorter: true, sortOrder: sortOrder('org'), ellipsis: { showTitle: false },
      render: (n: string) => <span title={n}>{props.compact(n)}</span>,
    },
    { title: '入党日期', dataIndex: 'admittedOn', key: 'admittedOn', sorter: true, sortOrder: sortOrder('admittedOn'), width: 116 },
    { title: '党龄', dataIndex: 'partyAge', width: 64, render: (a: number | null) => (a === null ? '—' : `${a}年`) },
    { title: '手机号码', dataIndex: 'mobile', width: 124, render: (v: string | null) => v ?? '—' },
  ];
  return (
    <Table<MemberListItem>
      data-testid="member-table"
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={props.items}
      loading={props.loading}
      pagination={false}
      scroll={{ x: 980 }}
      showSorterTooltip={false}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有符合条件的党员" /> }}
      onRow={(m) => ({ onClick: () => navigate(`/members/${m.id}`), className: 'clickable-row', 'data-testid': 'member-row' } as React.HTMLAttributes<HTMLElement>)}
      onChange={(_p, _f, sorter) => {
        const s = Array.isArray(sorter) ? sorter[0] : sorter;
        const key = (s?.columnKey as string | undefined) ?? 'name';
        if (!s?.order) props.onSort({ sort: 'name', order: 'asc' });
        else if (key === 'age') props.onSort({ sort: 'birthDate', order: s.order === 'ascend' ? 'desc' : 'asc' });
        else props.onSort({ sort: key as SortKey, order: s.order === 'descend' ? 'desc' : 'asc' });
      }}
    />
  );
}

/** Phones: one card per member, the whole card opens the record. */
export function MemberCards({ items, compact }: { items: MemberListItem[]; compact: (name: string) => string }) {
  if (items.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有符合条件的党员" />;
  return (
    <div className="member-cards" data-testid="member-cards">
      {items.map((m) => (
        <Link to={`/members/${m.id}`} className="member-card" key={m.id} data-testid="member-card">
          <div className="member-card-head">
            <span className="member-card-name">{m.name}</span>
            <Flags m={m} stage />
          </div>
          <div className="member-card-line">
            {[genderLabel(m.gender), m.age !== null ? `${m.age}岁` : null, m.ethnicity, educationLabel(m.education)].filter(Boolean).join(' · ')}
          </div>
          <div className="member-card-line member-card-org">{compact(m.orgName)}</div>
          <div className="member-card-line muted">
            {m.admittedOn ? `${m.admittedOn} 入党` : ''}
            {m.partyAge !== null ? ` · 党龄 ${m.partyAge} 年` : ''}
            {m.mobile ? ` · ${m.mobile}` : ''}
          </div>
        </Link>
      ))}
    </div>
  );
}
