import { sql } from 'drizzle-orm';
import { one, type Db } from '../src/db/connection.js';
import type { RouteCase } from './routeCases.js';

/**
 * Authorization-matrix cases for the grid routes: grid1 (gridWorker of 幸福社区 SFX0101) against the
 * first grid of its community and of 新城社区 (SFX0201, outside its scope).
 */
export const GRID_FIXTURES = { grid: 0, otherGrid: 0 };

export async function loadGridFixtures(db: Db): Promise<void> {
  const first = async (code: string) => (await one<{ id: number }>(db, sql`select g.id from grids g join orgs o on o.id = g.org_id where o.code = ${code} order by g.code limit 1`))!.id;
  GRID_FIXTURES.grid = await first('SFX0101');
  GRID_FIXTURES.otherGrid = await first('SFX0201');
}

const G = GRID_FIXTURES;
const grid = (orgId: number) => ({ orgId, code: 'MX01', name: '矩阵测试网格', kind: 'comprehensive' });
const household = (gridId: number) => ({ gridId, building: '9栋', room: '101', headName: '矩阵户主', mobile: '13700001111' });

export const GRID_ROUTE_CASES: Record<string, RouteCase> = {
  'GET /api/grids': {
    user: 'grid1', wrongRole: 'member1',
    inScope: () => ({ method: 'GET', url: '/api/grids' }),
    outOfScope: (f) => ({ method: 'GET', url: `/api/grids?org=${f.otherCommunity}` }),
  },
  'POST /api/grids': {
    user: 'grid1', wrongRole: 'member1',
    inScope: (f) => ({ method: 'POST', url: '/api/grids', payload: grid(f.community) }),
    outOfScope: (f) => ({ method: 'POST', url: '/api/grids', payload: grid(f.otherCommunity) }),
  },
  'GET /api/grids/:id/households': {
    user: 'grid1', wrongRole: 'member1',
    inScope: () => ({ method: 'GET', url: `/api/grids/${G.grid}/households` }),
    outOfScope: () => ({ method: 'GET', url: `/api/grids/${G.otherGrid}/households` }),
  },
  'POST /api/households': {
    user: 'grid1', wrongRole: 'member1',
    inScope: () => ({ method: 'POST', url: '/api/households', payload: household(G.grid) }),
    outOfScope: () => ({ method: 'POST', url: '/api/households', payload: household(G.otherGrid) }),
  },
};
