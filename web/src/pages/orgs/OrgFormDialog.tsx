import { useEffect, useState } from 'react';
import { App, Col, Form, Input, Modal, Row, Select, Switch } from 'antd';
import { orgInput, orgPatch } from '../../../../src/modules/orgs/contract';
import { defaultApprovesMembers, type OrgKind, type UnitType } from '../../../../src/domain/vocab';
import { api } from '../../api/client';
import type { OrgDetail } from '../../api/types';
import { DateField } from '../../components/DateField';
import { applyServerErrors, blankToNull, validateWith } from '../../lib/forms';
import { ORG_KIND_OPTIONS, UNIT_TYPE_OPTIONS } from '../../lib/labels';

interface Values {
  name: string;
  kind: string;
  code: string;
  unitType: string | null;
  establishedOn: string | null;
  termStart: string | null;
  termEnd: string | null;
  address: string | null;
  tags: string[];
  approvesMembers: boolean;
}

/** The usual kind of a new child under a parent of this kind. */
const CHILD_KIND: Record<string, string> = {
  partyCommittee: 'townshipCommittee',
  townshipCommittee: 'basicCommittee',
  subdistrictWorkCommittee: 'basicCommittee',
  basicCommittee: 'branch',
  generalBranch: 'branch',
  branch: 'partyGroup',
  jointBranch: 'partyGroup',
  temporaryBranch: 'partyGroup',
};

type Props =
  | { mode: 'create'; open: boolean; parentId: number; parentKind?: string; onClose: () => void; onSaved: (id?: number) => void }
  | { mode: 'edit'; open: boolean; org: OrgDetail; onClose: () => void; onSaved: (id?: number) => void };

/** 新建下级组织 / 编辑: fields from the orgs contract, checked with it before sending. */
export function OrgFormDialog(props: Props) {
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [approvesTouched, setApprovesTouched] = useState(false);
  const { message } = App.useApp();

  useEffect(() => {
    if (!props.open) return;
    setApprovesTouched(false);
    if (props.mode === 'edit') {
      const o = props.org;
      form.setFieldsValue({
        name: o.name, kind: o.kind, code: o.code, unitType: o.unitType, establishedOn: o.establishedOn, termStart: o.termStart,
        termEnd: o.termEnd, address: o.address, tags: o.tags, approvesMembers: o.approvesMembers,
      });
    } else {
      const kind = CHILD_KIND[props.parentKind ?? ''] ?? 'branch';
      form.resetFields();
      form.setFieldsValue({ kind, tags: [], approvesMembers: defaultApprovesMembers(kind as OrgKind, null) });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.open]);

  const onValuesChange = (changed: Partial<Values>, all: Values) => {
    if ('approvesMembers' in changed) setApprovesTouched(true);
    else if (('kind' in changed || 'unitType' in changed) && !approvesTouched) {
      form.setFieldValue('approvesMembers', defaultApprovesMembers(all.kind as OrgKind, (all.unitType ?? null) as UnitType | null));
    }
  };

  const submit = async () => {
    const raw = blankToNull(await form.validateFields());
    setBusy(true);
    try {
      if (props.mode === 'create') {
        const body = validateWith(form, orgInput, { ...raw, parentId: props.parentId, tags: raw.tags ?? [], approvesMembers: approvesTouched ? raw.approvesMembers : null });
        if (!body) return;
        const out = await api.post<{ id: number }>('/api/orgs', body);
        message.success('已新建组织');
        props.onSaved(out.id);
      } else {
        const o = props.org;
        const patch: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(raw)) {
          const before = (o as unknown as Record<string, unknown>)[k];
          if (JSON.stringify(v ?? null) !== JSON.stringify(before ?? null)) patch[k] = v;
        }
        if (Object.keys(patch).length === 0) {
          props.onClose();
          return;
        }
        const body = validateWith(form, orgPatch, patch);
        if (!body) return;
        await api.patch(`/api/orgs/${o.id}`, body);
        message.success('已保存');
        props.onSaved(o.id);
      }
    } catch (e) {
      const rest = applyServerErrors(form, e);
      if (rest) message.error(rest);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={props.open}
      title={props.mode === 'create' ? '新建下级组织' : '编辑组织'}
      okText="保存"
      cancelText="取消"
      onOk={submit}
      onCancel={props.onClose}
      confirmLoading={busy}
      width={720}
      forceRender
    >
      <Form form={form} name={`org-${props.mode}`} layout="vertical" onValuesChange={onValuesChange} data-testid={`org-form-${props.mode}`} className="dialog-form">
        <Form.Item name="name" label="组织名称（全称）" rules={[{ required: true, whitespace: true, message: '请输入组织名称' }]}>
          <Input maxLength={80} placeholder="例如：中共示范县城关街道幸福社区第四党支部" />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item name="kind" label="组织类型" rules={[{ required: true, message: '请选择组织类型' }]}>
              <Select options={ORG_KIND_OPTIONS} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="code" label="组织编码" rules={[{ required: true, whitespace: true, message: '请输入组织编码' }]}>
              <Input maxLength={40} placeholder="字母、数字、下划线或短横线" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="unitType" label="单位类型">
              <Select options={UNIT_TYPE_OPTIONS} allowClear placeholder="选择单位类型" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="establishedOn" label="成立日期">
              <DateField />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="termStart" label="本届任期开始">
              <DateField />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="termEnd" label="本届任期届满">
              <DateField />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="address" label="地址">
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="tags" label="标签" extra="例如：示范点。输入后按回车添加。">
          <Select mode="tags" tokenSeparators={[',', '，']} open={false} suffixIcon={null} placeholder="输入标签" />
        </Form.Item>
        <Form.Item name="approvesMembers" label="具有发展党员审批权" valuePropName="checked" extra="默认按组织类型确定：县（区）委、乡镇党委、街道党工委及非村（社区）基层党委具有审批权。">
          <Switch checkedChildren="有" unCheckedChildren="无" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
