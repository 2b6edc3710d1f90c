import { meetingKindLabel } from '../../domain/orgLifeRules.js';
import { buildOfficialDocument, type Block } from '../../platform/docx.js';
import { escapeHtml, sanitizeHtml } from '../../platform/sanitizer.js';
import type { MeetingDetail } from './contract.js';

/**
 * The printable meeting record (issue 4 §8): a GB/T 9704 docx through the one docx builder, and a
 * print-friendly HTML page. Every value is escaped; the minutes were sanitized when stored and are
 * sanitized again here, so an old row cannot inject markup.
 */
/** "第一党支部" + "支部党员大会" reads twice: drop the kind's leading 支部 after a branch's name. */
const titleOf = (m: MeetingDetail) => `${m.orgName}${m.orgName.endsWith('支部') ? meetingKindLabel(m.kind).replace(/^支部/, '') : meetingKindLabel(m.kind)}记录`;

/** Minutes as plain paragraphs for the docx (block tags become line breaks). */
export function minutesText(html: string | null): string[] {
  if (!html) return [];
  return sanitizeHtml(html)
    .replace(/<\/(p|li|h3|h4|tr|blockquote)>|<br>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
    .split('\n').map((s) => s.trim()).filter(Boolean);
}

function facts(m: MeetingDetail): [string, string][] {
  const present = m.attendance.filter((a) => a.status === 'present');
  const names = (st: string) => m.attendance.filter((a) => a.status === st).map((a) => (a.leaveReason ? `${a.name}（${a.leaveReason}）` : a.name)).join('、') || '无';
  const out: [string, string][] = [
    ['会议类型', [meetingKindLabel(m.kind), ...m.alsoCountsAs.map(meetingKindLabel)].join('、')],
    ['时间', `${m.heldOn}${m.startTime ? ` ${m.startTime}` : ''}${m.endTime ? `—${m.endTime}` : ''}`],
    ['地点', m.place ?? ''],
    ['主持人', m.hostName ?? ''],
    ['记录人', m.recorderName ?? ''],
    ['应到人数', String(m.attendance.length)],
    ['实到人数', String(present.length)],
    ['请假人员', names('onLeave')],
    ['缺席人员', names('absent')],
  ];
  if (m.guests.length) out.push(['列席人员', m.guests.map((g) => (g.unitOrRole ? `${g.name}（${g.unitOrRole}）` : g.name)).join('、')]);
  if (m.lecturer || m.lectureTitle) out.push(['党课', `${m.lecturer ?? ''}${m.lectureTitle ? `《${m.lectureTitle}》` : ''}`]);
  if (m.theme) out.push(['主题党日主题', m.theme]);
  if (m.forYear) out.push(['所属年度', `${m.forYear}年度`]);
  return out;
}

function notes(m: MeetingDetail): string[] {
  const out: string[] = [];
  if (m.lateEntry) out.push(`本记录为补录（录入时间 ${m.enteredAt.slice(0, 10)}）。`);
  if (!m.countsAsHeld || !m.validForDecisions) out.push(`${m.invalidReason ?? ''}。`);
  return out;
}

export async function meetingRecordDocx(m: MeetingDetail): Promise<Buffer> {
  const blocks: Block[] = [{ kind: 'table', rows: facts(m).map(([k, v]) => [k, v]) }];
  if (m.agenda.length) {
    blocks.push({ kind: 'heading1', text: '会议议程' });
    m.agenda.forEach((a, i) => blocks.push({ kind: 'paragraph', text: `${i + 1}. ${a}` }));
  }
  const minutes = minutesText(m.minutesHtml);
  if (minutes.length) {
    blocks.push({ kind: 'heading1', text: '会议内容' });
    for (const p of minutes) blocks.push({ kind: 'paragraph', text: p });
  }
  if (m.decisions) {
    blocks.push({ kind: 'heading1', text: '决定事项' });
    for (const p of m.decisions.split('\n').filter((s) => s.trim())) blocks.push({ kind: 'paragraph', text: p.trim() });
  }
  if (m.votes.length) {
    blocks.push({ kind: 'heading1', text: '表决情况' });
    for (const v of m.votes) blocks.push({ kind: 'paragraph', text: `${v.subject}：${v.result.reason}` });
  }
  for (const n of notes(m)) blocks.push({ kind: 'paragraph', text: n });
  return buildOfficialDocument({ title: titleOf(m), subtitle: `（${m.topic}）`, blocks, signature: { org: m.orgName, date: m.heldOn } });
}

export function meetingRecordHtml(m: MeetingDetail): string {
  const e = escapeHtml;
  const rowsHtml = facts(m).map(([k, v]) => `<tr><th>${e(k)}</th><td>${e(v)}</td></tr>`).join('');
  const agenda = m.agenda.length ? `<h2>会议议程</h2><ol>${m.agenda.map((a) => `<li>${e(a)}</li>`).join('')}</ol>` : '';
  const minutes = m.minutesHtml ? `<h2>会议内容</h2><div class="minutes">${sanitizeHtml(m.minutesHtml)}</div>` : '';
  const decisions = m.decisions ? `<h2>决定事项</h2>${m.decisions.split('\n').filter((s) => s.trim()).map((p) => `<p>${e(p)}</p>`).join('')}` : '';
  const votes = m.votes.length ? `<h2>表决情况</h2>${m.votes.map((v) => `<p>${e(v.subject)}：${e(v.result.reason)}</p>`).join('')}` : '';
  const warn = notes(m).map((n) => `<p class="note">${e(n)}</p>`).join('');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(titleOf(m))}</title>
<style>
body{font-family:"FangSong","仿宋","Noto Serif CJK SC",serif;font-size:16pt;line-height:1.8;max-width:170mm;margin:0 auto;padding:12mm 8mm;color:#000}
h1{font-family:"方正小标宋简体","Noto Serif CJK SC",serif;font-size:22pt;text-align:center;margin:0 0 4mm}
.sub{text-align:center;margin:0 0 6mm}
h2{font-family:"黑体","Noto Sans CJK SC",sans-serif;font-size:16pt;margin:6mm 0 2mm}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #000;padding:2mm 3mm;text-align:left;vertical-align:top}th{width:28%;font-weight:normal}
.note{color:#a00}.sign{text-align:right;margin-top:10mm}img{max-width:100%}
@media print{body{padding:0}@page{size:A4;margin:37mm 26mm 35mm 28mm}}
</style></head><body>
<h1>${e(titleOf(m))}</h1><p class="sub">（${e(m.topic)}）</p>
<table>${rowsHtml}</table>${agenda}${minutes}${decisions}${votes}${warn}
<p class="sign">${e(m.orgName)}<br>${e(m.heldOn.replace(/^(\d{4})-(\d{2})-(\d{2})$/, (_s, y, mo, d) => `${Number(y)}年${Number(mo)}月${Number(d)}日`))}</p>
</body></html>`;
}
