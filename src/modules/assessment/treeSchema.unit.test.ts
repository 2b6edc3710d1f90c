import { describe, expect, it } from 'vitest';
import { DEFAULT_TREE } from '../../domain/assessmentRules.js';
import { indicatorTree } from './treeSchema.js';

describe('indicator tree schema', () => {
  it('accepts the default tree and refuses duplicate keys, a cap over the max and markup', () => {
    expect(indicatorTree.safeParse(DEFAULT_TREE).success).toBe(true);
    const first = DEFAULT_TREE.categories[0].indicators[0];
    const dup = { categories: [{ key: 'a', label: 'A', indicators: [first, first] }] };
    expect(indicatorTree.safeParse(dup).success).toBe(false);
    const capped = { categories: [{ key: 'a', label: 'A', indicators: [{ ...first, maxScore: 1 }] }] };
    expect(indicatorTree.safeParse(capped).error?.issues[0].message).toContain('扣分上限超过满分');
    const markup = { categories: [{ key: 'a', label: '<b>A</b>', indicators: [first] }] };
    expect(indicatorTree.safeParse(markup).success).toBe(false);
  });
});
