import { sql } from 'drizzle-orm';
import { one, type Db } from '../../db/connection.js';
import { indicatorsOf, type IndicatorTree } from '../../domain/assessmentRules.js';
import { buildOfficialDocument, type Block } from '../../platform/docx.js';
import { conflict } from '../../platform/errors.js';
import type { Scope } from '../../platform/scope.js';
import { writeXlsx } from '../../platform/xlsx.js';
import type { OrgSheet, ScoreCell } from './contract.js';
import { sessionSheet } from './sessions.js';

/**
 * Exports of a session (issue 16 §8): the score sheet as xlsx (the scored orgs side by side, one row
 * per indicator, then total and grades; a second sheet with the source and note of every score) and,
 * once the committee has confirmed the grades, the grading announcement (等次通报) as a GB/T 9704 docx.
 */
type Sheet = Awaited<ReturnType<typeof sessionSheet>>;

export const SOURCE_LABEL: Record<ScoreCell['source'], string> = {
  figure: '按数据项计算', manual: '人工评分', override: '人工调整', rating: '现场测评', missing: '未得分',
};

const committeeName = async (db: Db, id: number) => (await one<{ name: string }>(db, sql`select name from orgs where id = ${id}`))?.name ?? '';
const dateOf = (iso: string | null) => (iso ?? '').slice(0, 10);

export async function sheetXlsx(db: Db, scope: Scope, id: number, today: string): Promise<{ filename: string; buffer: Buffer; sheet: Sheet }> {
  const s = await sessionSheet(db, scope, id, today);
  const list = indicatorsOf(s.tree as IndicatorTree);
  const cellOf = (o: OrgSheet, key: string) => o.cells.find((c) => c.indicator === key);
  const rows: unknown[][] = list.map((i) => [i.categoryLabel, i.label, i.maxScore, ...s.orgs.map((o) => cellOf(o, i.key)?.score ?? null)]);
  rows.push(['', '总分', list.reduce((sum, i) => sum + Math.round(i.maxScore * 100), 0) / 100, ...s.orgs.map((o) => o.total)]);
  rows.push(['', '建议等次', '', ...s.orgs.map((o) => o.proposed ?? '')]);
  rows.push(['', '确定等次', '', ...s.orgs.map((o) => o.grade ?? (s.status === 'final' ? '' : '未确定'))]);
  const notes: unknown[][] = [];
  for (const o of s.orgs) {
    for (const c of o.cells) {
      const fig = c.figure ? `${c.figure.value ?? '无数据'}${c.figure.minusId ? ` − ${c.figure.minus ?? '无数据'}` : ''}` : '';
      const ratings = c.ratings ? Object.entries(c.ratings).map(([g, n]) => `${g}${n}票`).join('、') : '';
      notes.push([o.org.name, c.category, c.label, c.maxScore, c.score, SOURCE_LABEL[c.source], fig, ratings, c.note ?? '']);
    }
    if (o.gradeReason) notes.push([o.org.name, '', '等次调整理由', '', null, '', '', '', o.gradeReason]);
  }
  const buffer = await writeXlsx([
    { name: '评分表', columns: [{ header: '类别' }, { header: '指标' }, { header: '满分' }, ...s.orgs.map((o) => ({ header: o.org.name }))], rows },
    {
      name: '得分说明',
      columns: [{ header: '党组织' }, { header: '类别' }, { header: '指标' }, { header: '满分' }, { header: '得分' }, { header: '来源' }, { header: '数据项取值' }, { header: '测评票数' }, { header: '说明' }],
      rows: notes,
    },
  ]);
  return { filename: `${s.title}评分表.xlsx`, buffer, sheet: s };
}

export async function announcementDocx(db: Db, scope: Scope, id: number, today: string): Promise<{ filename: string; buffer: Buffer; sheet: Sheet }> {
  const s = await sessionSheet(db, scope, id, today);
  if (s.status !== 'final') throw conflict('考核尚未完成，等次未确定，不能生成等次通报');
  const committee = await committeeName(db, s.orgId);
  const date = dateOf(s.finishedAt) || today;
  const ordered = [...s.orgs].sort((a, b) => (b.total ?? 0) - (a.total ?? 0));
  const blocks: Block[] = [
    { kind: 'paragraph', text: `根据${s.year}年度基层党建工作述职评议考核安排，${committee}组织开展了${s.title}，按照考核指标体系对${s.orgs.length}个党组织逐项评分，结合现场测评情况，经研究确定了考核等次。现将结果通报如下。` },
    { kind: 'heading1', text: '考核等次' },
  ];
  for (const g of s.grades) {
    const names = ordered.filter((o) => o.grade === g).map((o) => o.org.name);
    if (names.length) blocks.push({ kind: 'paragraph', text: `“${g}”等次（${names.length}个）：${names.join('、')}。` });
  }
  blocks.push({ kind: 'heading1', text: '考核得分' });
  blocks.push({ kind: 'table', title: `${s.title}得分及等次`, widths: [1, 5, 2, 2], rows: [['序号', '党组织', '得分', '等次'], ...ordered.map((o, n) => [String(n + 1), o.org.name, o.total === null ? '' : o.total.toFixed(2), o.grade ?? ''])] });
  blocks.push({ kind: 'heading1', text: '有关要求' });
  blocks.push({ kind: 'paragraph', text: '各党组织要对照考核中发现的问题，逐项制定整改措施，明确整改时限，切实抓好整改落实。考核结果作为评先评优和干部使用的重要参考。' });
  const buffer = await buildOfficialDocument({
    title: `关于${s.title}结果的通报`,
    recipient: '各参加考核的党组织：',
    blocks,
    signature: { org: committee, date },
    date,
  });
  return { filename: `关于${s.title}结果的通报.docx`, buffer, sheet: s };
}
