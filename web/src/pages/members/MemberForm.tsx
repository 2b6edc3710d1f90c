import { useMemo } from 'react';
import { Col, Divider, Form, Input, Radio, Row, Select, type FormInstance } from 'antd';
import { ETHNICITIES } from '../../../../src/domain/vocab';
import { DateField } from '../../components/DateField';
import { OrgTreeSelect } from '../../components/OrgTreeSelect';
import { EDUCATION_OPTIONS, GENDER_OPTIONS, LIST_STAGE_OPTIONS, OCCUPATION_OPTIONS } from '../../lib/labels';
import { useOrgTree } from '../../lib/orgTree';

export interface MemberFormValues {
  orgId: number;
  groupId: number | null;
  name: string;
  gender: string;
  ethnicity: string;
  birthDate: string | null;
  idNumber: string | null;
  mobile: string | null;
  education: string | null;
  occupation: string | null;
  workUnit: string | null;
  address: string | null;
  stage: string;
  admittedOn: string;
  fullOn: string | null;
  relationStart: string | null;
}

export const useMemberForm = () => Form.useForm<MemberFormValues>()[0];

const ETHNICITY_OPTIONS = ETHNICITIES.map((e) => ({ value: e.key, label: e.label }));
const half = { xs: 24, md: 12 };

/** The member fields of the members contract, grouped as on a 党员信息采集表. */
export function MemberForm({ form, editing, masked }: { form: FormInstance<MemberFormValues>; editing: boolean; masked?: { idNumber: string | null; mobile: string | null; address: string | null } }) {
  const { tree } = useOrgTree();
  const orgId = Form.useWatch('orgId', form);
  const stage = Form.useWatch('stage', form);
  const groups = useMemo(
    () => (tree && orgId ? (tree.children.get(orgId) ?? []).filter((c) => c.kind === 'partyGroup').map((g) => ({ value: g.id, label: tree.short(g.id) })) : []),
    [tree, orgId],
  );
  const keep = (v: string | null | undefined) => (editing && v ? `已登记 ${v}，不修改请留空` : undefined);

  return (
    <Form
      form={form}
      layout="vertical"
      data-testid="member-form"
      className="member-form"
      scrollToFirstError
      onValuesChange={(changed: Partial<MemberFormValues>) => {
        if (changed.stage === 'probationary') form.setFieldValue('fullOn', null);
        if ('orgId' in changed) form.setFieldValue('groupId', null);
      }}
    >
      <Divider titlePlacement="start" className="form-divider">基本信息</Divider>
      <Row gutter={20}>
        <Col {...half}>
          <Form.Item name="name" label="姓名" rules={[{ required: true, whitespace: true, message: '请输入姓名' }]}>
            <Input maxLength={40} data-testid="member-field-name" />
          </Form.Item>
        </Col>
        <Col {...half}>
          <Form.Item name="gender" label="性别" rules={[{ required: true, message: '请选择性别' }]}>
            <Radio.Group options={GENDER_OPTIONS} optionType="button" />
          </Form.Item>
        </Col>
        <Col {...half}>
          <Form.Item name="ethnicity" label="民族" rules={[{ required: true, message: '请选择民族' }]}>
            <Select options={ETHNICITY_OPTIONS} showSearch={{ optionFilterProp: 'label' }} />
          </Form.Item>
        </Col>
        <Col {...half}>
          <Form.Item name="birthDate" label="出生日期" extra="填写公民身份号码后可不填，按号码推算。">
            <DateField />
          </Form.Item>
        </Col>
        <Col {...half}>
          <Form.Item name="idNumber" label="公民身份号码" extra={editing ? undefined : '15 位号码将自动转换为 18 位。'}>
            <Input maxLength={30} placeholder={keep(masked?.idNumber)} autoComplete="off" data-testid="member-field-idNumber" />
          </Form.Item>
        </Col>
        <Col {...half}>
          <Form.Item name="mobile" label="手机号码">
            <Input maxLength={20} placeholder={keep(masked?.mobile)} autoComplete="off" inputMode="tel" />
          </Form.Item>
        </Col>
        <Col {...half}>
          <Form.Item name="education" label="学历">
            <Select options={EDUCATION_OPTIONS} allowClear placeholder="选择学历" />
          </Form.Item>
        </Col>
        <Col {...half}>
          <Form.Item name="occupation" label="职业">
            <Select options={OCCUPATION_OPTIONS} allowClear placeholder="选择职业" />
          </Form.Item>
        </Col>
        <Col {...half}>
          <Form.Item name="workUnit" label="工作单位">
            <Input maxLength={100} />
          </Form.Item>
        </Col>
        <Col {...half}>
          <Form.Item name="address" label="家庭住址">
            <Input maxLength={200} placeholder={keep(masked?.address)} autoComplete="off" />
          </Form.Item>
        </Col>
      </Row>
      <Divider titlePlacement="start" className="form-divider">组织关系与党籍</Divider>
      <Row gutter={20}>
        <Col {...half}>
          <Form.Item name="orgId" label="所在党组织" rules={[{ required: true, message: '请选择所在党组织' }]}>
            <OrgTreeSelect allowClear={false} data-testid="member-field-org" />
          </Form.Item>
        </Col>
        <Col {...half}>
          <Form.Item name="groupId" label="所在党小组">
            <Select options={groups} allowClear placeholder={groups.length ? '选择党小组' : '该组织下未设党小组'} disabled={!groups.length} />
          </Form.Item>
        </Col>
        <Col {...half}>
          <Form.Item name="stage" label="人员类别" rules={[{ required: true, message: '请选择人员类别' }]}>
            <Radio.Group options={LIST_STAGE_OPTIONS} optionType="button" />
          </Form.Item>
        </Col>
        <Col {...half}>
          <Form.Item name="admittedOn" label="入党日期" rules={[{ required: true, message: '请选择入党日期' }]} extra="支部大会通过其为预备党员之日。">
            <DateField />
          </Form.Item>
        </Col>
        <Col {...half}>
          <Form.Item
            name="fullOn"
            label="转正日期"
            extra={stage === 'probationary' ? '预备党员不填转正日期。' : '不填则按入党日期加一年预备期推算；党龄自转正之日起计算。'}
          >
            <DateField disabled={stage === 'probationary'} />
          </Form.Item>
        </Col>
        {!editing ? (
          <Col {...half}>
            <Form.Item name="relationStart" label="转入本组织日期" extra="不填则按入党日期推定。">
              <DateField />
            </Form.Item>
          </Col>
        ) : null}
      </Row>
    </Form>
  );
}
