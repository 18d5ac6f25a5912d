/** Dates, numbers and the product's words, formatted the same way everywhere. */

const LOCALE = 'en-GB';
const numbers = new Intl.NumberFormat(LOCALE);

export function formatNumber(value) {
  return numbers.format(value);
}

/** An amount in minor units (cents) of an ISO 4217 currency, e.g. 1250 EUR as "€12.50". */
export function formatMoney(minorUnits, currency) {
  const format = new Intl.NumberFormat(LOCALE, { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits;
  return format.format(minorUnits / 10 ** digits);
}

/** Like formatMoney, with a true minus sign for a credit: "−€4.26". */
export function formatAmount(minorUnits, currency) {
  if (minorUnits < 0) return `\u2212${formatMoney(-minorUnits, currency)}`;
  return formatMoney(minorUnits, currency);
}

/** "1 license", "3 licenses". */
export function licenses(count) {
  return `${formatNumber(count)} ${count === 1 ? 'license' : 'licenses'}`;
}

/** "1 second", "5 seconds". */
export function seconds(count) {
  return `${formatNumber(count)} ${count === 1 ? 'second' : 'seconds'}`;
}

/** Today's date (YYYY-MM-DD) in an IANA time zone, e.g. the organisation's. */
export function todayIn(timeZone) {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: timeZone || 'UTC',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(new Date());
  const get = (type) => parts.find((part) => part.type === type).value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** The moment a calendar day ("2026-11-28") begins in an IANA time zone, in ms since the epoch. */
export function startOfDay(isoDate, timeZone) {
  const wall = Date.parse(`${isoDate}T00:00:00Z`);
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: timeZone || 'UTC',
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  // The zone's offset at a moment: its wall clock read as UTC, minus the moment.
  const offset = (moment) => {
    const get = (type) => Number(parts.formatToParts(moment).find((p) => p.type === type).value);
    const read = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
    return read - moment;
  };
  const guess = wall - offset(wall);
  return wall - offset(guess);
}

/** The day after a calendar date, as a calendar date: "2026-11-30" → "2026-12-01". */
export function nextDay(isoDate) {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + 24 * 3600 * 1000).toISOString().slice(0, 10);
}

/** A calendar date from the API ("2026-11-28") as a Date at its midnight in UTC. */
export function calendarDay(isoDate) {
  return new Date(`${isoDate}T00:00:00Z`);
}

/** Calendar dates as "28 Nov 2026": they are days, not moments, so no time zone moves them. */
const days = new Intl.DateTimeFormat(LOCALE, {
  timeZone: 'UTC',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
});

/** A calendar date from the API ("2026-11-28") as "28 Nov 2026". */
export function formatDate(isoDate) {
  if (!isoDate) return '';
  return days.format(calendarDay(isoDate));
}

/** Two calendar dates as one range, e.g. "1–31 Dec 2026". */
export function formatDateRange(startIso, endIso) {
  const start = calendarDay(startIso);
  const end = calendarDay(endIso);
  if (typeof days.formatRange === 'function') return days.formatRange(start, end);
  return `${days.format(start)} – ${days.format(end)}`;
}

/** The month of a calendar date, e.g. "December 2026". */
export function formatMonth(isoDate) {
  return new Intl.DateTimeFormat(LOCALE, { timeZone: 'UTC', month: 'long', year: 'numeric' }).format(
    calendarDay(isoDate),
  );
}

/** A moment from the API as "28 Nov 2026, 14:05", in the organisation's time zone. */
export function formatDateTime(isoDateTime, timeZone) {
  return new Intl.DateTimeFormat(LOCALE, {
    timeZone: timeZone || 'UTC',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(isoDateTime));
}

export function formatAxisTime(date, timeZone, spanMs) {
  const day = 24 * 3600 * 1000;
  const options =
    spanMs < day / 24
      ? { hour: '2-digit', minute: '2-digit', second: '2-digit' }
      : spanMs < 2 * day
      ? { hour: '2-digit', minute: '2-digit' }
      : spanMs < 300 * day
        ? { day: 'numeric', month: 'short' }
        : { month: 'short', year: 'numeric' };
  return new Intl.DateTimeFormat(LOCALE, { timeZone: timeZone || 'UTC', ...options }).format(date);
}

export const ROLE_LABELS = {
  ADMIN: 'Administrator',
  RESOURCE_MANAGER: 'Resource manager',
  MEMBER: 'Member',
};

export const REASON_LABELS = {
  INITIAL: 'First licenses',
  MANUAL: 'Changed by hand',
  AUTO_INCREASE: 'Automatic increase',
  TERMINATION: 'Termination',
};

export const BILLING_PERIOD_LABELS = {
  MONTHLY: 'Monthly',
};

/** "+1", "−2", "0" for a change of the count. */
export function formatDelta(from, to) {
  const delta = to - from;
  if (delta > 0) return `+${formatNumber(delta)}`;
  if (delta < 0) return `\u2212${formatNumber(-delta)}`;
  return '0';
}

const relative = new Intl.RelativeTimeFormat(LOCALE, { numeric: 'auto' });
const RELATIVE_UNITS = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** A past moment from the API as "3 days ago", "last week", "just now" (R19: activity is
 * kept to the hour, so an hour ago or less reads "within the hour"); '' for null. */
export function formatAgo(isoDateTime, now = Date.now()) {
  if (!isoDateTime) return '';
  const seconds = Math.max(0, (now - Date.parse(isoDateTime)) / 1000);
  if (seconds < 3600) return 'within the hour';
  for (const [unit, size] of RELATIVE_UNITS) {
    if (seconds >= size) return relative.format(-Math.floor(seconds / size), unit);
  }
  return 'within the hour';
}
