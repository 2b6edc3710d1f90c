import { useState } from 'react';
import { Alert, App, Button, Descriptions, Tag } from 'antd';
import { EyeOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { api, errorMessage } from '../../api/client';
import type { MemberDetail } from '../../api/types';
import { dash } from '../../lib/format';
import { idProblemLabel } from '../../lib/labels';

interface Revealed {
  idNumber: string | null;
  mobile: string | null;
  address: string | null;
}

/**
 * ID number, mobile and address, masked as the server sends them. With canUnmask the user may ask
 * for the full values after a confirmation; the server records every such view in the audit log.
 */
export function PersonalData({ m }: { m: MemberDetail }) {
  const { modal, message } = App.useApp();
  const [shown, setShown] = useState<Revealed | null>(null);
  const [busy, setBusy] = useState(false);

  const reveal = () =>
    modal.confirm({
      title: '查看完整信息',
      content: `将显示 ${m.name} 的完整公民身份号码、手机号码和家庭住址。查看将被记录到审计日志。`,
      okText: '确认查看',
      cancelText: '取消',
      onOk: async () => {
        setBusy(true);
        try {
          setShown(await api.post<Revealed>(`/api/members/${m.id}/personal`));
        } catch (e) {
          message.error(errorMessage(e));
        } finally {
          setBusy(false);
        }
      },
    });

  const v = shown ?? { idNumber: m.idNumber, mobile: m.mobile, address: m.address };
  return (
    <div data-testid="member-personal">
      {m.idNumberProblem ? <Alert type="warning" showIcon title={idProblemLabel(m.idNumberProblem)} style={{ marginBottom: 12 }} /> : null}
      {m.sharedMobileWith?.length ? (
        <Alert type="info" showIcon style={{ marginBottom: 12 }} data-testid="member-shared-mobile"
          title={<>手机号码与 {m.sharedMobileWith.map((o, i) => <span key={o.id}>{i ? '、' : ''}<Link to={`/members/${o.id}`}>{o.name}</Link></span>)} 共用（如为家庭共用可不处理，联系时请注意区分）</>} />
      ) : null}
      <Descriptions
        column={{ xs: 1, sm: 1, md: 2, lg: 3 }}
        size="small"
        items={[
          { key: 'id', label: '公民身份号码', children: <span className="mono" data-testid="member-id-number">{dash(v.idNumber)}</span> },
          { key: 'mobile', label: '手机号码', children: <span className="mono" data-testid="member-mobile">{dash(v.mobile)}</span> },
          { key: 'addr', label: '家庭住址', children: dash(v.address) },
        ]}
      />
      <div className="personal-actions">
        {shown ? (
          <Tag color="blue">已显示完整信息，本次查看已记入审计日志</Tag>
        ) : m.masked && m.canUnmask ? (
          <Button icon={<EyeOutlined />} onClick={reveal} loading={busy} data-testid="member-unmask">
            查看完整信息
          </Button>
        ) : m.masked && (m.idNumber || m.mobile || m.address) ? (
          <span className="muted">身份证号、手机号已脱敏显示。如需查看完整信息，请联系具有查看个人信息权限的管理员。</span>
        ) : null}
      </div>
    </div>
  );
}
