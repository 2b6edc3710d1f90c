import { describe, expect, it } from 'vitest';
import { CALENDAR_2026, yearCalendarOf, type CalendarData } from './calendar.js';
import {
  SERVICE_2026, consultationDays, deedOverdue, deedTransitionError, hoursConfirmationError, overduePairingWindows, pairingWindows, type HoursCheck,
} from './serviceRules.js';

const CAL: CalendarData = { 2026: yearCalendarOf(CALENDAR_2026) };
const C = SERVICE_2026.constants;
const base: HoursCheck = {
  activityDate: '2026-11-14', startTime: '09:00', endTime: '11:30', minutes: 120, checkedIn: true, today: '2026-11-20',
  maxHours: C.HOURS_MAX_PER_ACTIVITY.value, stepMinutes: C.HOURS_STEP_MINUTES.value, confirmWithinDays: C.CONFIRM_WITHIN_DAYS.value,
};

describe('hours confirmation limits (service-2026, LOCAL)', () => {
  it.each([
    ['a checked-in person, 2 h of a 2.5 h activity', {}, null],
    ['exactly the activity length', { minutes: 150 }, null],
    ['longer than the activity', { minutes: 180 }, '服务时长不能超过活动时长（2.5小时）'],
    ['not checked in', { checkedIn: false }, '未签到的人员不能确认服务时长'],
    ['before the activity day', { today: '2026-11-13' }, '活动尚未开始，不能确认服务时长'],
    ['on the activity day', { today: '2026-11-14' }, null],
    ['last allowed day (activity + 30 days)', { today: '2026-12-14' }, null],
    ['one day after the confirmation period', { today: '2026-12-15' }, '已超过确认期限（活动后30天，截至2026-12-14）'],
    ['zero minutes', { minutes: 0 }, '服务时长应大于0'],
    ['not a multiple of 30 minutes', { minutes: 45 }, '服务时长应按30分钟计'],
    ['no times: only the cap applies', { startTime: null, endTime: null, minutes: 720 }, null],
    ['above the 12 h cap', { startTime: null, endTime: null, minutes: 750 }, '单次活动服务时长不超过12小时'],
  ] as const)('%s', (_, patch, expected) => {
    expect(hoursConfirmationError({ ...base, ...patch })).toBe(expected);
  });
});

describe('pairing windows (DOMAIN.md §2.1a month ends and working days)', () => {
  it('quarterly windows from 31 January follow the month-end rule', () => {
    const w = pairingWindows('2026-01-31', null, 'quarterly', '2026-08-01', CAL);
    expect(w.map((x) => [x.from, x.to])).toEqual([['2026-01-31', '2026-04-29'], ['2026-04-30', '2026-07-30'], ['2026-07-31', '2026-10-30']]);
  });
  it('a window ending on a holiday is due on the next working day', () => {
    // 2026-09-07 + 1 month − 1 day = 2026-10-06 (国庆节): due 2026-10-08
    const [w] = pairingWindows('2026-09-07', null, 'monthly', '2026-09-10', CAL);
    expect(w).toMatchObject({ from: '2026-09-07', to: '2026-10-06', deadline: '2026-10-08', fallback: false });
  });
  it('a window ending on a make-up working day (Saturday 2026-10-10) is due that day', () => {
    const [w] = pairingWindows('2026-09-11', null, 'monthly', '2026-09-11', CAL);
    expect(w.to).toBe('2026-10-10');
    expect(w.deadline).toBe('2026-10-10');
  });
  it.each([
    ['a visit on the moved deadline counts', ['2026-10-08'], '2026-10-09', 0],
    ['no visit: overdue from the day after the moved deadline', [], '2026-10-09', 1],
    ['no visit: not yet overdue on the moved deadline itself', [], '2026-10-08', 0],
    ['a visit before the window does not count', ['2026-09-01'], '2026-10-09', 1],
  ] as const)('%s', (_, visits, today, n) => {
    expect(overduePairingWindows('2026-09-07', null, 'monthly', visits, today, CAL)).toHaveLength(n);
  });
  it('the last window is cut at the pairing end; nothing after it', () => {
    const w = pairingWindows('2026-01-01', '2026-05-15', 'quarterly', '2026-12-31', CAL);
    expect(w.map((x) => x.to)).toEqual(['2026-03-31', '2026-05-15']);
  });
  it('a year without calendar data falls back to Monday–Friday and says so', () => {
    // 2027-01-02 is a Saturday; 2027 has no data
    const [w] = pairingWindows('2026-12-03', null, 'monthly', '2026-12-03', CAL);
    expect(w).toMatchObject({ to: '2027-01-02', deadline: '2027-01-04', fallback: true });
  });
});

describe('consultation days (逢三说事) move off weekends and holidays', () => {
  it.each([
    // 2026-10: 3 is in 国庆节, 13 Tuesday, 23 Friday → 10-08 (first working day after 10-07)
    [2026, 10, [3, 13, 23], ['2026-10-08', '2026-10-13', '2026-10-23']],
    // 2026-05: 3 is in 劳动节 → 05-06; 23 is a Saturday → 05-25 (Monday)
    [2026, 5, [3, 13, 23], ['2026-05-06', '2026-05-13', '2026-05-25']],
    // 2026-01: 3 holiday → 01-04 is a make-up working day (Sunday)
    [2026, 1, [3], ['2026-01-04']],
    // day 31 in February is the month's last day (2026-02-28 is a make-up working day, Saturday)
    [2026, 2, [31], ['2026-02-28']],
    // two days moving onto the same working day are kept once
    [2026, 10, [1, 2, 3], ['2026-10-08']],
  ] as const)('%i-%i days %j', (y, m, days, expected) => {
    const r = consultationDays(y, m, days, CAL);
    expect(r.days).toEqual(expected);
    expect(r.fallback).toBe(false);
  });
});

describe('practical deeds', () => {
  const t = { on: '2026-11-20', today: '2026-11-20' };
  it.each([
    ['planned → inProgress', 'planned', 'inProgress', {}, null],
    ['inProgress → done with evidence', 'inProgress', 'done', { evidence: '路灯已修复，居民签字确认' }, null],
    ['done with a photo only', 'inProgress', 'done', { attachments: 1 }, null],
    ['done without evidence', 'inProgress', 'done', {}, '办结须有佐证材料（文字说明或附件）'],
    ['dropped without a reason', 'planned', 'dropped', { reason: '  ' }, '终止办理须填写原因'],
    ['dropped with a reason', 'planned', 'dropped', { reason: '居民已自行解决' }, null],
    ['done → inProgress', 'done', 'inProgress', {}, '“已办结”的事项不能改为“推进中”'],
    ['dated after today', 'planned', 'inProgress', { on: '2026-11-21' }, '日期不能晚于今天'],
  ] as const)('%s', (_, from, to, extra, expected) => {
    expect(deedTransitionError(from, to, { ...t, ...extra })).toBe(expected);
  });
  it.each([
    ['planned', '2026-11-19', '2026-11-20', true],
    ['inProgress', '2026-11-20', '2026-11-20', false],
    ['done', '2026-01-01', '2026-11-20', false],
    ['dropped', '2026-01-01', '2026-11-20', false],
    ['planned', null, '2026-11-20', false],
  ] as const)('%s due %s, today %s → overdue %s', (status, deadline, today, expected) => {
    expect(deedOverdue(status, deadline, today)).toBe(expected);
  });
});
