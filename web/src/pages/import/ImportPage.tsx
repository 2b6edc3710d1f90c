import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { Alert, Button, Card, Progress, Result, Table, Tag, Upload } from 'antd';
import { ArrowLeftOutlined, DownloadOutlined, FileExcelOutlined, InboxOutlined } from '@ant-design/icons';
import { IMPORT_HEADERS, REQUIRED_IMPORT_HEADERS } from '../../../../src/modules/members/contract';
import { api, errorMessage } from '../../api/client';
import type { ImportRun, ImportStatus } from '../../api/types';
import { OrgTreeSelect } from '../../components/OrgTreeSelect';
import { PageHeader } from '../../components/PageHeader';
import { useTitle } from '../../lib/hooks';

const POLL_MS = 500;
const FINAL: ImportStatus[] = ['done', 'rejected', 'failed'];
const STATUS_LABEL: Record<ImportStatus, string> = {
  parsing: '正在读取文件',
  validating: '正在逐行校验',
  writing: '正在写入数据库',
  done: '导入完成',
  rejected: '校验未通过，未导入',
  failed: '导入失败',
};
const REQUIRED = REQUIRED_IMPORT_HEADERS.map((k) => IMPORT_HEADERS[k]);
const OPTIONAL = Object.entries(IMPORT_HEADERS)
  .filter(([k]) => !(REQUIRED_IMPORT_HEADERS as readonly string[]).includes(k))
  .map(([, v]) => v);

type Phase = { kind: 'idle' } | { kind: 'uploading'; fileName: string } | { kind: 'running'; fileName: string; run: ImportRun | null } | { kind: 'error'; message: string };

/**
 * 导入党员: all or nothing. The server parses and checks every row, reports progress as rows done /
 * total (polled every 500 ms), and either stores every row or nothing, listing each bad row.
 */
export default function ImportPage() {
  useTitle('导入党员');
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [defaultOrg, setDefaultOrg] = useState<number | null>(null);
  const timer = useRef<number | undefined>(undefined);
  const resultRef = useRef<HTMLDivElement>(null);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  // Bring the progress (and then the result) into view: on a phone it is below the upload area.
  const started = phase.kind !== 'idle';
  const finishedRun = phase.kind === 'running' && phase.run && FINAL.includes(phase.run.status);
  useEffect(() => {
    if (started) resultRef.current?.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
  }, [started, finishedRun, phase.kind]);

  const poll = (runId: string | number, fileName: string) => {
    const tick = async () => {
      try {
        const run = await api.get<ImportRun>(`/api/imports/${runId}`);
        setPhase({ kind: 'running', fileName, run });
        if (!FINAL.includes(run.status)) timer.current = window.setTimeout(tick, POLL_MS);
      } catch (e) {
        setPhase({ kind: 'error', message: errorMessage(e) });
      }
    };
    void tick();
  };

  const start = async (file: File) => {
    window.clearTimeout(timer.current);
    if (!/\.(xlsx|csv)$/i.test(file.name)) {
      setPhase({ kind: 'error', message: '请上传 .xlsx 或 .csv 格式的文件' });
      return;
    }
    setPhase({ kind: 'uploading', fileName: file.name });
    const form = new FormData();
    // The server reads `org` only when it comes before the file part.
    if (defaultOrg) form.append('org', String(defaultOrg));
    form.append('file', file, file.name);
    try {
      const { runId } = await api.upload<{ runId: string | number }>('/api/members/import', form);
      setPhase({ kind: 'running', fileName: file.name, run: null });
      poll(runId, file.name);
    } catch (e) {
      setPhase({ kind: 'error', message: errorMessage(e) });
    }
  };

  const busy = phase.kind === 'uploading' || (phase.kind === 'running' && (!phase.run || !FINAL.includes(phase.run.status)));
  return (
    <div className="page page-narrow">
      <PageHeader
        title="导入党员"
        subtitle="从 Excel 花名册批量导入。整份文件全部校验通过才会导入；只要有一行有误，就一行也不导入，并逐行列出原因。"
        extra={
          <>
            <Link to="/members"><Button icon={<ArrowLeftOutlined />}>返回党员管理</Button></Link>
            <Button icon={<DownloadOutlined />} href="/api/members/import/template" download data-testid="import-template">
              下载导入模板
            </Button>
          </>
        }
      />
      <Card className="section-card">
        <div className="import-default-org">
          <div className="field-label">表中“所在党组织”为空的行归入（可不选）</div>
          <OrgTreeSelect value={defaultOrg} onChange={setDefaultOrg} placeholder="不指定：每行须填写所在党组织" data-testid="import-default-org" />
        </div>
        <Upload.Dragger
          accept=".xlsx,.csv"
          multiple={false}
          showUploadList={false}
          disabled={busy}
          beforeUpload={(file) => {
            void start(file);
            return false;
          }}
          data-testid="import-upload"
        >
          <p className="ant-upload-drag-icon"><InboxOutlined /></p>
          <p className="ant-upload-text">点击选择文件，或将文件拖到此处</p>
          <p className="ant-upload-hint">支持 .xlsx 和 .csv（UTF-8 或 GB18030 编码）；表头为中文，列的顺序不限，多余的列会被忽略。</p>
        </Upload.Dragger>
        <div className="import-columns">
          <div><span className="muted">必填列：</span>{REQUIRED.map((h) => <Tag key={h}>{h}</Tag>)}</div>
          <div><span className="muted">可选列：</span>{OPTIONAL.map((h) => <Tag key={h} variant="filled">{h}</Tag>)}</div>
          <div className="muted import-notes">
            “所在党组织”填组织编码或组织全称；“人员类别”填正式党员或预备党员；日期可写作 2020-07-01、2020.07.01、2020/7/1 或 2020年7月1日。
          </div>
        </div>
      </Card>
      <div ref={resultRef} className="import-result">
        <ImportState phase={phase} />
      </div>
    </div>
  );
}

function ImportState({ phase }: { phase: Phase }) {
  if (phase.kind === 'idle') return null;
  if (phase.kind === 'error') return <Alert type="error" showIcon title={phase.message} data-testid="import-failed" />;
  const run = phase.kind === 'running' ? phase.run : null;
  const status: ImportStatus = run?.status ?? 'parsing';
  const percent = run && run.total > 0 ? Math.floor((run.done / run.total) * 100) : 0;
  const finished = run && FINAL.includes(run.status);

  return (
    <Card className="section-card" title={<span><FileExcelOutlined /> {phase.fileName}</span>}>
      {!finished ? (
        <div data-testid="import-progress" data-status={phase.kind === 'uploading' ? 'uploading' : status} data-done={run?.done ?? 0} data-total={run?.total ?? 0}>
          <div className="import-progress-label">
            <span>{phase.kind === 'uploading' ? '正在上传文件' : STATUS_LABEL[status]}</span>
            <span className="mono">{run && run.total > 0 ? `已处理 ${run.done} / ${run.total} 行` : '正在统计行数'}</span>
          </div>
          <Progress percent={percent} status="active" showInfo={false} />
        </div>
      ) : run.status === 'done' ? (
        <Result
          status="success"
          title={`已导入 ${run.imported} 名党员`}
          subTitle={`共处理 ${run.total} 行，全部通过校验并已保存。`}
          data-testid="import-done"
          extra={<Link to="/members"><Button type="primary">查看党员列表</Button></Link>}
        >
          {run.warnings?.length ? (
            <Alert type="info" showIcon data-testid="import-warnings" title={`${run.warningCount ?? run.warnings.length} 条提示（不影响导入）`}
              description={<ul className="import-warnings">{run.warnings.map((w, i) => <li key={i}>第 {w.row} 行：{w.reason}</li>)}</ul>} />
          ) : null}
        </Result>
      ) : run.status === 'rejected' ? (
        <div data-testid="import-rejected">
          <Alert
            type="error"
            showIcon
            title={`发现 ${run.errorCount} 处错误，本次未导入任何数据`}
            description="请按下表修改文件后重新上传。错误报告与原表格式相同，另加“错误原因”列。"
            action={
              <Button size="small" icon={<DownloadOutlined />} href={`/api/imports/${run.id}/errors.xlsx`} download data-testid="import-error-report">
                下载错误报告
              </Button>
            }
            className="import-alert"
          />
          <Table
            data-testid="import-errors"
            size="small"
            rowKey="key"
            dataSource={run.errors.map((e, i) => ({ ...e, key: `${e.row}-${e.column ?? ''}-${i}` }))}
            pagination={run.errors.length > 20 ? { pageSize: 20, showSizeChanger: false, size: 'small' } : false}
            scroll={{ x: 'max-content' }}
            columns={[
              { title: '行号', dataIndex: 'row', width: 80 },
              { title: '列', dataIndex: 'column', width: 120, render: (c?: string) => c ?? '—' },
              { title: '错误原因', dataIndex: 'reason' },
            ]}
          />
          {run.errors.length < run.errorCount ? <p className="note">此处显示前 {run.errors.length} 处错误，完整列表请下载错误报告。</p> : null}
        </div>
      ) : (
        <Alert type="error" showIcon title={run.message ?? '导入失败，未导入任何数据。请稍后重试或联系管理员。'} data-testid="import-failed" />
      )}
    </Card>
  );
}
