import { stringify } from 'csv-stringify/sync';

// Every CSV the app serves is written here: RFC 4180 (CRLF, quotes only where needed), UTF-8 with a
// byte-order mark because Excel reads UTF-8 without one as the local code page and garbles every accent,
// and no cell a spreadsheet would run as a formula.

// A spreadsheet runs a cell starting with one of these as a formula ("CSV injection"). Labels come from
// our own reference data, but the file must stay safe to open whatever a future code list or a desk-written text contains.
const FORMULA_START = /^[=+\-@\t\r]/;

/** Prefixes a single quote to a value a spreadsheet would otherwise evaluate. */
export function neutralize(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * Rows as a download: RFC 4180 with CRLF and a byte-order mark, every value neutralized except whole
 * numbers in `numberColumns` (a difference of -18 is data a spreadsheet must read as a number).
 */
export function toCsv(
  rows: readonly (readonly string[])[],
  numberColumns: ReadonlySet<number> = new Set(),
): string {
  const safe = (value: string, column: number): string =>
    numberColumns.has(column) && /^-?\d+$/.test(value) ? value : neutralize(value);
  return stringify(
    rows.map((row) => row.map(safe)),
    { bom: true, record_delimiter: 'windows' },
  );
}
