import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getFigure } from '../../../platform/figures.js';
import '../../members/figures.js';
import '../../orgs/figures.js';
import '../../orgLife/figures.js';
import '../../dues/figures.js';
import '../../service/figures.js';
import { parseInline, validateTemplate, walkSections, eachField, eachFigRef, type InlineNode } from '../template.js';
import { SHIPPED_TEMPLATES, SHIPPED_TEMPLATE_FILES } from './index.js';
import type { ReportTemplate } from '../contract.js';

/** Every inline text of a template (title, salutation, headings, paragraphs, closing). */
function texts(t: ReportTemplate): string[] {
  const out = [t.title, t.salutation ?? '', ...(t.closing ?? [])];
  walkSections(t.sections, ({ section }) => {
    out.push(section.heading);
    for (const b of section.blocks) if (b.type === 'paragraph') out.push(b.text);
  });
  return out;
}
const literal = (nodes: InlineNode[]): string =>
  nodes.map((n) => (n.t === 'text' ? n.text : n.t === 'if' ? literal(n.children) : '')).join('');

describe('shipped report templates', () => {
  it('are the five seed kinds, one JSON file each, named by key', () => {
    expect(SHIPPED_TEMPLATES).toHaveLength(5);
    expect(SHIPPED_TEMPLATES.map((t) => t.key)).toEqual([...SHIPPED_TEMPLATE_FILES]);
    const files = readdirSync(new URL('.', import.meta.url)).filter((f) => f.endsWith('.json')).sort();
    expect(files).toEqual(SHIPPED_TEMPLATE_FILES.map((k) => `${k}.json`).sort());
    expect(new Set(SHIPPED_TEMPLATES.map((t) => t.name)).size).toBe(5);
  });

  it.each(SHIPPED_TEMPLATES.map((t) => [t.key, t] as const))('%s validates against the figure registry', (_k, t) => {
    expect(validateTemplate(t, getFigure)).toEqual([]);
  });

  it.each(SHIPPED_TEMPLATES.map((t) => [t.key, t] as const))('%s has no X, XX or stray braces in its literal text', (_k, t) => {
    for (const s of texts(t)) {
      const r = parseInline(s);
      expect(r.errors, s).toEqual([]);
      const lit = literal(r.nodes);
      expect(lit, s).not.toMatch(/[Xx]{1,2}(?![a-z])/);
      expect(lit, s).not.toMatch(/[{}]/);
    }
  });

  it.each(SHIPPED_TEMPLATES.map((t) => [t.key, t] as const))('%s: every typed field has a label and a reason; the sections a duty report needs are there', (_k, t) => {
    const blocks = new Set<string>();
    walkSections(t.sections, ({ section }) => {
      for (const b of section.blocks) {
        if (b.type === 'block') blocks.add(b.name);
        if (b.type === 'paragraph') eachField(parseInline(b.text).nodes, (f) => {
          expect(f.label, f.name).toBeTruthy();
          expect(f.reason, f.name).toMatch(/由作者填写$/);
        });
      }
    });
    const narratives: string[] = [];
    walkSections(t.sections, ({ section }) => section.blocks.forEach((b) => b.type === 'narrative' && narratives.push(b.label)));
    // next year's plan is a narrative the engine finds by its label (it becomes next year's lastYearPlan checklist)
    expect(narratives.some((l) => /计划|打算|思路|目标/.test(l))).toBe(true);
    expect(blocks).toContain('problemCandidates');
    expect(blocks).toContain('lastYearPlan');
    const headings: string[] = [];
    walkSections(t.sections, ({ section }) => headings.push(section.heading));
    expect(headings.some((h) => h.includes('问题'))).toBe(true);
    expect(headings.some((h) => /打算|思路|计划/.test(h))).toBe(true);
  });

  it('the branch duty report reviews last year\'s comments (seed 003) and the general-branch one too (seed 000)', () => {
    for (const key of ['communityBranchSecretaryDuty', 'communityGeneralBranchSecretaryDuty']) {
      const t = SHIPPED_TEMPLATES.find((x) => x.key === key)!;
      const names: string[] = [];
      walkSections(t.sections, ({ section }) => section.blocks.forEach((b) => b.type === 'block' && names.push(b.name)));
      expect(names).toContain('lastYearReview');
    }
  });

  it('docs/REPORTS.md maps exactly the typed fields the templates use, and names every figure they use', () => {
    const doc = readFileSync(new URL('../../../../docs/REPORTS.md', import.meta.url), 'utf8');
    const table = doc.split('## Fields to figures')[1] ?? '';
    const documented = new Set([...table.matchAll(/`(\w+)`/g)].map((m) => m[1]));
    const fields = new Set<string>();
    const figs = new Set<string>();
    for (const t of SHIPPED_TEMPLATES) {
      walkSections(t.sections, ({ section }) => {
        for (const b of section.blocks) {
          if (b.type === 'paragraph') {
            const nodes = parseInline(b.text).nodes;
            eachField(nodes, (f) => fields.add(f.name));
            eachFigRef(nodes, (r) => figs.add(r.id));
          } else if (b.type === 'table') b.columns.forEach((c) => figs.add(c.fig.id));
          else if (b.type === 'chart') figs.add(b.fig.id);
        }
      });
    }
    expect([...fields].filter((f) => !documented.has(f))).toEqual([]);
    expect([...documented].filter((f) => !fields.has(f))).toEqual([]);
    expect([...figs].filter((id) => !doc.includes(`\`${id}`))).toEqual([]);
  });
});
