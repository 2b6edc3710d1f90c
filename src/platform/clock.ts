import { todayInShanghai } from '../domain/dates.js';

/**
 * The one injectable clock (ARCHITECTURE.md "Time"). Business dates are 'YYYY-MM-DD' in
 * Asia/Shanghai; `ZHIBU_TODAY` pins today for tests, demos and benchmarks. No module reads the
 * system date itself.
 */
export interface Clock {
  today(): string;
  /** An ISO instant for timestamps (entry times, audit rows). */
  nowIso(): string;
  nowMs(): number;
}

export function systemClock(env: NodeJS.ProcessEnv = process.env): Clock {
  const pinned = env.ZHIBU_TODAY;
  if (pinned && !/^\d{4}-\d{2}-\d{2}$/.test(pinned)) {
    throw new Error(`ZHIBU_TODAY 必须是 YYYY-MM-DD 格式，收到“${pinned}”`);
  }
  return {
    today: () => pinned ?? todayInShanghai(new Date()),
    nowIso: () => new Date().toISOString(),
    nowMs: () => Date.now(),
  };
}

export function fixedClock(today: string): Clock {
  return {
    today: () => today,
    nowIso: () => new Date().toISOString(),
    nowMs: () => Date.now(),
  };
}
