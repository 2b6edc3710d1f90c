import { Link, useParams } from 'react-router';
import { Alert, Button, Card, Descriptions, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { FileWordOutlined, PrinterOutlined } from '@ant-design/icons';
import type { MeetingDetail } from '../../../../src/modules/orgLife/contract';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatTimestamp } from '../../lib/format';
import { useIsMobile, useLoad, useTitle } from '../../lib/hooks';
import { ATTENDANCE_COLORS, ORG_LIFE_PATHS, attendanceLabel, kindLabel } from './shared';
import './orgLife.css';

/** 会议记录详情, with the printable record (print page and GB/T 9704 Word). */
export function MeetingDetailPage() {
  const { id } = useParams();
  const mobile = useIsMobile();
  const m = useLoad((signal) => api.get<MeetingDetail>(`/api/orgLife/meetings/${id}`, undefined, signal), [id]);
  useTitle(m.data ? `${kindLabel(m.data.kind)}：${m.data.topic}` : '会议记录');
  if (m.error) return <ErrorAlert error={m.error} onRetry={m.reload} />;
  if (!m.data) return <Skeleton active />;
  const d = m.data;
  const present = d.attendance.filter((a) => a.status === 'present').length;
  return (
    <div>
      <PageHeader title={`${kindLabel(d.kind)}：${d.topic}`} subtitle={`${d.orgName} · ${d.heldOn}`}
        extra={<Space wrap>
          <Button icon={<PrinterOutlined />} href={`/api/orgLife/meetings/${d.id}/print`} target="_blank" data-testid="meeting-print">打印</Button>
          <Button icon={<FileWordOutlined />} href={`/api/orgLife/meetings/${d.id}/record.docx`} data-testid="meeting-docx">下载 Word</Button>
          <Link to={`${ORG_LIFE_PATHS.calendar}?org=${d.orgId}`}><Button>返回</Button></Link>
        </Space>} />
      {!d.countsAsHeld ? <Alert type="error" showIcon title="该支委会不计为已召开" description={d.invalidReason} style={{ marginBottom: 16 }} /> : null}
      {d.countsAsHeld && !d.validForDecisions ? <Alert type="warning" showIcon title="会议表决和决定无效" description={d.invalidReason} style={{ marginBottom: 16 }} data-testid="meeting-invalid" /> : null}
      {d.lateEntry ? <Alert type="info" showIcon title={`补录：会议召开日期 ${d.heldOn}，录入时间 ${formatTimestamp(d.enteredAt)}`} style={{ marginBottom: 16 }} /> : null}
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={mobile ? 1 : 2} items={[
          { key: 'k', label: '会议类型', children: <Space wrap><Tag>{kindLabel(d.kind)}</Tag>{d.alsoCountsAs.map((k) => <Tag key={k}>同时计为{kindLabel(k)}</Tag>)}</Space> },
          { key: 't', label: '时间', children: `${d.heldOn} ${d.startTime ?? ''}${d.endTime ? `—${d.endTime}` : ''}` },
          { key: 'p', label: '地点', children: d.place ?? '—' },
          { key: 'h', label: '主持人', children: d.hostName ?? '—' },
          { key: 'r', label: '记录人', children: d.recorderName ?? '—' },
          { key: 'a', label: '出勤', children: `应到 ${d.attendance.length} 人，实到 ${present} 人` },
          ...(d.theme ? [{ key: 'th', label: '主题党日主题', children: d.theme }] : []),
          ...(d.lecturer || d.lectureTitle ? [{ key: 'l', label: '党课', children: `${d.lecturer ?? ''} ${d.lectureTitle ? `《${d.lectureTitle}》` : ''}` }] : []),
          ...(d.forYear ? [{ key: 'y', label: '所属年度', children: `${d.forYear}年度` }] : []),
          ...(d.guests.length ? [{ key: 'g', label: '列席人员', children: d.guests.map((g) => g.name + (g.unitOrRole ? `（${g.unitOrRole}）` : '')).join('、') }] : []),
        ]} />
      </Card>
      {d.agenda.length ? <Card size="small" title="会议议程" style={{ marginBottom: 16 }}><ol style={{ margin: 0, paddingInlineStart: 20 }}>{d.agenda.map((a, i) => <li key={i}>{a}</li>)}</ol></Card> : null}
      {/* minutes are sanitized by the server's one sanitizer before they are stored and again when read */}
      {d.minutesHtml ? <Card size="small" title="会议内容" style={{ marginBottom: 16 }}><div className="orglife-minutes" dangerouslySetInnerHTML={{ __html: d.minutesHtml }} /></Card> : null}
      {d.decisions ? <Card size="small" title="决定事项" style={{ marginBottom: 16 }}><Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{d.decisions}</Typography.Paragraph></Card> : null}
      {d.votes.length ? <Card size="small" title="表决情况" style={{ marginBottom: 16 }}>{d.votes.map((v, i) => <p key={i}><strong>{v.subject}</strong>：{v.result.reason}</p>)}</Card> : null}
      {d.attachments.length ? <Card size="small" title="照片和附件" style={{ marginBottom: 16 }}><Space wrap>{d.attachments.map((a) => a.mime.startsWith('image/')
        ? <a key={a.id} href={`/api/attachments/${a.id}`} target="_blank" rel="noreferrer"><img src={`/api/attachments/${a.id}`} alt={a.filename} style={{ width: 120, height: 90, objectFit: 'cover', borderRadius: 4 }} /></a>
        : <a key={a.id} href={`/api/attachments/${a.id}`}>{a.filename}</a>)}</Space></Card> : null}
      <Card size="small" title="出勤名单">
        <Table size="small" rowKey="personId" pagination={false} dataSource={d.attendance} scroll={{ x: true }} columns={[
          { title: '姓名', dataIndex: 'name' },
          { title: '出勤', dataIndex: 'status', render: (s: string) => <Tag color={ATTENDANCE_COLORS[s]}>{attendanceLabel(s)}</Tag> },
          { title: '请假事由', dataIndex: 'leaveReason', render: (r: string | null) => r ?? '' },
          { title: '表决权', dataIndex: 'voting', render: (v: boolean) => (v ? '有' : '无') },
        ]} />
      </Card>
    </div>
  );
}

export default MeetingDetailPage;
