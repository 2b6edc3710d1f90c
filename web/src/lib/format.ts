/** Display formats: dates as YYYY-MM-DD (the business format), timestamps in Asia/Shanghai. */
const dtf = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
});

export function formatTimestamp(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = Object.fromEntries(dtf.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

function browserToday(): string {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date()).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}`;
}

const DAY_MS = 86_400_000;
/** Days between the server's business date and the browser's date in Asia/Shanghai when the session was read. */
let serverOffsetDays = 0;

/**
 * Takes the server's business date (GET /api/auth/me `today`) so date defaults follow the server's clock, not the
 * browser's: a demo or a test with ZHIBU_TODAY, or a phone whose clock is wrong, still defaults to the business date.
 */
export function setServerToday(today: string | undefined): void {
  if (!today || !/^\d{4}-\d{2}-\d{2}$/.test(today)) return;
  serverOffsetDays = Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${browserToday()}T00:00:00Z`)) / DAY_MS);
}

/** Today as YYYY-MM-DD on the server's business clock (a default for date fields). */
export function todayIso(): string {
  const t = browserToday();
  if (!serverOffsetDays) return t;
  return new Date(Date.parse(`${t}T00:00:00Z`) + serverOffsetDays * DAY_MS).toISOString().slice(0, 10);
}

export const dash = (v: unknown): string => (v === null || v === undefined || v === '' ? '—' : String(v));
