import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The import direction of every folder (docs/ARCHITECTURE.md "Folders"): each layer imports only the
 * layers below it. `domain` → nothing; `db` → domain; `platform` → domain, db; `modules` → platform,
 * domain, db (and other modules); `demo` → all of those; `app.ts`, `boot.ts`, `cli` → all. A module's
 * demo seed hook (`modules/<name>/seed*.ts`) may import the demo's TYPES (the hook contract) and nothing
 * else of it. The web app imports only the modules' contracts and domain.
 */
const SRC = resolve(__dirname);
const ROOT = resolve(SRC, '..');

type Layer = 'domain' | 'db' | 'platform' | 'modules' | 'demo' | 'app' | 'web';
const ALLOWED: Record<Layer, Layer[]> = {
  domain: ['domain'],
  db: ['domain', 'db'],
  platform: ['domain', 'db', 'platform'],
  modules: ['domain', 'db', 'platform', 'modules'],
  demo: ['domain', 'db', 'platform', 'modules', 'demo'],
  app: ['domain', 'db', 'platform', 'modules', 'demo', 'app'],
  web: ['web'],
};

function layerOf(abs: string): Layer | null {
  const rel = relative(ROOT, abs).replace(/\\/g, '/');
  if (rel.startsWith('web/')) return 'web';
  if (!rel.startsWith('src/')) return null;
  const top = rel.slice(4).split('/')[0];
  if (top === 'domain' || top === 'db' || top === 'platform' || top === 'modules' || top === 'demo') return top;
  if (top === 'cli' || top === 'app.ts' || top === 'boot.ts') return 'app';
  return null;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|tsx)$/.test(name) && !/\.test\.ts$/.test(name)) out.push(p);
  }
  return out;
}

const IMPORT_RE = /^\s*(import|export)\s+(type\s+)?(?:[^'"]*?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]/gm;

function violations(files: string[], read: (file: string) => string = (f) => readFileSync(f, 'utf8')) {
  const out: string[] = [];
  for (const file of files) {
    const from = layerOf(file);
    if (!from) continue;
    const text = read(file);
    for (const m of text.matchAll(IMPORT_RE)) {
      const typeOnly = !!m[2];
      const target = resolve(dirname(file), m[3]);
      const to = layerOf(target);
      if (!to) continue;
      if (from === 'web') {
        const rel = relative(ROOT, target).replace(/\\/g, '/');
        const ok = to === 'web' || rel.startsWith('src/domain/') || /^src\/modules\/[^/]+\/contract(\.js)?$/.test(rel.replace(/\.tsx?$/, ''));
        if (!ok) out.push(`${relative(ROOT, file)} → ${rel}`);
        continue;
      }
      if (ALLOWED[from].includes(to)) continue;
      const seedHook = from === 'modules' && /\/modules\/[^/]+\/seed[A-Za-z]*\.ts$/.test(file) && to === 'demo' && typeOnly;
      if (seedHook) continue;
      out.push(`${relative(ROOT, file)} (${from}) → ${relative(ROOT, target)} (${to})${typeOnly ? ' [type]' : ''}`);
    }
  }
  return out;
}

describe('import direction of every folder', () => {
  it('no layer imports a layer above it', () => {
    const files = [...walk(SRC), ...walk(join(ROOT, 'web', 'src'))];
    expect(files.length).toBeGreaterThan(100);
    expect(violations(files)).toEqual([]);
  });

  it('the check itself catches what it is for', () => {
    const fakes: Record<string, string> = {
      [join(SRC, 'db', 'fake.ts')]: "import { write } from '../platform/write.js';",
      [join(SRC, 'domain', 'fake.ts')]: "import { sql } from 'drizzle-orm';\nimport { x } from '../db/connection.js';",
      [join(SRC, 'modules', 'x', 'seed.ts')]: "import type { DemoSeedContext } from '../../demo/demoHooks.js';",
      [join(SRC, 'modules', 'x', 'service.ts')]: "import { seedDemo } from '../../demo/demo.js';",
      [join(ROOT, 'web', 'src', 'fake.tsx')]: "import type { X } from '../../src/modules/dues/contract';\nimport { rows } from '../../src/db/connection';",
    };
    expect(violations(Object.keys(fakes), (f) => fakes[f])).toEqual([
      'src/db/fake.ts (db) → src/platform/write.js (platform)',
      'src/domain/fake.ts (domain) → src/db/connection.js (db)',
      'src/modules/x/service.ts (modules) → src/demo/demo.js (demo)',
      'web/src/fake.tsx → src/db/connection',
    ]);
  });
});
