import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hasPermission, inScope, minimalPaths, scopeFor, type SessionActor } from './scope.js';

const actor = (grants: SessionActor['grants']): SessionActor => ({ userId: 1, tenantId: 1, username: 'u', displayName: 'u', personId: 9, grants });

describe('scope helper', () => {
  it('minimalPaths drops nested and duplicate prefixes', () => {
    expect(minimalPaths(['/1/7/42/', '/1/7/', '/1/8/', '/1/7/'])).toEqual(['/1/7/', '/1/8/']);
    expect(minimalPaths([])).toEqual([]);
  });

  it('does not confuse /1/7/ with /1/70/ (prefixes end with a slash)', () => {
    const s = scopeFor(actor([{ orgId: 7, path: '/1/7/', role: 'partyWorker', canViewPersonalData: false }]), 'members.read');
    expect(inScope(s, '/1/7/42/')).toBe(true);
    expect(inScope(s, '/1/70/')).toBe(false);
    expect(inScope(s, '/1/')).toBe(false);
  });

  it('only grants whose role has the permission contribute', () => {
    const a = actor([
      { orgId: 7, path: '/1/7/', role: 'partyWorker', canViewPersonalData: false },
      { orgId: 8, path: '/1/8/', role: 'member', canViewPersonalData: false },
      { orgId: 9, path: '/1/9/', role: 'orgAdmin', canViewPersonalData: false },
    ]);
    expect(scopeFor(a, 'members.read').paths).toEqual(['/1/7/', '/1/9/']);
    expect(scopeFor(a, 'orgs.write').paths).toEqual(['/1/9/']);
    expect(scopeFor(a, 'system.admin').paths).toEqual([]);
    expect(hasPermission(a, 'audit.read')).toBe(true);
    expect(hasPermission(actor([{ orgId: 8, path: '/1/8/', role: 'member', canViewPersonalData: false }]), 'members.read')).toBe(false);
  });

  it('an empty scope matches nothing', () => {
    const s = scopeFor(actor([]), 'members.read');
    expect(s.paths).toEqual([]);
    expect(inScope(s, '/1/')).toBe(false);
  });

  it('refuses a corrupt path in a grant rather than widening the scope', () => {
    expect(() => scopeFor(actor([{ orgId: 1, path: '/', role: 'sysAdmin', canViewPersonalData: true }]), 'members.read')).toThrow();
    expect(() => scopeFor(actor([{ orgId: 1, path: '', role: 'sysAdmin', canViewPersonalData: true }]), 'members.read')).toThrow();
  });

  it('property: a path is in scope iff it lies under one of the granted paths', () => {
    const seg = fc.integer({ min: 1, max: 30 });
    const path = fc.array(seg, { minLength: 1, maxLength: 5 }).map((a) => `/${a.join('/')}/`);
    fc.assert(
      fc.property(fc.array(path, { maxLength: 4 }), path, (granted, target) => {
        const s = scopeFor(actor(granted.map((p, i) => ({ orgId: i, path: p, role: 'partyWorker' as const, canViewPersonalData: false }))), 'members.read');
        expect(inScope(s, target)).toBe(granted.some((g) => target.startsWith(g)));
        // minimal: no kept path lies under another kept path
        for (const a of s.paths) for (const b of s.paths) if (a !== b) expect(a.startsWith(b)).toBe(false);
      }),
    );
  });
});
