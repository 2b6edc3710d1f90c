import { useState } from 'react';
import { Alert, App, Checkbox, Form, Input, InputNumber, Modal, Radio, Select } from 'antd';
import type { BoardItem } from '../../../../src/modules/development/contract';
import type { DevelopmentStep } from '../../../../src/domain/developmentSteps';
import type { MemberListItem, Page } from '../../api/types';
import { api, errorMessage } from '../../api/client';
import { DateField } from '../../components/DateField';
import { todayIso } from '../../lib/format';
import { useLoad } from '../../lib/hooks';

/** What the rules ask of a step, shown before the user submits (DOMAIN.md §2.1; the server checks again). */
const REQUIREMENTS: Record<number, string> = {
  1: '年满十八周岁，本人书面递交入党申请书',
  2: '收到入党申请书后一个月内派人谈话',
  5: '指定一至两名正式党员作培养联系人',
  6: '党支部每半年对入党积极分子进行一次考察',
  7: '确定为入党积极分子满一年以上，经支委会讨论；按2026年细则须先公示不少于五个工作日',
  9: '两名正式党员作入党介绍人（受留党察看处分尚未恢复党员权利的不能作介绍人）',
  10: '政治审查不合格的不能发展入党',
  11: '集中培训不少于三天或二十四个学时',
  13: '三个月内将离开工作、学习单位的一般不办理接收手续',
  15: '须关联支部党员大会对本人的表决记录（达到法定人数，赞成票超过应到会有表决权正式党员的半数）',
  17: '上级党委应在三个月内审批（特殊情况不超过六个月）',
  20: '按2026年细则，批准后一个月内进行入党宣誓',
  23: '预备期满一年后方可讨论转正；须关联支部党员大会表决记录',
  24: '上级党委应在三个月内审批转正',
};

export function StepForm({ item, steps, orgId, onClose, onSaved }: { item: BoardItem; steps: DevelopmentStep[]; orgId: number; onClose: () => void; onSaved: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const first = item.next?.no ?? 1;
  const [no, setNo] = useState(first);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const step = steps.find((s) => s.no === no)!;
  const needsPeople = no === 5 || no === 9;
  const members = useLoad((signal) => api.get<Page<MemberListItem>>('/api/members', { org: orgId, stage: 'full', pageSize: 200 }, signal), [orgId], needsPeople);
  const meetings = useLoad((signal) => api.get<Page<{ id: number; heldOn: string; topic: string }>>('/api/orgLife/meetings', { org: orgId, kind: 'memberAssembly', pageSize: 50 }, signal), [orgId], !!step.assembly);
  const people = (members.data?.items ?? []).map((m) => ({ value: m.id, label: m.name }));

  async function submit() {
    const v = await form.validateFields();
    setError(null);
    setSaving(true);
    try {
      const body: Record<string, unknown> = { ...v, step: no };
      for (const k of Object.keys(body)) if (body[k] === undefined || body[k] === null || body[k] === '') delete body[k];
      await api.post(`/api/development/people/${item.personId}/steps`, body);
      message.success(`已记录第${no}步“${step.label}”`);
      onSaved();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal open onCancel={onClose} onOk={submit} okText="保存" confirmLoading={saving} title={`${item.name}：记录发展步骤`} okButtonProps={{ 'data-testid': 'step-submit' } as never} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={{ doneOn: todayIso(), documents: [...step.documents] }} key={no}>
        <Form.Item label="步骤">
          <Select value={no} onChange={(v) => { setNo(v); setError(null); }} data-testid="step-select" showSearch optionFilterProp="label"
            options={steps.map((s) => ({ value: s.no, label: `第${s.no}步 ${s.label}` }))} />
        </Form.Item>
        <Alert type="info" showIcon style={{ marginBottom: 12 }} data-testid="step-requirement"
          message={REQUIREMENTS[no] ?? '按工作流程依次办理，不得跳过步骤'}
          description={<>
            {no === item.next?.no && item.next.earliestOn ? <div>最早可于 {item.next.earliestOn} 办理</div> : null}
            {no === item.next?.no && item.next.dueOn ? <div>期限：{item.next.dueOn}</div> : null}
            {step.documents.length ? <div>所需材料：{step.documents.join('、')}</div> : null}
          </>} />
        <Form.Item name="doneOn" label="办理日期" rules={[{ required: true, message: '请选择日期' }]}><DateField data-testid="step-date" /></Form.Item>
        <Form.Item name="actorName" label="经办人" rules={[{ required: true, message: '请填写经办人' }]}><Input maxLength={50} data-testid="step-actor" /></Form.Item>
        {step.documents.length ? (
          <Form.Item name="documents" label="已具备的材料"><Checkbox.Group options={step.documents.map((d) => ({ value: d, label: d }))} /></Form.Item>
        ) : null}
        {no === 5 ? <Form.Item name="contactPersonIds" label="培养联系人（1至2名正式党员）"><Select mode="multiple" options={people} loading={members.loading} optionFilterProp="label" /></Form.Item> : null}
        {no === 9 ? <Form.Item name="introducerIds" label="入党介绍人（2名正式党员）"><Select mode="multiple" options={people} loading={members.loading} optionFilterProp="label" /></Form.Item> : null}
        {no === 7 ? (<>
          <Form.Item name="publicityFirst" label="公示开始日期"><DateField /></Form.Item>
          <Form.Item name="publicityLast" label="公示结束日期"><DateField /></Form.Item>
        </>) : null}
        {no === 10 || no === 17 || no === 24 ? (
          <Form.Item name="decision" label="结论" initialValue="approved"><Radio.Group options={[{ value: 'approved', label: no === 10 ? '合格' : '同意' }, { value: 'rejected', label: no === 10 ? '不合格' : '不同意' }]} /></Form.Item>
        ) : null}
        {no === 11 ? (<>
          <Form.Item name="trainingDays" label="培训天数"><InputNumber min={0} max={365} style={{ width: '100%' }} /></Form.Item>
          <Form.Item name="trainingHours" label="培训学时"><InputNumber min={0} max={2000} style={{ width: '100%' }} /></Form.Item>
        </>) : null}
        {no === 13 ? <Form.Item name="leavesUnitOn" label="预计离开工作、学习单位日期（如有）"><DateField /></Form.Item> : null}
        {step.assembly ? (
          <Form.Item name="meetingId" label="支部党员大会">
            <Select loading={meetings.loading} options={(meetings.data?.items ?? []).map((m) => ({ value: m.id, label: `${m.heldOn} ${m.topic}` }))} />
          </Form.Item>
        ) : null}
        {no === 17 || no === 24 ? (<>
          <Form.Item name="reachedCommitteeOn" label="支部大会决议报达上级党委日期（默认为大会日期）"><DateField /></Form.Item>
          {no === 17 ? <Form.Item name="specialReason" label="延长审批的特殊情况（如有）"><Input maxLength={200} /></Form.Item> : null}
        </>) : null}
        <Form.Item name="note" label="备注"><Input.TextArea rows={2} maxLength={500} /></Form.Item>
      </Form>
      {error ? <Alert type="error" showIcon message="不能记录" description={error} data-testid="step-error" /> : null}
    </Modal>
  );
}
