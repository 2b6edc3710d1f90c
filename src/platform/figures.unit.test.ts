import { describe, expect, it } from 'vitest';
import { checkFigureModules, registerFigure } from './figures.js';

const stub = (id: string) => ({
  id, label: '测试', definition: '测试用数据项', unit: 'count' as const, kind: 'flow' as const, dimensions: {},
  compute: async () => ({ value: 0, status: 'ok' as const, unit: 'count' as const }),
  evidence: async () => ({ total: 0, items: [] }),
});

describe('figure ids and the module registry', () => {
  it('refuses ids that do not have the <module>.<subject>.<measure> shape', () => {
    for (const id of ['Members.count', 'members', 'members.', 'members.a.b.c', 'members.Count', 'x-y.count']) {
      expect(() => registerFigure(stub(id)), id).toThrow(/does not follow/);
    }
  });

  it('accepts any module prefix at registration, and the registry check names the ones no module declares', () => {
    registerFigure(stub('unitTestModule.thing.count'));
    expect(() => checkFigureModules(['orgs', 'members'])).toThrow(/unitTestModule\.thing\.count/);
    expect(() => checkFigureModules(['unitTestModule'])).not.toThrow();
  });
});
