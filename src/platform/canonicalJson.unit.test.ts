import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalJson, canonicalJsonReference } from './auditAnchor.js';

/** Issue 18: the native-stringify canonical JSON gives the audit hash the same bytes as the recursive definition. */
describe('canonical JSON', () => {
  it('is byte-identical to the recursive definition for random values', () => {
    fc.assert(fc.property(fc.anything({ withNullPrototype: true, withBoxedValues: true, withSparseArray: true, withDate: true, withMap: true, withSet: true,
      withTypedArray: true, withObjectString: true, maxDepth: 4 }), (v) => {
      expect(canonicalJson(v)).toBe(canonicalJsonReference(v));
    }), { numRuns: 3000 });
  });

  it('is byte-identical for audit-shaped records (snapshots with nulls, numbers, nested objects and arrays)', () => {
    const snapshot = fc.dictionary(fc.string({ maxLength: 12 }), fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined),
      fc.array(fc.oneof(fc.string(), fc.integer(), fc.constant(undefined))), fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.string(), fc.integer()))));
    fc.assert(fc.property(fc.record({ tenantId: fc.integer(), seq: fc.integer(), action: fc.string(), before: fc.option(snapshot), after: fc.option(snapshot), meta: fc.option(snapshot) }),
      (r) => {
        expect(canonicalJson(r)).toBe(canonicalJsonReference(r));
      }), { numRuns: 3000 });
  });

  it('keeps the text order of integer-like keys, sorted keys and dropped undefined values', () => {
    const v = { b: 1, 10: 'x', 2: 'y', a: undefined, c: [undefined, null, { z: 1, y: [2] }] };
    expect(canonicalJson(v)).toBe('{"10":"x","2":"y","b":1,"c":[null,null,{"y":[2],"z":1}]}');
    expect(canonicalJson({ z: { d: 1, c: 2 }, a: 'é\u2028' })).toBe('{"a":"é\u2028","z":{"c":2,"d":1}}');
    expect(canonicalJson(undefined)).toBe('null');
  });
});
