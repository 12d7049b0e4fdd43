import { parse } from 'csv-parse/sync';
import type { Reference } from '../reference/types';
import { LIMITS, type CaseFields, type Problem } from './types';
import { validateCase, type RawCase } from './validate';

// The importer's parser: a CSV file of public cases, one source per line, read whole and checked whole
// before anything is written. It is a parser of untrusted input, so it never throws: any file gives back
// either a plan (every line valid) or the full list of problems, each with its line number.

/** The columns an import file must have, in any order (codes inside a cell are separated by `;`). */
export const IMPORT_COLUMNS = [
  'month',
  'state',
  'field_office',
  'action_types',
  'activism_types',
  'target_role',
  'summary_en',
  'summary_es',
  'source_url',
  'source_title',
  'source_published',
  'source_kind',
] as const;
/** Columns a file may add: the publisher is part of a citation, but the format leaves it out. */
export const OPTIONAL_COLUMNS = ['source_publisher'] as const;

export const MAX_FILE_BYTES = 5 * 1024 * 1024;
export const MAX_LINES = 10_000;
const MAX_RECORD_BYTES = 64 * 1024;

/** A problem with a line of the file (1 is the header), or with the whole file (line null). */
export interface LineProblem extends Problem {
  line: number | null;
}

/** One case of the file: its lines, in file order, and its fields (one source per line, same order). */
export interface PlannedCase {
  lines: number[];
  fields: CaseFields;
}

export type ParsedFile =
  { ok: true; cases: PlannedCase[]; lines: number } | { ok: false; problems: LineProblem[] };

type Column = (typeof IMPORT_COLUMNS)[number] | (typeof OPTIONAL_COLUMNS)[number];

const fileProblem = (key: string, params?: Problem['params']): ParsedFile => ({
  ok: false,
  problems: [{ line: null, field: 'file', key, ...(params ? { params } : {}) }],
});

/**
 * Reads a whole import file. Lines that describe the same case (same month, state, office, codes and
 * summaries) become one case with several sources; a source cited twice for one month and state is a
 * problem, since that is the key re-imports are matched on.
 */
export function parseCaseFile(bytes: Uint8Array, reference: Reference, today: string): ParsedFile {
  if (bytes.byteLength > MAX_FILE_BYTES) return fileProblem('cases.import.too_large', { max: '5 MB' });
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return fileProblem('cases.import.not_utf8');
  }
  const { records, problems, fatal } = readRecords(text);
  if (fatal) return { ok: false, problems };
  const header = records.shift();
  if (!header)
    return { ok: false, problems: [...problems, { line: null, field: 'file', key: 'cases.import.empty' }] };
  const columns = readHeader(header.fields);
  if (!columns.ok) return { ok: false, problems: [...columns.problems, ...problems] };
  if (records.length === 0 && problems.length === 0) return fileProblem('cases.import.no_rows');
  if (records.length > MAX_LINES) return fileProblem('cases.import.too_many_lines', { max: MAX_LINES });

  const rows: { line: number; fields: CaseFields }[] = [];
  for (const record of records) {
    if (record.fields.length !== columns.names.length) {
      problems.push({
        line: record.line,
        field: 'file',
        key: 'cases.import.field_count',
        params: { found: record.fields.length, expected: columns.names.length },
      });
      continue;
    }
    const cell = (name: Column): string => record.fields[columns.names.indexOf(name)] ?? '';
    const raw: RawCase = {
      month: cell('month'),
      state: cell('state'),
      fieldOffice: cell('field_office'),
      actionTypes: cell('action_types').split(';'),
      activismTypes: cell('activism_types').split(';'),
      targetRole: cell('target_role'),
      summaryEn: cell('summary_en'),
      summaryEs: cell('summary_es'),
      sources: [
        {
          url: cell('source_url'),
          title: cell('source_title'),
          publisher: columns.names.includes('source_publisher') ? cell('source_publisher') : '',
          published: cell('source_published'),
          kind: cell('source_kind'),
        },
      ],
    };
    const checked = validateCase(reference, raw, today);
    if (!checked.ok) {
      // One source per line: which source it was says nothing the line number does not.
      for (const { params, ...problem } of checked.problems) {
        const rest = Object.fromEntries(Object.entries(params ?? {}).filter(([name]) => name !== 'source'));
        problems.push({
          line: record.line,
          ...problem,
          ...(Object.keys(rest).length > 0 ? { params: rest } : {}),
        });
      }
      continue;
    }
    rows.push({ line: record.line, fields: checked.value });
  }
  const grouped = groupCases(rows, problems);
  if (problems.length > 0) return { ok: false, problems: problems.sort(byLine) };
  return { ok: true, cases: grouped, lines: rows.length };
}

/** The key a source is matched on at re-import: the same link for the same month and state. */
export function sourceKey(url: string, month: string, state: string): string {
  return `${url}\u0000${month}\u0000${state}`;
}

function caseKey(fields: CaseFields): string {
  return JSON.stringify([
    fields.month,
    fields.state,
    fields.fieldOffice,
    [...fields.actionTypes].sort(),
    [...fields.activismTypes].sort(),
    fields.targetRole,
    fields.summaryEn,
    fields.summaryEs,
  ]);
}

function groupCases(rows: { line: number; fields: CaseFields }[], problems: LineProblem[]): PlannedCase[] {
  const cases = new Map<string, PlannedCase>();
  const seen = new Map<string, { line: number; caseKey: string }>();
  for (const row of rows) {
    const source = row.fields.sources[0]!;
    const key = caseKey(row.fields);
    const first = seen.get(sourceKey(source.url, row.fields.month, row.fields.state));
    if (first) {
      problems.push({
        line: row.line,
        field: 'source_url',
        key: first.caseKey === key ? 'cases.import.repeated_line' : 'cases.import.source_conflict',
        params: { other: first.line },
      });
      continue;
    }
    seen.set(sourceKey(source.url, row.fields.month, row.fields.state), { line: row.line, caseKey: key });
    const planned = cases.get(key);
    if (!planned) {
      cases.set(key, { lines: [row.line], fields: { ...row.fields, sources: [source] } });
    } else if (planned.fields.sources.length >= LIMITS.sourcesPerCase) {
      problems.push({
        line: row.line,
        field: 'source_url',
        key: 'cases.errors.sources_many',
        params: { max: LIMITS.sourcesPerCase },
      });
    } else {
      planned.lines.push(row.line);
      planned.fields.sources.push(source);
    }
  }
  return [...cases.values()];
}

function readHeader(
  fields: string[],
): { ok: true; names: Column[] } | { ok: false; problems: LineProblem[] } {
  const names = fields.map((name) => name.trim().toLowerCase());
  const known = new Set<string>([...IMPORT_COLUMNS, ...OPTIONAL_COLUMNS]);
  const problems: LineProblem[] = [];
  const missing = IMPORT_COLUMNS.filter((column) => !names.includes(column));
  const unknown = names.filter((name) => !known.has(name));
  const repeated = names.filter((name, index) => names.indexOf(name) !== index);
  if (names.length === 1 && names[0]?.includes(';'))
    problems.push({ line: 1, field: 'file', key: 'cases.import.semicolons' });
  else {
    if (missing.length > 0)
      problems.push({
        line: 1,
        field: 'file',
        key: 'cases.import.missing_columns',
        params: { columns: missing.join(', ') },
      });
    if (unknown.length > 0)
      problems.push({
        line: 1,
        field: 'file',
        key: 'cases.import.unknown_columns',
        params: { columns: unknown.join(', ') },
      });
    if (repeated.length > 0)
      problems.push({
        line: 1,
        field: 'file',
        key: 'cases.import.repeated_columns',
        params: { columns: repeated.join(', ') },
      });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, names: names as Column[] };
}

interface CsvRecord {
  line: number;
  fields: string[];
}

// Records with the line each starts on. Broken records (a stray quote, an unclosed one) are reported at
// the line they start on and skipped, so that every other line is still checked; anything else the CSV
// library throws becomes a problem with the whole file rather than an exception.
function readRecords(text: string): { records: CsvRecord[]; problems: LineProblem[]; fatal: boolean } {
  const problems: LineProblem[] = [];
  const broken = new Set<number>();
  // The line the last record (good or broken) ended on: a broken one starts on the next. The library
  // reports where it noticed, which for an unclosed quote is the end of the file.
  let lastEnd = 0;
  const brokenAt = (noticed: number) => {
    const line = Math.min(noticed, lastEnd + 1);
    lastEnd = Math.max(lastEnd, noticed);
    if (broken.has(line)) return;
    broken.add(line);
    problems.push({ line, field: 'file', key: 'cases.import.broken_line' });
  };
  try {
    const parsed = parse(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      max_record_size: MAX_RECORD_BYTES,
      on_record: (record, context) => {
        lastEnd = context.lines;
        return record;
      },
      on_skip: (error) => {
        brokenAt(lineOf(error));
        return undefined;
      },
    }) as unknown as { record: string[]; info: { lines: number } }[];
    const records = parsed.map(({ record, info }) => ({
      // The library counts the line a record ends on; a quoted cell may span several.
      line: info.lines - record.reduce((n, field) => n + (field.match(/\r\n|\r|\n/g)?.length ?? 0), 0),
      fields: record,
    }));
    return { records, problems, fatal: false };
  } catch (error) {
    brokenAt(lineOf(error));
    return { records: [], problems, fatal: true };
  }
}

function lineOf(error: unknown): number {
  const lines = (error as { lines?: unknown } | undefined)?.lines;
  return typeof lines === 'number' && lines > 0 ? lines : 1;
}

function byLine(a: LineProblem, b: LineProblem): number {
  return (a.line ?? 0) - (b.line ?? 0);
}
