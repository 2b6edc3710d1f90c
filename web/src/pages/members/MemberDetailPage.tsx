import { Link, useNavigate, useParams } from 'react-router';
import { Button, Card, Skeleton, Tag } from 'antd';
import { ArrowLeftOutlined, EditOutlined } from '@ant-design/icons';
import { api } from '../../api/client';
import type { MemberDetail } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useLoad, useTitle } from '../../lib/hooks';
import { stageLabel, stateLabel } from '../../lib/labels';
import { useOrgTree } from '../../lib/orgTree';
import { MemberRecord } from './MemberRecord';

/** 党员详情: the record with masked personal data, posts and membership history; 编辑 for members.write. */
export default function MemberDetailPage() {
  const { id } = useParams();
  const { can } = useAuth();
  const navigate = useNavigate();
  const { tree } = useOrgTree(can('orgs.read'));
  const detail = useLoad((signal) => api.get<MemberDetail>(`/api/members/${id}`, undefined, signal), [id]);
  const m = detail.data;
  useTitle(m ? m.name : '党员详情');
  const compact = (n: string) => (tree ? tree.compact(n) : n);
  const groupName = m?.groupId && tree ? tree.short(m.groupId) : undefined;

  return (
    <div className="page">
      <PageHeader
        title={
          m ? (
            <span className="member-title">
              {m.name}
              <Tag color={m.stage === 'full' ? 'red' : 'orange'}>{stageLabel(m.stage)}</Tag>
              {m.state !== 'active' ? <Tag color="default">{stateLabel(m.state)}</Tag> : null}
            </span>
          ) : (
            '党员详情'
          )
        }
        subtitle={m ? <span title={m.orgName}>{m.orgName}</span> : undefined}
        extra={
          <>
            {can('members.read') ? (
              <Button icon={<ArrowLeftOutlined />} onClick={() => (window.history.length > 1 ? navigate(-1) : navigate('/members'))}>
                返回
              </Button>
            ) : null}
            {m && can('members.write') ? (
              <Link to={`/members/${m.id}/edit`}>
                <Button type="primary" icon={<EditOutlined />} data-testid="member-edit">编辑</Button>
              </Link>
            ) : null}
          </>
        }
      />
      <ErrorAlert error={detail.error} onRetry={detail.reload} />
      {!m && !detail.error ? (
        <Card><Skeleton active paragraph={{ rows: 10 }} /></Card>
      ) : m ? (
        <MemberRecord m={m} writable={can('members.write')} onChanged={detail.reload} compact={compact} groupName={groupName} />
      ) : null}
    </div>
  );
}
