import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian's chromium (never a downloaded browser build): CHROMIUM_PATH, else on PATH. */
export function findChromium() {
  if (process.env.CHROMIUM_PATH && existsSync(process.env.CHROMIUM_PATH)) return process.env.CHROMIUM_PATH;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      const p = execSync(`command -v ${name}`, { stdio: ['ignore', 'pipe', 'ignore'], shell: '/bin/sh' }).toString().trim();
      if (p) return p;
    } catch {
      /* not found */
    }
  }
  return null;
}
