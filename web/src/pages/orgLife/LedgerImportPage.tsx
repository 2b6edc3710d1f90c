import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, Progress, Table, Upload } from 'antd';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { api, errorMessage } from '../../api/client';
import type { ImportRun, ImportStatus } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { useTitle } from '../../lib/hooks';

const FINAL: ImportStatus[] = ['done', 'rejected', 'failed'];
const LABEL: Record<ImportStatus, string> = { parsing: '正在读取文件', validating: '正在逐行校验', writing: '正在写入', done: '导入完成', rejected: '校验未通过，未导入任何会议', failed: '导入失败' };

/**
 * 导入会议台账: one row per meeting (党组织、会议类型、召开日期、主题、出席人员 as a name list, 请假人员),
 * all or nothing with a row-by-row report, progress as rows done / total from the server.
 */
export function LedgerImportPage() {
  useTitle('导入会议台账');
  const [run, setRun] = useState<ImportRun | null>(null);
  const [error, setError] = useState<string | null>(null);
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const poll = (id: string) => {
    const tick = async () => {
      try {
        const r = await api.get<ImportRun>(`/api/imports/${id}`);
        setRun(r);
        if (!FINAL.includes(r.status)) timer.current = window.setTimeout(tick, 500);
      } catch (e) {
        setError(errorMessage(e));
      }
    };
    void tick();
  };
  const start = async (file: File) => {
    setError(null);
    setRun(null);
    const form = new FormData();
    form.append('file', file);
    try {
      const r = await api.upload<{ runId: string }>('/api/orgLife/meetings/import', form);
      poll(r.runId);
    } catch (e) {
      setError(errorMessage(e));
    }
    return false;
  };

  return (
    <div>
      <PageHeader title="导入会议台账" subtitle="每行一次会议；出席人员、请假人员填写姓名，用顿号分隔；全部正确才会导入，超过30天的标记为补录"
        extra={<Button icon={<DownloadOutlined />} href="/api/orgLife/meetings/import/template">下载模板</Button>} />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Upload.Dragger accept=".xlsx,.csv" showUploadList={false} beforeUpload={start} data-testid="ledger-upload">
          <p className="ant-upload-drag-icon"><InboxOutlined /></p>
          <p>点击或拖入 .xlsx / .csv 文件</p>
          <p className="ant-upload-hint">必填列：党组织（代码或全称）、会议类型、召开日期、主题、出席人员</p>
        </Upload.Dragger>
      </Card>
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} /> : null}
      {run ? (
        <Card size="small" title={LABEL[run.status]}>
          <Progress percent={run.total ? Math.round((run.done / run.total) * 100) : 0} format={() => `${run.done} / ${run.total}`} status={run.status === 'rejected' || run.status === 'failed' ? 'exception' : undefined} />
          {run.status === 'done' ? <Alert type="success" showIcon title={`已导入 ${run.imported} 次会议`} style={{ marginTop: 12 }} /> : null}
          {run.errors?.length ? (
            <>
              <Table size="small" rowKey={(e, i) => `${e.row}-${i}`} dataSource={run.errors} pagination={{ pageSize: 20 }} style={{ marginTop: 12 }} scroll={{ x: true }}
                columns={[{ title: '行号', dataIndex: 'row', width: 70 }, { title: '列', dataIndex: 'column', width: 120 }, { title: '错误原因', dataIndex: 'reason' }]} />
              <Button href={`/api/imports/${run.id}/errors.xlsx`} icon={<DownloadOutlined />}>下载错误报告</Button>
            </>
          ) : null}
        </Card>
      ) : null}
    </div>
  );
}

export default LedgerImportPage;
