import { Card, Descriptions, Tag, Timeline } from 'antd';
import type { MemberDetail } from '../../api/types';
import { dash } from '../../lib/format';
import { educationLabel, genderLabel, occupationLabel, stageLabel, stateLabel } from '../../lib/labels';
import { MemberPosts } from './MemberPosts';
import { PersonalData } from './PersonalData';

/** A member's record in sections; shared by the member detail page and 我的信息. */
export function MemberRecord(props: {
  m: MemberDetail;
  writable: boolean;
  onChanged: () => void;
  compact: (name: string) => string;
  groupName?: string;
}) {
  const { m, compact } = props;
  return (
    <>
      <Card className="section-card" title="基本信息" size="small">
        <Descriptions
          column={{ xs: 1, sm: 2, md: 2, lg: 3 }}
          size="small"
          items={[
            { key: 'name', label: '姓名', children: m.name },
            { key: 'gender', label: '性别', children: genderLabel(m.gender) },
            { key: 'eth', label: '民族', children: m.ethnicity },
            { key: 'birth', label: '出生日期', children: m.birthDate ? `${m.birthDate}（${m.age}岁）` : '—' },
            { key: 'edu', label: '学历', children: dash(educationLabel(m.education)) },
            { key: 'occ', label: '职业', children: dash(occupationLabel(m.occupation)) },
            { key: 'unit', label: '工作单位', children: dash(m.workUnit) },
            { key: 'org', label: '所在党组织', children: <span title={m.orgName}>{m.orgName}</span> },
            { key: 'group', label: '所在党小组', children: props.groupName ?? (m.groupId ? '已编入党小组' : '—') },
          ]}
        />
      </Card>
      <Card className="section-card" title="身份与联系方式" size="small">
        <PersonalData m={m} />
      </Card>
      <Card className="section-card" title="党籍信息" size="small">
        <Descriptions
          column={{ xs: 1, sm: 2, md: 2, lg: 3 }}
          size="small"
          items={[
            { key: 'stage', label: '人员类别', children: stageLabel(m.stage) },
            { key: 'state', label: '党籍状态', children: stateLabel(m.state) },
            { key: 'admitted', label: '入党日期', children: dash(m.admittedOn) },
            { key: 'full', label: '转正日期', children: dash(m.fullOn) },
            { key: 'age', label: '党龄', children: m.partyAge === null ? '—（预备党员不计党龄）' : `${m.partyAge} 年` },
            { key: 'mobile', label: '流动党员', children: m.isMobile ? '是' : '否' },
          ]}
        />
        {m.fullOnNote ? <p className="note">{m.fullOnNote}</p> : null}
        {m.transferPending ? <p className="note"><Tag color="purple">转出中</Tag>组织关系转接尚未完成，暂列原组织。</p> : null}
      </Card>
      <Card className="section-card" title="任职" size="small">
        <MemberPosts m={m} writable={props.writable} onChanged={props.onChanged} compact={compact} />
      </Card>
      <Card className="section-card" title="组织关系与党籍历史" size="small">
        <Timeline
          data-testid="member-history"
          items={[...m.history].reverse().map((h, i) => ({
            key: i,
            color: h.validTo ? 'gray' : 'red',
            content: (
              <div className="history-item">
                <div className="history-dates">
                  {h.validFrom} 至 {h.validTo ?? '今'}
                  {h.startPresumed ? <Tag className="history-tag">起始日期推定</Tag> : null}
                </div>
                <div>
                  {stageLabel(h.stage)}
                  {h.state !== 'active' ? `（${stateLabel(h.state)}）` : ''} · <span title={h.orgName}>{compact(h.orgName)}</span>
                </div>
              </div>
            ),
          }))}
        />
      </Card>
    </>
  );
}
