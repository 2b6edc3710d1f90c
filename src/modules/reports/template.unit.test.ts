import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { FigureDef } from '../../platform/figures.js';
import type { FigRef, ReportTemplate } from './contract.js';
import {
  formatValue, formatYoy, parseInline, periodLabel, periodRange, printInline, toChineseNumeral, validateTemplate, type InlineNode,
} from './template.js';

const fakeFig = (id: string, dims: Record<string, string>, params?: z.ZodType<Record<string, unknown>>): FigureDef => ({
  id, label: id, definition: '', unit: 'count', kind: 'flow', dimensions: dims, params,
  compute: async () => ({ value: null, status: 'missing', unit: 'count' }),
  evidence: async () => ({ total: 0, items: [] }),
});
const FIGS = new Map<string, FigureDef>([
  ['orgLife.meeting.held', fakeFig('orgLife.meeting.held', { kind: '会议类型' })],
  ['members.count', fakeFig('members.count', { gender: '性别' })],
  ['dues.paid', fakeFig('dues.paid', {}, z.object({ category: z.enum(['a', 'b']).optional() }).strict())],
]);
const lookup = (id: string) => FIGS.get(id);

/** A tiny test template (the shipped ones live in templates/, owned by rep-content). */
const tiny = (over: Partial<ReportTemplate> = {}): ReportTemplate => ({
  key: 'tinyTest', version: 1, name: '测试模板', kind: 'workSummary', orgKinds: ['branch'],
  title: '{{org}}{{year}}年工作总结', salutation: '各位领导、同志们：',
  sections: [{
    heading: '一、基本情况', level: 1,
    blocks: [
      { type: 'paragraph', text: '全年召开支部党员大会{{fig orgLife.meeting.held by=kind key=memberAssembly}}次{{if fig orgLife.meeting.held}}，{{fig orgLife.meeting.held format=yoy}}{{/if}}。' },
      { type: 'paragraph', text: '走访群众{{field visits label="走访群众户数" reason="暂无模块统计" type=integer}}户。' },
      { type: 'narrative', label: '特色做法' },
      { type: 'table', title: '下级组织', scope: 'children', columns: [{ label: '党员数', fig: { id: 'members.count' } }] },
      { type: 'chart', title: '会议构成', chart: 'pie', fig: { id: 'orgLife.meeting.held', by: 'kind' } },
      { type: 'block', name: 'lastYearReview' },
    ],
  }],
  closing: ['以上报告，请审议。'], signature: true, ...over,
});

describe('parseInline', () => {
  const cases: { in: string; nodes?: InlineNode[]; errors?: number }[] = [
    { in: '纯文本', nodes: [{ t: 'text', text: '纯文本' }] },
    { in: '', nodes: [] },
    { in: '{{org}}', nodes: [{ t: 'ctx', name: 'org' }] },
    { in: '共{{fig members.count}}名', nodes: [{ t: 'text', text: '共' }, { t: 'fig', ref: { id: 'members.count' } }, { t: 'text', text: '名' }] },
    {
      in: '{{fig orgLife.meeting.held period=lastYear by=kind key=memberAssembly format=cn}}',
      nodes: [{ t: 'fig', ref: { id: 'orgLife.meeting.held', period: 'lastYear', by: 'kind', key: 'memberAssembly', format: 'cn' } }],
    },
    { in: '{{fig dues.paid category="a b}"}}', nodes: [{ t: 'fig', ref: { id: 'dues.paid', params: { category: 'a b}' } } }] },
    { in: '{{fig dues.paid category="say \\"hi\\""}}', nodes: [{ t: 'fig', ref: { id: 'dues.paid', params: { category: 'say "hi"' } } }] },
    {
      in: '{{field visits label="走访 户数" unit=户 type=integer}}',
      nodes: [{ t: 'field', field: { name: 'visits', label: '走访 户数', unit: '户', type: 'integer' } }],
    },
    {
      in: 'a{{if fig members.count}}b{{if fig dues.paid}}c{{/if}}{{/if}}d',
      nodes: [{ t: 'text', text: 'a' }, { t: 'if', ref: { id: 'members.count' }, children: [{ t: 'text', text: 'b' }, { t: 'if', ref: { id: 'dues.paid' }, children: [{ t: 'text', text: 'c' }] }] }, { t: 'text', text: 'd' }],
    },
    { in: '{{if fig members.count}}x', errors: 1 },
    { in: 'x{{/if}}', errors: 1 },
    { in: '{{fig}}', errors: 1 },
    { in: '{{fig members.count period=decade}}', errors: 1 },
    { in: '{{fig members.count format=roman}}', errors: 1 },
    { in: '{{fig members.count by=a by=b}}', errors: 1 },
    { in: '{{field visits}}', errors: 1 },
    { in: '{{field visits label=x colour=red}}', errors: 1 },
    { in: '{{unknown}}', errors: 1 },
    { in: '{{fig members.count', errors: 1 },
    { in: '{{fig a label="open}}', errors: 1 },
    { in: '{{}}', errors: 1 },
    { in: '}} 与 { 单独出现是普通文字', nodes: [{ t: 'text', text: '}} 与 { 单独出现是普通文字' }] },
  ];
  for (const c of cases) {
    it(JSON.stringify(c.in), () => {
      const r = parseInline(c.in);
      if (c.nodes) { expect(r.errors).toEqual([]); expect(r.nodes).toEqual(c.nodes); }
      if (c.errors !== undefined) expect(r.errors).toHaveLength(c.errors);
    });
  }
  it('keeps a malformed tag as literal text', () => {
    const r = parseInline('前{{bogus}}后');
    expect(r.nodes).toEqual([{ t: 'text', text: '前{{bogus}}后' }]);
  });
});

describe('properties', () => {
  const word = fc.stringMatching(/^[a-z][A-Za-z0-9]{0,6}$/);
  const anyValue = fc.string({ maxLength: 8 });
  const figRef: fc.Arbitrary<FigRef> = fc.record({
    id: fc.tuple(word, word).map(([a, b]) => `${a}.${b}`),
    period: fc.constantFrom('thisYear', 'lastYear', 'q1', 'q4', 'cumulative'),
    by: anyValue, key: anyValue, format: fc.constantFrom('integer', 'cn', 'yoy', 'wanYuan'),
    params: fc.dictionary(word.filter((w) => !['period', 'by', 'key', 'format'].includes(w)), anyValue, { maxKeys: 3 }),
  }, { requiredKeys: ['id'] });
  const text = fc.string({ minLength: 1, maxLength: 10 }).filter((s) => !s.includes('{'));
  const leaf: fc.Arbitrary<InlineNode> = fc.oneof(
    text.map((t) => ({ t: 'text' as const, text: t })),
    fc.constantFrom('org', 'year', 'parent').map((name) => ({ t: 'ctx' as const, name: name as 'org' })),
    figRef.map((ref) => ({ t: 'fig' as const, ref })),
    fc.record({ name: word, label: fc.string({ minLength: 1, maxLength: 8 }), reason: anyValue, unit: anyValue, type: fc.constantFrom('integer', 'number', 'text') as fc.Arbitrary<'integer'> }, { requiredKeys: ['name', 'label'] })
      .map((field) => ({ t: 'field' as const, field })),
  );
  const { nodes } = fc.letrec<{ nodes: InlineNode[]; node: InlineNode }>((tie) => ({
    node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.record({ t: fc.constant('if' as const), ref: figRef, children: tie('nodes') })),
    nodes: fc.array(tie('node'), { maxLength: 4 }),
  }));
  const normalize = (list: InlineNode[]): InlineNode[] => {
    const out: InlineNode[] = [];
    for (const n of list) {
      const m = n.t === 'if' ? { ...n, ref: clean(n.ref), children: normalize(n.children) } : n.t === 'fig' ? { ...n, ref: clean(n.ref) } : n;
      const last = out[out.length - 1];
      if (m.t === 'text' && last?.t === 'text') out[out.length - 1] = { t: 'text', text: last.text + m.text };
      else out.push(m);
    }
    return out;
  };
  const clean = (r: FigRef): FigRef => {
    const { params, ...rest } = r;
    return params && Object.keys(params).length ? { ...rest, params } : rest;
  };

  it('parse ∘ print is the identity on ASTs', () => {
    fc.assert(fc.property(nodes, (ast) => {
      const r = parseInline(printInline(ast));
      expect(r.errors).toEqual([]);
      expect(r.nodes).toEqual(normalize(ast));
    }), { numRuns: 400 });
  });
  it('never throws on arbitrary strings; print ∘ parse is stable', () => {
    const alphabet = fc.constantFrom('{', '}', '{{', '}}', '"', '\\', ' ', '=', 'fig ', 'if ', '/if', 'field ', 'org', 'a', '中', 'x.y');
    fc.assert(fc.property(fc.oneof(fc.string(), fc.array(alphabet, { maxLength: 30 }).map((a) => a.join(''))), (s) => {
      const r = parseInline(s);
      expect(Array.isArray(r.errors)).toBe(true);
      const again = parseInline(printInline(r.nodes));
      expect(printInline(again.nodes)).toBe(printInline(r.nodes));
    }), { numRuns: 1000 });
  });
  it('validateTemplate never throws on arbitrary input', () => {
    fc.assert(fc.property(fc.anything(), (x) => { expect(Array.isArray(validateTemplate(x, lookup))).toBe(true); }));
  });
});

describe('validateTemplate', () => {
  it('accepts the tiny template', () => {
    expect(validateTemplate(tiny(), lookup)).toEqual([]);
  });
  const bad: [string, Partial<ReportTemplate>, RegExp][] = [
    ['unknown figure', { title: '{{fig nope.x}}' }, /未知指标「nope\.x」/],
    ['unknown dimension', { title: '{{fig members.count by=colour}}' }, /没有分组维度「colour」/],
    ['key without by', { title: '{{fig members.count key=male}}' }, /没有指定分组维度/],
    ['param on a figure without params', { title: '{{fig members.count foo=1}}' }, /没有参数/],
    ['bad param', { title: '{{fig dues.paid category=z}}' }, /参数不正确/],
    ['unbalanced if', { title: '{{if fig members.count}}x' }, /缺少对应的/],
    ['unknown block', { sections: [{ heading: 'h', level: 1, blocks: [{ type: 'block', name: 'foo' }] }] }, /第1节「h」第1块.*未知的内容块/],
    ['chart without a known by', { sections: [{ heading: 'h', level: 1, blocks: [{ type: 'chart', title: 't', chart: 'bar', fig: { id: 'members.count', by: 'x' } }] }] }, /没有分组维度/],
    ['duplicate field with another label', {
      sections: [{ heading: 'h', level: 1, blocks: [], sections: [{ heading: 's', level: 2, blocks: [
        { type: 'paragraph', text: '{{field a label=甲}}' }, { type: 'paragraph', text: '{{field a label=乙}}' }] }] }],
    }, /第1\.1节「s」第2块.*填报项「a」重复/],
    ['schema: bad kind', { kind: 'memo' as 'dutyReport' }, /报告类型/],
  ];
  for (const [name, over, re] of bad) {
    it(name, () => {
      const errs = validateTemplate(tiny(over), lookup);
      expect(errs.map((e) => `${e.location}：${e.message}`).join('\n')).toMatch(re);
    });
  }
  it('the same field twice with the same label is fine', () => {
    expect(validateTemplate(tiny({ closing: ['{{field visits label="走访群众户数"}}'] }), lookup)).toEqual([]);
  });
});

describe('formats', () => {
  const cases: [number, Parameters<typeof formatValue>[1], string | null, number?][] = [
    [12, 'integer', '12'], [12.4, 'integer', '12'], [12.5, 'decimal1', '12.5'], [12.25, 'decimal1', '12.3'], [3, 'decimal1', '3.0'],
    [98.5, 'percent', '98.5%'], [100, 'percent', '100.0%'], [66.66, 'percent', '66.7%'],
    [123450, 'yuan', '1234.50元'], [5, 'yuan', '0.05元'], [-250, 'yuan', '-2.50元'], [0, 'yuan', '0.00元'],
    [12_345_000, 'wanYuan', '12.35万元'], [0, 'wanYuan', '0.00万元'],
    [12, 'cn', '十二'], [0, 'cn', '零'], [10, 'cn', '十'], [20, 'cn', '二十'], [105, 'cn', '一百零五'], [110, 'cn', '一百一十'],
    [1001, 'cn', '一千零一'], [10001, 'cn', '一万零一'], [100000, 'cn', '十万'], [110000, 'cn', '十一万'], [60000, 'cn', '六万'],
    [1_0000_0001, 'cn', '一亿零一'], [1234_5678, 'cn', '一千二百三十四万五千六百七十八'], [1000_1000, 'cn', '一千万一千'], [-3, 'cn', '负三'],
    [112.5, 'yoy', '同比增长12.5%', 100], [97, 'yoy', '同比下降3.0%', 100], [100, 'yoy', '与上年持平', 100], [5, 'yoy', '上年为0', 0],
    [0, 'yoy', '与上年持平', 0], [5, 'yoy', null],
  ];
  for (const [v, f, out, last] of cases) {
    it(`${v} ${f}${last !== undefined ? ` (last ${last})` : ''} → ${out}`, () => {
      expect(formatValue(v, f, { lastYear: last })).toBe(out);
    });
  }
  it('cn numerals never contain 零零 and never end in 零', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1e12 }), (n) => {
      const s = toChineseNumeral(n);
      expect(s).not.toMatch(/零零|零$|^一十/);
    }));
  });
  it('yoy is null without last year', () => { expect(formatYoy(1, null)).toBeNull(); });
});

describe('periods', () => {
  it('ranges and labels', () => {
    expect(periodRange('thisYear', 2025)).toEqual({ from: '2025-01-01', to: '2025-12-31' });
    expect(periodRange('lastYear', 2025)).toEqual({ from: '2024-01-01', to: '2024-12-31' });
    expect(periodRange('q3', 2025)).toEqual({ from: '2025-07-01', to: '2025-09-30' });
    expect(periodRange('cumulative', 2025)).toEqual({ from: '1900-01-01', to: '2025-12-31' });
    expect(periodLabel('q2', 2025)).toBe('2025年第二季度');
  });
});
