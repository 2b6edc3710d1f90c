import { useEffect, useState } from 'react';
import { App, Button, Card, Checkbox, Empty, Form, Input, InputNumber, List, Modal, Popconfirm, Tag, Tooltip } from 'antd';
import { api } from '../../api/client';
import { useSubmit } from '../../lib/hooks';
import { RectStatusTag, candidateText, htmlToText, textToHtml } from './shared';
import type { Narrative, Placeholder, ReportDetail, ReportField } from './types';

/** The parts of the report editor: typed fields, narrative editors, the missing-figure dialog and the side panel. */

export function FieldInput({ field, onSave, block }: { field: ReportField; onSave: (v: string | number | null) => void; block?: boolean }) {
  const numeric = field.type === 'integer' || field.type === 'number';
  const [v, setV] = useState<string | number | null>(field.value ?? null);
  useEffect(() => setV(field.value ?? null), [field.value]);
  const commit = () => {
    if ((v ?? null) !== (field.value ?? null)) onSave(v);
  };
  const empty = v === null || v === '';
  return (
    <Tooltip title={field.reason ? `需手工填写：${field.reason}` : '需手工填写'}>
      <span className="report-field" data-testid="report-field" data-name={field.name} style={block ? { display: 'flex', flexWrap: 'wrap' } : undefined}>
        <span className="report-field-label">{field.label}</span>
        {numeric ? (
          <InputNumber size="small" value={v as number | null} precision={field.type === 'integer' ? 0 : undefined} status={empty ? 'warning' : undefined}
            onChange={(x) => setV(x as number | null)} onBlur={commit} onPressEnter={commit} placeholder="待填写" />
        ) : (
          <Input size="small" value={(v as string | null) ?? ''} status={empty ? 'warning' : undefined} onChange={(e) => setV(e.target.value)} onBlur={commit} onPressEnter={commit} placeholder="待填写" />
        )}
        {field.unit ? <span>{field.unit}</span> : null}
        {block && field.reason ? <span className="report-field-label">（{field.reason}）</span> : null}
      </span>
    </Tooltip>
  );
}

export function NarrativeText({ html }: { html: string }) {
  const text = htmlToText(html);
  if (!text) return <p className="muted">（未撰写）</p>;
  return <>{text.split('\n').map((l, i) => <p key={i}>{l}</p>)}</>;
}

/**
 * Text typed but not yet saved, by narrative id. It lives on the page, not in the editor, so a reload that
 * re-renders the document (a figure filled, a sentence removed, another narrative saved) keeps what was typed.
 */
export type Drafts = Map<string, string>;

export function NarrativeEditor({ n, drafts, onSave }: { n: Narrative; drafts: Drafts; onSave: (html: string) => Promise<boolean> }) {
  const key = String(n.id);
  const saved = htmlToText(n.html);
  const [text, setText] = useState(drafts.get(key) ?? saved);
  useEffect(() => {
    if (!drafts.has(key)) setText(saved);
  }, [saved, key, drafts]);
  const change = (t: string) => {
    setText(t);
    if (t === saved) drafts.delete(key);
    else drafts.set(key, t);
  };
  const dirty = text !== saved;
  const save = async () => {
    if (!dirty) return;
    const sent = text;
    if (await onSave(textToHtml(sent)) && drafts.get(key) === sent) drafts.delete(key);
  };
  return (
    <div className="report-narrative" data-testid="report-narrative" data-id={key}>
      <div className="report-narrative-label">{n.label}{n.hint ? <span className="muted">（{n.hint}）</span> : null}</div>
      <Input.TextArea value={text} onChange={(e) => change(e.target.value)} autoSize={{ minRows: 3 }} placeholder={n.hint ?? `请撰写${n.label}，每段一行`}
        onBlur={() => void save()} />
      {dirty ? <div className="muted" style={{ fontSize: 12 }}>未保存：离开输入框即自动保存</div> : null}
    </div>
  );
}

export function FixMissingModal({ reportId, ph, onClose, onDone }: { reportId: number; ph: Placeholder | null; onClose: () => void; onDone: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ value: string; reason: string }>();
  const [saving, submit] = useSubmit();
  useEffect(() => form.resetFields(), [ph?.id, form]);
  async function send(body: unknown) {
    if (!ph) return;
    await submit(async () => {
      await api.put(`/api/reports/${reportId}/placeholders/${encodeURIComponent(ph.id)}/override`, body);
      message.success('已更新');
      onDone();
    });
  }
  return (
    <Modal open={!!ph} title={ph ? `缺数据：${ph.label}` : ''} onCancel={onClose} destroyOnHidden data-testid="fix-missing"
      footer={[
        <Popconfirm key="rm" title="删除这个数字所在的句子？" okText="删除" cancelText="取消" onConfirm={() => send({ removed: true })}>
          <Button danger loading={saving} data-testid="fix-remove">删除该句</Button>
        </Popconfirm>,
        <Button key="ok" type="primary" loading={saving} data-testid="fix-save" onClick={async () => send(await form.validateFields())}>填写数值</Button>,
      ]}>
      <p className="dialog-lead">系统中没有能算出这个数字的记录。可以手工填写数值并说明来源（定稿后随报告保存），或删除这句话。</p>
      <Form form={form} layout="vertical">
        <Form.Item name="value" label={`数值${ph?.unit ? `（${ph.unit}）` : ''}`} rules={[{ required: true, message: '请填写数值' }]}>
          <Input data-testid="fix-value" />
        </Form.Item>
        <Form.Item name="reason" label="理由与来源" rules={[{ required: true, message: '请说明数值的来源' }]}>
          <Input.TextArea rows={2} data-testid="fix-reason" placeholder="例如：据街道台账统计" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function SidePanel({ d, editable, onInsert }: { d: ReportDetail; editable: boolean; onInsert: (text: string) => void }) {
  const [checked, setChecked] = useState<Set<number>>(new Set());
  const review = d.lastYearReview;
  return (
    <>
      <Card size="small" title="可写入“存在问题”的线索" data-testid="report-candidates">
        {d.candidates.problems.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="本年度没有未解决的问题记录" /> : (
          <List size="small" dataSource={d.candidates.problems} renderItem={(c, i) => (
            <List.Item key={i} actions={editable ? [<Button key="i" size="small" type="link" onClick={() => onInsert(candidateText(c))} data-testid="candidate-insert">写入</Button>] : undefined}>
              <span>{c.source ?? c.kind ? <Tag>{({ finding: '预警', overdueObligation: '逾期事项', obligation: '逾期事项', rectification: '整改事项' } as Record<string, string>)[(c.source ?? c.kind)!] ?? c.source ?? c.kind}</Tag> : null}{candidateText(c)}</span>
            </List.Item>
          )} />
        )}
      </Card>
      <Card size="small" title="上年工作计划完成情况" data-testid="report-plan">
        {d.candidates.lastYearPlan.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有上年定稿报告中的工作计划" /> : (
          <div>
            {d.candidates.lastYearPlan.map((c, i) => (
              <div key={i} style={{ marginBottom: 6 }}>
                <Checkbox checked={checked.has(i) || (typeof c !== 'string' && !!c.done)} onChange={(e) => setChecked((s) => { const n = new Set(s); if (e.target.checked) n.add(i); else n.delete(i); return n; })}>
                  {candidateText(c)}
                </Checkbox>
              </div>
            ))}
            <div className="muted" style={{ fontSize: 12 }}>勾选已完成的事项，在“主要工作”中逐项写明。</div>
          </div>
        )}
      </Card>
      <Card size="small" title="上年述职评议与整改" data-testid="report-last-review">
        {!review || (!review.comments?.length && !review.rectifications?.length) ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="上年没有评议意见" /> : (
          <>
            {(review.comments ?? []).map((c) => (
              <div key={c.id} style={{ marginBottom: 8 }}>
                <div><Tag color="blue">评定等次：{c.grade}</Tag>{c.reviewer ? <span className="muted" style={{ fontSize: 12 }}>{c.reviewer}</span> : null}</div>
                {c.strengths ? <div><b>主要成绩：</b>{c.strengths}</div> : null}
                {c.problems ? <div><b>存在问题：</b>{c.problems}</div> : null}
              </div>
            ))}
            {(review.rectifications ?? []).map((r) => (
              <div key={r.id} style={{ marginBottom: 6 }}>
                <RectStatusTag status={r.status ?? (r.closed ? 'closed' : 'open')} deadline={r.deadline} /> {r.problem}
                <div className="muted" style={{ fontSize: 12 }}>整改期限 {r.deadline}{r.closedOn ?? r.closedAt ? `，${String(r.closedOn ?? r.closedAt).slice(0, 10)} 销号` : ''}{r.note ? `：${r.note}` : ''}</div>
              </div>
            ))}
          </>
        )}
      </Card>
    </>
  );
}
