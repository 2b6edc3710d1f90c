import type { DemoSeedContext } from '../../db/seed/demoHooks.js';

/** Demo history for orgLife (being written). */
export async function seedOrgLifeDemo(s: DemoSeedContext): Promise<void> {
  void s;
}
