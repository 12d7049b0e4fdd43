// Calendar days, the only grain of time the app stores or shows (promise 1: never a time of day).
// Every day is a UTC 'YYYY-MM-DD' string; these are the one place that format is produced or checked.

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MS_PER_DAY = 86_400_000;

/** The UTC calendar day of a moment, as 'YYYY-MM-DD'. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** A day read back from the database: pg returns DATE as a string, PGlite sometimes as a Date. */
export function dayOf(value: string | Date): string {
  return typeof value === 'string' ? value.slice(0, 10) : isoDay(value);
}

/** True for a real calendar day written 'YYYY-MM-DD' (2026-02-30 is not one). */
export function isRealDay(value: string): boolean {
  if (!DAY.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && Number(value.slice(0, 4)) >= 1 && isoDay(date) === value;
}

/** The day `days` after (or before, if negative) a 'YYYY-MM-DD' day. */
export function addDays(day: string, days: number): string {
  return isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + days * MS_PER_DAY));
}
