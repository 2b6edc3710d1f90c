import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as domain from './index.js';

const dir = fileURLToPath(new URL('.', import.meta.url));
const sources = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));

describe('domain boundary', () => {
  it.each(sources)('%s imports only sibling domain files', (file) => {
    const text = readFileSync(dir + file, 'utf8');
    const specifiers = [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]);
    for (const s of specifiers) expect(s).toMatch(/^\.\/[A-Za-z]+\.js$/);
    expect(text).not.toMatch(/\bnew Date\(\)|Date\.now\(\)|process\./);
  });

  it.each(sources)('%s stays under about 400 lines', (file) => {
    expect(readFileSync(dir + file, 'utf8').split('\n').length).toBeLessThanOrEqual(420);
  });

  it('index re-exports every module', () => {
    for (const name of [
      'addMonths', 'periodEnd', 'todayInShanghai', 'parseDateInput', 'validateIdNumber', 'maskIdNumber',
      'validateMobile', 'maskMobile', 'ETHNICITIES', 'normalizeEducation', 'defaultApprovesMembers', 'COMMITTEE_POSTS',
      'AGE_BANDS', 'ageBandCutoffs', 'partyAgeBandCutoffs', 'deriveFullOn', 'medalEligibility', 'probationOverdue',
      'evaluateVote', 'ruleSetInForce', 'STRUCTURE_2018', 'MEMBERSHIP_1982', 'evaluateOrgStructure',
    ]) {
      expect(domain, name).toHaveProperty(name);
    }
  });
});
