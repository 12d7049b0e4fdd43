// Time in releases: quarters from 2017 (when the pattern this project documents took hold), plus one
// bucket for everything earlier. The range is fixed and public, never derived from the data: a table
// whose first row moved with the earliest report would itself reveal that a report exists there.

export const FIRST_YEAR = 2017;
/** The one period for incidents before FIRST_YEAR (the form accepts months back to 2000). */
export const EARLIER_PERIOD = `before-${FIRST_YEAR}`;

/** Every period a release with this cutoff can show, oldest first. */
export function periodsThrough(cutoff: string): string[] {
  const year = Number(cutoff.slice(0, 4));
  const quarter = Math.floor((Number(cutoff.slice(5, 7)) - 1) / 3) + 1;
  const periods = [EARLIER_PERIOD];
  for (let y = FIRST_YEAR; y <= year; y++) {
    for (let q = 1; q <= 4 && (y < year || q <= quarter); q++) periods.push(`${y}-Q${q}`);
  }
  return periods;
}

/** SQL for a report's period, from its incident month (kept in one place next to periodsThrough). */
export const PERIOD_SQL = `case when incident_month < date '${FIRST_YEAR}-01-01' then '${EARLIER_PERIOD}' else to_char(incident_month, 'YYYY-"Q"Q') end`;
