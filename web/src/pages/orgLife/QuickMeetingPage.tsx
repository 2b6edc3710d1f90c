import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Alert, App, Button, Collapse, Input, Space, Tag, Typography } from 'antd';
import { CameraOutlined, CheckOutlined } from '@ant-design/icons';
import type { ExpectedPerson, MeetingInput } from '../../../../src/modules/orgLife/contract';
import { api, errorMessage } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { DateField, TimeField } from '../../components/DateField';
import { OrgTreeSelect } from '../../components/OrgTreeSelect';
import { PageHeader } from '../../components/PageHeader';
import { todayIso } from '../../lib/format';
import { useLoad, useTitle } from '../../lib/hooks';
import { ATTENDANCE_COLORS, KIND_OPTIONS, ORG_LIFE_PATHS, attendanceLabel, useDefaultOrg } from './shared';
import './orgLife.css';

type Status = 'present' | 'absent' | 'onLeave';
const NEXT: Record<Status, Status> = { present: 'absent', absent: 'onLeave', onLeave: 'present' };
const QUICK_KINDS = ['committeeMeeting', 'themedPartyDay', 'memberAssembly', 'groupMeeting', 'partyLecture', 'studySession', 'orgLifeMeeting', 'seminar', 'memberReview', 'workMeeting'];

/**
 * 快速记录会议: one-handed on a 375-px phone. Kind, date and topic on top; attendance as a tap list of
 * the people who should attend that day (one tap: 出席 → 缺席 → 请假 → 出席); photos from the camera.
 * Prefill with ?org=&kind=&date= (the calendar's 补录 links).
 */
export function QuickMeetingPage() {
  useTitle('记录会议');
  const { message } = App.useApp();
  const [params] = useSearchParams();
  const defaultOrg = useDefaultOrg(params.get('org'));
  const [orgId, setOrgId] = useState<number | undefined>(defaultOrg);
  const [kind, setKind] = useState(params.get('kind') ?? 'themedPartyDay');
  const [heldOn, setHeldOn] = useState(params.get('date') ?? todayIso());
  const [topic, setTopic] = useState('');
  const [extra, setExtra] = useState({ place: '', startTime: '', endTime: '', theme: '', lecturer: '', lectureTitle: '', minutes: '' });
  const [status, setStatus] = useState<Record<number, Status>>({});
  const [reasons, setReasons] = useState<Record<number, string>>({});
  const [photos, setPhotos] = useState<{ id: number; name: string }[]>([]);
  const [uploading, setUploading] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<{ id: number; message: string; countsAsHeld: boolean; validForDecisions: boolean } | null>(null);
  const [error, setError] = useState<unknown>(null);

  const expected = useLoad((signal) => api.get<{ people: ExpectedPerson[] }>('/api/orgLife/meetings/expected', { org: orgId, kind, date: heldOn }, signal), [orgId, kind, heldOn], !!orgId && /^\d{4}-\d{2}-\d{2}$/.test(heldOn));
  const people = useMemo(() => expected.data?.people ?? [], [expected.data]);
  useEffect(() => setStatus(Object.fromEntries(people.map((p) => [p.personId, 'present' as Status]))), [people]);
  const present = people.filter((p) => status[p.personId] === 'present').length;

  async function upload(files: FileList | null) {
    if (!files || !orgId) return;
    setUploading(true);
    try {
      for (const f of Array.from(files)) {
        const form = new FormData();
        form.append('org', String(orgId));
        form.append('file', f);
        const r = await api.upload<{ id: number; filename: string }>('/api/attachments', form);
        setPhotos((p) => [...p, { id: r.id, name: r.filename }]);
      }
    } catch (e) {
      message.error(`照片上传失败：${errorMessage(e)}`);
    } finally {
      setUploading(false);
    }
  }

  async function submit() {
    if (!orgId) return setError(new Error('请选择党组织'));
    if (!topic.trim()) return setError(new Error('请填写会议主题'));
    setSaving(true);
    setError(null);
    const body: Partial<MeetingInput> = {
      orgId, kind: kind as MeetingInput['kind'], heldOn, topic: topic.trim(),
      place: extra.place || null, startTime: extra.startTime || null, endTime: extra.endTime || null,
      theme: kind === 'themedPartyDay' ? extra.theme || null : null,
      lecturer: kind === 'partyLecture' ? extra.lecturer || null : null,
      lectureTitle: kind === 'partyLecture' ? extra.lectureTitle || null : null,
      minutesHtml: extra.minutes ? extra.minutes.split('\n').filter(Boolean).map((l) => `<p>${l.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!)}</p>`).join('') : null,
      attendance: people.map((p) => ({ personId: p.personId, status: status[p.personId] ?? 'present', leaveReason: status[p.personId] === 'onLeave' ? reasons[p.personId] || null : null })),
      attachmentIds: photos.map((p) => p.id),
    };
    try {
      const r = await api.post<{ id: number; message: string; countsAsHeld: boolean; validForDecisions: boolean }>('/api/orgLife/meetings', body);
      setSaved(r);
      message.success(r.message);
    } catch (e) {
      setError(e);
    } finally {
      setSaving(false);
    }
  }

  if (saved) {
    return (
      <div className="page-narrow orglife-quick">
        <PageHeader title="会议已记录" />
        <Alert type={saved.countsAsHeld && saved.validForDecisions ? 'success' : 'warning'} showIcon title={saved.message} style={{ marginBottom: 16 }} data-testid="quick-result" />
        <Space wrap>
          <Link to={ORG_LIFE_PATHS.meeting(saved.id)}><Button type="primary">查看会议记录</Button></Link>
          <Button onClick={() => { setSaved(null); setTopic(''); setPhotos([]); }}>再记一次</Button>
          <Link to={ORG_LIFE_PATHS.calendar}><Button>返回组织生活</Button></Link>
        </Space>
      </div>
    );
  }

  return (
    <div className="page-narrow orglife-quick">
      <PageHeader title="记录会议" subtitle="点一下名字切换：出席 → 缺席 → 请假" />
      <ErrorAlert error={error} />
      <Space direction="vertical" size={14} style={{ width: '100%' }}>
        <OrgTreeSelect value={orgId} onChange={(v) => setOrgId(v ?? undefined)} allowClear={false} data-testid="quick-org" />
        <div className="orglife-kinds" role="radiogroup" aria-label="会议类型" data-testid="quick-kind">
          {QUICK_KINDS.map((k) => (
            <Button key={k} type={kind === k ? 'primary' : 'default'} role="radio" aria-checked={kind === k} onClick={() => setKind(k)} data-testid={`quick-kind-${k}`}>
              {KIND_OPTIONS.find((o) => o.value === k)!.label}
            </Button>
          ))}
        </div>
        <DateField size="large" value={heldOn} max={todayIso()} allowClear={false} onChange={(v) => setHeldOn(v ?? todayIso())} data-testid="quick-date" aria-label="召开日期" placeholder="召开日期" />
        <Input size="large" placeholder="会议主题（必填）" value={topic} onChange={(e) => setTopic(e.target.value)} maxLength={200} data-testid="quick-topic" aria-label="会议主题" />
        <div>
          <Space style={{ justifyContent: 'space-between', width: '100%', marginBottom: 8 }}>
            <Typography.Text strong>出勤 {present} / {people.length}</Typography.Text>
            <Button size="small" icon={<CheckOutlined />} onClick={() => setStatus(Object.fromEntries(people.map((p) => [p.personId, 'present' as Status])))}>全部出席</Button>
          </Space>
          <ErrorAlert error={expected.error} onRetry={expected.reload} />
          {!expected.loading && people.length === 0 ? <Typography.Text type="secondary">该日没有应参加人员，请检查组织和日期</Typography.Text> : null}
          <div className="orglife-tap-list" data-testid="attendance-list">
            {people.map((p) => {
              const st = status[p.personId] ?? 'present';
              return (
                <div key={p.personId} className="orglife-tap-row">
                  <button type="button" className={`orglife-tap orglife-tap-${st}`} data-testid={`attendance-${p.personId}`} data-status={st}
                    onClick={() => setStatus((s) => ({ ...s, [p.personId]: NEXT[st] }))} aria-label={`${p.name}：${attendanceLabel(st)}`}>
                    <span className="orglife-tap-name">{p.name}{p.committee ? <Tag style={{ marginLeft: 6 }}>支委</Tag> : null}{!p.voting ? <Tag style={{ marginLeft: 6 }}>预备</Tag> : null}</span>
                    <Tag color={ATTENDANCE_COLORS[st]}>{attendanceLabel(st)}</Tag>
                  </button>
                  {st === 'onLeave' ? <Input size="small" placeholder="请假事由" value={reasons[p.personId] ?? ''} onChange={(e) => setReasons((r) => ({ ...r, [p.personId]: e.target.value }))} /> : null}
                </div>
              );
            })}
          </div>
        </div>
        <label className="orglife-photo">
          <CameraOutlined /> {uploading ? '正在上传…' : `拍照或选择照片${photos.length ? `（已上传 ${photos.length} 张）` : ''}`}
          <input type="file" accept="image/*" capture="environment" multiple hidden data-testid="quick-photos" onChange={(e) => upload(e.target.files)} />
        </label>
        <Collapse size="small" items={[{
          key: 'more', label: '更多信息（地点、时间、会议记录）',
          children: (
            <Space direction="vertical" style={{ width: '100%' }}>
              <Input placeholder="地点" value={extra.place} onChange={(e) => setExtra({ ...extra, place: e.target.value })} />
              <Space.Compact style={{ width: '100%' }}>
                <TimeField aria-label="开始时间" placeholder="开始时间" value={extra.startTime || null} onChange={(v) => setExtra({ ...extra, startTime: v ?? '' })} />
                <TimeField aria-label="结束时间" placeholder="结束时间" value={extra.endTime || null} onChange={(v) => setExtra({ ...extra, endTime: v ?? '' })} />
              </Space.Compact>
              {kind === 'themedPartyDay' ? <Input placeholder="主题党日主题" value={extra.theme} onChange={(e) => setExtra({ ...extra, theme: e.target.value })} /> : null}
              {kind === 'partyLecture' ? <><Input placeholder="授课人" value={extra.lecturer} onChange={(e) => setExtra({ ...extra, lecturer: e.target.value })} /><Input placeholder="党课题目" value={extra.lectureTitle} onChange={(e) => setExtra({ ...extra, lectureTitle: e.target.value })} /></> : null}
              <Input.TextArea rows={4} placeholder="会议记录（每行一段）" value={extra.minutes} onChange={(e) => setExtra({ ...extra, minutes: e.target.value })} />
            </Space>
          ),
        }]} />
        <Button type="primary" size="large" block loading={saving} disabled={uploading} onClick={submit} data-testid="quick-submit">保存会议记录</Button>
      </Space>
    </div>
  );
}

export default QuickMeetingPage;
