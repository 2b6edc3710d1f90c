import type { FigureDef } from '../../platform/figures.js';
import { BLOCK_NAMES, FORMATS, PERIODS, reportTemplate, type FigRef, type Format, type Period, type ReportTemplate, type TemplateSection } from './contract.js';

/**
 * The inline template grammar (reports-shared design), as pure functions:
 *   {{fig ID key=value …}}  {{field NAME label="…" reason="…" unit="…" type=…}}
 *   {{if fig ID …}} … {{/if}}  {{org}} {{year}} {{parent}}
 * parseInline never throws: malformed tags become errors (and stay as literal text).
 * printInline(parseInline(s).nodes) re-parses to the same nodes.
 */
export type FieldType = 'integer' | 'number' | 'text';
export const FIELD_TYPES: readonly FieldType[] = ['integer', 'number', 'text'];
export const CONTEXT_NAMES = ['org', 'year', 'parent'] as const;
export type ContextName = (typeof CONTEXT_NAMES)[number];

export interface FieldSpec { name: string; label: string; reason?: string; unit?: string; type?: FieldType }
export type InlineNode =
  | { t: 'text'; text: string }
  | { t: 'fig'; ref: FigRef }
  | { t: 'field'; field: FieldSpec }
  | { t: 'if'; ref: FigRef; children: InlineNode[] }
  | { t: 'ctx'; name: ContextName };

export interface ParseResult { nodes: InlineNode[]; errors: string[] }

interface Attr { key: string; value: string | null }

const FIG_ID_RE = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$/;
const NAME_RE = /^[A-Za-z][A-Za-z0-9_]*$/;
const ATTR_KEY_RE = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Tokenize the inside of a tag starting at `i` (just after `{{`); returns the tokens and the index after `}}`. */
function lexTag(s: string, i: number): { tokens: Attr[]; end: number } | { error: string } {
  const tokens: Attr[] = [];
  let j = i;
  for (;;) {
    while (j < s.length && /\s/.test(s[j]!)) j++;
    if (j >= s.length) return { error: '占位符缺少结束的 }}' };
    if (s[j] === '}' && s[j + 1] === '}') return { tokens, end: j + 2 };
    if (s[j] === '}') return { error: '占位符中有多余的 }' };
    if (s[j] === '"') return { error: '占位符中引号位置不正确' };
    let k = j;
    while (k < s.length && !/[\s}="]/.test(s[k]!)) k++;
    const key = s.slice(j, k);
    if (s[k] !== '=') {
      if (s[k] === '"') return { error: '占位符中引号位置不正确' };
      tokens.push({ key, value: null });
      j = k;
      continue;
    }
    if (!key) return { error: '占位符中等号前缺少名称' };
    k++;
    if (s[k] === '"') {
      let v = '';
      k++;
      for (;;) {
        if (k >= s.length) return { error: '占位符中的引号没有闭合' };
        const c = s[k]!;
        if (c === '\\' && k + 1 < s.length && (s[k + 1] === '"' || s[k + 1] === '\\')) { v += s[k + 1]; k += 2; continue; }
        if (c === '"') { k++; break; }
        v += c;
        k++;
      }
      if (k < s.length && !/\s|}/.test(s[k]!)) return { error: '占位符中引号后应为空格或 }}' };
      tokens.push({ key, value: v });
    } else {
      const start = k;
      while (k < s.length && !/[\s}"]/.test(s[k]!)) k++;
      if (s[k] === '"') return { error: '占位符中引号位置不正确' };
      tokens.push({ key, value: s.slice(start, k) });
    }
    j = k;
  }
}

function buildFigRef(words: Attr[], errors: string[], what: string): FigRef | null {
  const [head, ...rest] = words;
  if (!head || head.value !== null || !FIG_ID_RE.test(head.key)) {
    errors.push(`${what}缺少指标编号`);
    return null;
  }
  const ref: FigRef = { id: head.key };
  const params: Record<string, string> = {};
  let ok = true;
  for (const a of rest) {
    if (a.value === null) { errors.push(`${what} ${head.key} 中的「${a.key}」应写成 名称=值`); ok = false; continue; }
    if (!ATTR_KEY_RE.test(a.key)) { errors.push(`${what} ${head.key} 中的参数名「${a.key}」不正确`); ok = false; continue; }
    const seen = a.key === 'period' ? ref.period : a.key === 'by' ? ref.by : a.key === 'key' ? ref.key : a.key === 'format' ? ref.format : params[a.key];
    if (seen !== undefined) { errors.push(`${what} ${head.key} 中的「${a.key}」重复`); ok = false; continue; }
    if (a.key === 'period') {
      if (!(PERIODS as readonly string[]).includes(a.value)) { errors.push(`${what} ${head.key} 的统计期「${a.value}」不正确`); ok = false; continue; }
      ref.period = a.value as Period;
    } else if (a.key === 'format') {
      if (!(FORMATS as readonly string[]).includes(a.value)) { errors.push(`${what} ${head.key} 的格式「${a.value}」不正确`); ok = false; continue; }
      ref.format = a.value as Format;
    } else if (a.key === 'by') ref.by = a.value;
    else if (a.key === 'key') ref.key = a.value;
    else params[a.key] = a.value;
  }
  if (Object.keys(params).length) ref.params = params;
  return ok ? ref : null;
}

function buildField(words: Attr[], errors: string[]): FieldSpec | null {
  const [head, ...rest] = words;
  if (!head || head.value !== null || !NAME_RE.test(head.key)) { errors.push('填报项缺少名称（字母开头的英文名）'); return null; }
  const f: Partial<FieldSpec> & { name: string } = { name: head.key };
  let ok = true;
  for (const a of rest) {
    if (a.value === null || !['label', 'reason', 'unit', 'type'].includes(a.key)) {
      errors.push(`填报项 ${head.key} 中的「${a.key}」不是可用的设置（可用：label、reason、unit、type）`); ok = false; continue;
    }
    if (f[a.key as keyof FieldSpec] !== undefined) { errors.push(`填报项 ${head.key} 中的「${a.key}」重复`); ok = false; continue; }
    if (a.key === 'type' && !(FIELD_TYPES as readonly string[]).includes(a.value)) { errors.push(`填报项 ${head.key} 的类型「${a.value}」不正确`); ok = false; continue; }
    (f as Record<string, string>)[a.key] = a.value;
  }
  if (!f.label) { errors.push(`填报项 ${head.key} 缺少 label`); ok = false; }
  return ok ? (f as FieldSpec) : null;
}

export function parseInline(input: string): ParseResult {
  const errors: string[] = [];
  const root: InlineNode[] = [];
  const stack: { nodes: InlineNode[] }[] = [{ nodes: root }];
  const cur = () => stack[stack.length - 1]!.nodes;
  const pushText = (text: string) => {
    if (!text) return;
    const list = cur();
    const last = list[list.length - 1];
    if (last?.t === 'text') last.text += text;
    else list.push({ t: 'text', text });
  };
  const s = typeof input === 'string' ? input : '';
  let i = 0;
  while (i < s.length) {
    const open = s.indexOf('{{', i);
    if (open < 0) { pushText(s.slice(i)); break; }
    pushText(s.slice(i, open));
    const lexed = lexTag(s, open + 2);
    if ('error' in lexed) {
      errors.push(`第 ${open + 1} 个字符处：${lexed.error}`);
      pushText('{{');
      i = open + 2;
      continue;
    }
    const raw = s.slice(open, lexed.end);
    const words = lexed.tokens;
    const name = words[0]?.value === null ? words[0].key : '';
    const bad = (msg: string) => { errors.push(`「${raw}」：${msg}`); pushText(raw); };
    i = lexed.end;
    if (name === 'fig') {
      const errs: string[] = [];
      const ref = buildFigRef(words.slice(1), errs, '指标');
      if (ref) cur().push({ t: 'fig', ref }); else bad(errs.join('；'));
    } else if (name === 'field') {
      const errs: string[] = [];
      const field = buildField(words.slice(1), errs);
      if (field) cur().push({ t: 'field', field }); else bad(errs.join('；'));
    } else if (name === 'if') {
      if (words[1]?.key !== 'fig' || words[1].value !== null) { bad('条件应写成 {{if fig 指标编号 …}}'); continue; }
      const errs: string[] = [];
      const ref = buildFigRef(words.slice(2), errs, '条件指标');
      if (!ref) { bad(errs.join('；')); continue; }
      const node: InlineNode = { t: 'if', ref, children: [] };
      cur().push(node);
      stack.push({ nodes: node.children });
    } else if (name === '/if') {
      if (words.length !== 1) { bad('{{/if}} 不带参数'); continue; }
      if (stack.length === 1) { bad('多余的 {{/if}}，没有对应的 {{if}}'); continue; }
      stack.pop();
    } else if ((CONTEXT_NAMES as readonly string[]).includes(name) && words.length === 1) {
      cur().push({ t: 'ctx', name: name as ContextName });
    } else {
      bad(name ? `未知的占位符「${name}」` : '占位符为空');
    }
  }
  if (stack.length > 1) errors.push(`有 ${stack.length - 1} 个 {{if}} 缺少对应的 {{/if}}`);
  return { nodes: root, errors };
}

const needsQuote = (v: string) => v === '' || /[\s}"\\=]/.test(v);
const q = (v: string) => (needsQuote(v) ? `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : v);

export function printFigRef(ref: FigRef): string {
  const parts = [ref.id];
  if (ref.period !== undefined) parts.push(`period=${ref.period}`);
  if (ref.by !== undefined) parts.push(`by=${q(ref.by)}`);
  if (ref.key !== undefined) parts.push(`key=${q(ref.key)}`);
  if (ref.format !== undefined) parts.push(`format=${ref.format}`);
  for (const [k, v] of Object.entries(ref.params ?? {})) parts.push(`${k}=${q(v)}`);
  return parts.join(' ');
}

export function printInline(nodes: InlineNode[]): string {
  return nodes.map((n) => {
    switch (n.t) {
      case 'text': return n.text;
      case 'ctx': return `{{${n.name}}}`;
      case 'fig': return `{{fig ${printFigRef(n.ref)}}}`;
      case 'if': return `{{if fig ${printFigRef(n.ref)}}}${printInline(n.children)}{{/if}}`;
      case 'field': {
        const f = n.field;
        const parts = [f.name, `label=${q(f.label)}`];
        if (f.reason !== undefined) parts.push(`reason=${q(f.reason)}`);
        if (f.unit !== undefined) parts.push(`unit=${q(f.unit)}`);
        if (f.type !== undefined) parts.push(`type=${f.type}`);
        return `{{field ${parts.join(' ')}}}`;
      }
    }
  }).join('');
}

// ─── Walking a template ─────────────────────────────────────────────────────

export interface SectionVisit { section: TemplateSection; path: number[]; location: string }

/** Depth-first visit of sections with their 1-based path ("第1.2节「…」"). */
export function walkSections(sections: TemplateSection[], fn: (v: SectionVisit) => void, prefix: number[] = []) {
  sections.forEach((section, i) => {
    const path = [...prefix, i + 1];
    fn({ section, path, location: `第${path.join('.')}节「${section.heading}」` });
    if (section.sections) walkSections(section.sections, fn, path);
  });
}

/** Visit every fig reference (including nested ifs) of a node list. */
export function eachFigRef(nodes: InlineNode[], fn: (ref: FigRef, inIf: boolean) => void, inIf = false) {
  for (const n of nodes) {
    if (n.t === 'fig') fn(n.ref, inIf);
    else if (n.t === 'if') { fn(n.ref, true); eachFigRef(n.children, fn, true); }
  }
}
export function eachField(nodes: InlineNode[], fn: (f: FieldSpec) => void) {
  for (const n of nodes) {
    if (n.t === 'field') fn(n.field);
    else if (n.t === 'if') eachField(n.children, fn);
  }
}

// ─── Validation against the figure registry ─────────────────────────────────

export interface TemplateError { location: string; message: string }
export type FigureLookup = (id: string) => FigureDef | undefined;

/** Check one figure reference; returns Chinese messages (empty = fine). */
export function checkFigRef(ref: FigRef, lookup: FigureLookup, opts: { needsBy?: boolean } = {}): string[] {
  const def = lookup(ref.id);
  if (!def) return [`未知指标「${ref.id}」`];
  const out: string[] = [];
  if (ref.by !== undefined && !(ref.by in def.dimensions)) {
    const dims = Object.keys(def.dimensions);
    out.push(`指标「${ref.id}」没有分组维度「${ref.by}」${dims.length ? `（可用：${dims.join('、')}）` : '（该指标不分组）'}`);
  }
  if (ref.key !== undefined && ref.by === undefined) out.push(`指标「${ref.id}」指定了 key 但没有指定分组维度 by`);
  if (opts.needsBy && ref.by === undefined) out.push(`指标「${ref.id}」须指定分组维度 by`);
  if (ref.key !== undefined && !/^[A-Za-z0-9_.:-]{1,80}$/.test(ref.key)) out.push(`指标「${ref.id}」的分组键「${ref.key}」不正确`);
  const params = ref.params ?? {};
  if (Object.keys(params).length) {
    if (!def.params) out.push(`指标「${ref.id}」没有参数，不认识：${Object.keys(params).join('、')}`);
    else {
      const r = def.params.safeParse(params);
      if (!r.success) out.push(`指标「${ref.id}」的参数不正确：${r.error.issues.map((x) => `${x.path.join('.') || '参数'} ${x.message}`).join('；')}`);
    }
  } else if (def.params) {
    const r = def.params.safeParse({});
    if (!r.success) out.push(`指标「${ref.id}」缺少必需的参数：${r.error.issues.map((x) => x.path.join('.')).join('、')}`);
  }
  return out;
}

/** Validate a template (unknown input): schema, grammar, figure references, blocks, field names. */
export function validateTemplate(input: unknown, lookup: FigureLookup): TemplateError[] {
  const parsed = reportTemplate.safeParse(input);
  if (!parsed.success) {
    return parsed.error.issues.map((x) => ({ location: x.path.length ? x.path.join('.') : '模板', message: x.message }));
  }
  const tpl = parsed.data;
  const errors: TemplateError[] = [];
  const fieldLabels = new Map<string, string>();
  const inline = (text: string, location: string) => {
    const r = parseInline(text);
    for (const m of r.errors) errors.push({ location, message: m });
    eachFigRef(r.nodes, (ref) => { for (const m of checkFigRef(ref, lookup)) errors.push({ location, message: m }); });
    eachField(r.nodes, (f) => {
      const prev = fieldLabels.get(f.name);
      if (prev !== undefined && prev !== f.label) errors.push({ location, message: `填报项「${f.name}」重复，且名称不同（「${prev}」与「${f.label}」）` });
      else fieldLabels.set(f.name, f.label);
    });
  };
  inline(tpl.title, '标题');
  if (tpl.salutation) inline(tpl.salutation, '称谓');
  (tpl.closing ?? []).forEach((c, i) => inline(c, `结束语第${i + 1}段`));
  walkSections(tpl.sections, ({ section, location }) => {
    inline(section.heading, `${location}标题`);
    section.blocks.forEach((b, bi) => {
      const loc = `${location}第${bi + 1}块`;
      if (b.type === 'paragraph') inline(b.text, loc);
      else if (b.type === 'table') {
        b.columns.forEach((c, ci) => { for (const m of checkFigRef(c.fig, lookup)) errors.push({ location: `${loc}第${ci + 1}列`, message: m }); });
      } else if (b.type === 'chart') {
        for (const m of checkFigRef(b.fig, lookup, { needsBy: true })) errors.push({ location: loc, message: m });
        if (b.fig.key !== undefined) errors.push({ location: loc, message: '图表按维度展示全部分组，不能指定 key' });
        if (b.fig.format === 'yoy') errors.push({ location: loc, message: '图表不能使用同比格式' });
      } else if (b.type === 'block' && !(BLOCK_NAMES as readonly string[]).includes(b.name)) {
        errors.push({ location: loc, message: `未知的内容块「${b.name}」（可用：${BLOCK_NAMES.join('、')}）` });
      }
    });
  });
  return errors;
}

export const formatTemplateErrors = (errs: TemplateError[]) => errs.map((e) => `${e.location}：${e.message}`);

export {
  defaultFormat, fixed, formatValue, formatYoy, periodLabel, periodRange, toChineseNumeral, unitLabel,
} from './formats.js';

export type { ReportTemplate, FigRef, Format, Period };
