import { afterEach, describe, expect, it, vi } from 'vitest';
import { setServerToday, todayIso } from './format';

describe('todayIso follows the server business date, not the browser clock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each([
    // browser instant (UTC), server business date, expected default
    ['2026-12-04T02:00:00Z', '2026-11-20', '2026-11-20'],
    ['2026-12-04T02:00:00Z', '2026-12-04', '2026-12-04'],
    // 20:00 UTC is already the next day in Asia/Shanghai
    ['2026-12-04T20:00:00Z', '2026-12-05', '2026-12-05'],
    // a phone whose clock is a year behind
    ['2025-12-04T02:00:00Z', '2026-12-04', '2026-12-04'],
    // across a month and a leap day
    ['2028-03-01T02:00:00Z', '2028-02-29', '2028-02-29'],
  ])('browser at %s, server today %s → %s', (browserNow, serverToday, expected) => {
    vi.useFakeTimers({ now: new Date(browserNow) });
    setServerToday(serverToday);
    expect(todayIso()).toBe(expected);
  });

  it('keeps the offset as the browser day advances (a page left open past midnight)', () => {
    vi.useFakeTimers({ now: new Date('2026-12-04T02:00:00Z') });
    setServerToday('2026-11-20');
    vi.setSystemTime(new Date('2026-12-05T02:00:00Z'));
    expect(todayIso()).toBe('2026-11-21');
  });

  it('ignores a malformed server date', () => {
    vi.useFakeTimers({ now: new Date('2026-12-04T02:00:00Z') });
    setServerToday('2026-12-04');
    setServerToday('not-a-date');
    expect(todayIso()).toBe('2026-12-04');
  });
});
