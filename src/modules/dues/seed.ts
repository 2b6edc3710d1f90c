import type { DemoSeedContext } from '../../db/seed/demoHooks.js';

/** Demo history for dues (being written). */
export async function seedDuesDemo(s: DemoSeedContext): Promise<void> {
  void s;
}
