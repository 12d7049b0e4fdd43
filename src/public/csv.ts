import { toCsv } from '../platform/csv-safe';
import { CODE_KINDS } from '../reference/types';
import { LANGS } from '../platform/i18n';
import type { ReleaseCell } from '../releases/read';
import { tableByName } from '../releases/tables';
import { allLanguages, type Labeler } from '../reference/labeler';

// Release tables and the codebook as CSV, written by platform/csv-safe.ts (RFC 4180, a byte-order mark
// for Excel, no cell a spreadsheet would run). The header is a stable English machine name per column;
// the file name carries the release label.

/** The statuses downloads show. */
export type PublicStatus = 'published' | 'withheld';

/**
 * A cell's status as downloads show it: "published" or "withheld". One word for every withheld cell, whether
 * it was small or withheld to protect another: a cell withheld to protect others is not small.
 */
export function publicStatus(status: ReleaseCell['status']): PublicStatus {
  return status === 'published' ? 'published' : 'withheld';
}

/**
 * The header of a table's CSV: key columns, then a label column per language served (English first, then
 * each catalog in locales/), then count and status.
 */
export function csvColumns(table: string): string[] {
  const dims = tableByName(table).dimensions;
  return [...dims, ...dims.flatMap((d) => LANGS.map((lang) => `${d}_label_${lang}`)), 'count', 'status'];
}

/** One release table as CSV, rows in a stable order (keys as the English pages sort them). */
export function tableCsv(table: string, cells: readonly ReleaseCell[], labeler: Labeler): string {
  const dims = tableByName(table).dimensions;
  const sorted = [...cells];
  // Sort by each dimension's display order, first dimension first.
  const ranks = dims.map((d) => {
    const order = labeler.sort(
      d,
      cells.map((c) => c.keys[d] ?? ''),
      'en',
    );
    return new Map(order.map((key, i) => [key, i]));
  });
  sorted.sort((a, b) => {
    for (let i = 0; i < dims.length; i++) {
      const d = dims[i]!;
      const diff = (ranks[i]!.get(a.keys[d] ?? '') ?? 0) - (ranks[i]!.get(b.keys[d] ?? '') ?? 0);
      if (diff !== 0) return diff;
    }
    return 0;
  });
  const rows = sorted.map((cell) => {
    const keys = dims.map((d) => cell.keys[d] ?? '');
    const labels = dims.flatMap((d) => {
      const labels = allLanguages(labeler, d, cell.keys[d] ?? '');
      return LANGS.map((lang) => labels[lang] ?? '');
    });
    // Suppressed: an empty count, never a zero or a placeholder that a formula could mistake for one.
    const count = cell.status === 'published' && cell.value !== null ? String(cell.value) : '';
    return [...keys, ...labels, count, publicStatus(cell.status)];
  });
  return toCsv([csvColumns(table), ...rows]);
}

/** The codebook's columns: kind, code, position, then a label and a definition column per language. */
export const CODEBOOK_COLUMNS: readonly string[] = [
  'kind',
  'code',
  'position',
  ...LANGS.map((lang) => `label_${lang}`),
  ...LANGS.map((lang) => `definition_${lang}`),
];

/** Every code of the four lists with labels and definitions in every language served. */
export function codebookCsv(labeler: Labeler): string {
  // Lists in the order of their names (CODE_KINDS is alphabetical), codes in the codebook's order.
  const kinds = [...CODE_KINDS].sort();
  const rows = kinds.flatMap((kind) =>
    labeler
      .codes(kind)
      .map((c) => [
        c.kind,
        c.code,
        String(c.position),
        ...LANGS.map((lang) => labeler.label(kind, c.code, lang)),
        ...LANGS.map((lang) => labeler.definition(kind, c.code, lang)),
      ]),
  );
  return toCsv([[...CODEBOOK_COLUMNS], ...rows]);
}

/** The download name of a file of a release: represalia-2026-Q3-by_state.csv. */
export function downloadName(label: string, name: string): string {
  return `represalia-${label}-${name}`;
}
