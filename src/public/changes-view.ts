import { LANGS, translate, type Lang } from '../platform/i18n';
import { TABLES, tableByName } from '../releases/tables';
import type { ReleaseData } from './catalog';
import {
  CHANGE_KINDS,
  compareReleases,
  countKinds,
  publishedCount,
  type CellChange,
  type ChangeKind,
} from './changes';
import { toCsv } from '../platform/csv-safe';
import { downloadName, publicStatus } from './csv';
import { allLanguages, type Labeler } from '../reference/labeler';
import { formatCount } from '../maps/format';
import { tableId } from './tables-view';

// The changes page (/data/releases/:label/changes) and its CSV twin. The page lists what a reader looks
// for (counts that changed, cells newly published or newly withheld, cells new in this release) and only
// counts the rest; the CSV lists every cell, so the two releases' CSVs can be checked against it.

/** A signed difference in the page's language: +29, −3, 0. */
export function formatDifference(n: number, lang: Lang): string {
  if (n === 0) return formatCount(0, lang);
  return `${n > 0 ? '+' : '−'}${formatCount(Math.abs(n), lang)}`;
}

function sortChanges(table: string, changes: readonly CellChange[], labeler: Labeler, lang: Lang) {
  const dims = tableByName(table).dimensions;
  const ranks = dims.map((d) => {
    const order = labeler.sort(
      d,
      changes.map((c) => c.keys[d] ?? ''),
      lang,
    );
    return new Map(order.map((key, i) => [key, i]));
  });
  return [...changes].sort((a, b) => {
    for (let i = 0; i < dims.length; i++) {
      const d = dims[i]!;
      const diff = (ranks[i]!.get(a.keys[d] ?? '') ?? 0) - (ranks[i]!.get(b.keys[d] ?? '') ?? 0);
      if (diff !== 0) return diff;
    }
    return 0;
  });
}

// One label column per language served, following the catalogs in locales/.
export const CHANGES_COLUMNS: readonly string[] = [
  'table',
  'dimension_1',
  'key_1',
  ...LANGS.map((lang) => `key_1_label_${lang}`),
  'dimension_2',
  'key_2',
  ...LANGS.map((lang) => `key_2_label_${lang}`),
  'previous_release',
  'previous_status',
  'previous_count',
  'release',
  'status',
  'count',
  'difference',
  'change',
];

/** Every cell of every table in either release, with both statuses and counts and, where both releases published it, the difference. */
export function changesCsv(
  previous: ReleaseData | undefined,
  current: ReleaseData,
  labeler: Labeler,
): string {
  const rows: string[][] = [[...CHANGES_COLUMNS]];
  if (previous) {
    for (const [table, changes] of compareReleases(previous, current)) {
      const dims = tableByName(table).dimensions;
      for (const change of sortChanges(table, changes, labeler, 'en')) {
        const key = (i: number): string[] => {
          const d = dims[i];
          if (!d) return ['', '', ...LANGS.map(() => '')];
          const value = change.keys[d] ?? '';
          const labels = allLanguages(labeler, d, value);
          return [d, value, ...LANGS.map((lang) => labels[lang] ?? '')];
        };
        const count = (n: number | null): string => (n === null ? '' : String(n));
        rows.push([
          table,
          ...key(0),
          ...key(1),
          previous.record.label,
          change.previous ? publicStatus(change.previous.status) : '',
          count(publishedCount(change.previous)),
          current.record.label,
          change.current ? publicStatus(change.current.status) : '',
          count(publishedCount(change.current)),
          count(change.difference),
          change.kind,
        ]);
      }
    }
  }
  const numbers = new Set(
    (['previous_count', 'count', 'difference'] as const).map((c) => CHANGES_COLUMNS.indexOf(c)),
  );
  return toCsv(rows, numbers);
}

// The page leaves these out of its lists (the CSV has them): unchanged counts, and cells withheld in both.
const LISTED: ReadonlySet<ChangeKind> = new Set([
  'changed',
  'newly_published',
  'newly_withheld',
  'new_cell',
  'dropped_cell',
]);

function rowLabel(change: CellChange, labeler: Labeler, lang: Lang): string {
  const dims = tableByName(change.table).dimensions;
  if (dims.length === 0) return translate(lang, 'public.tables.national_total.row');
  return dims.map((d) => labeler.label(d, change.keys[d] ?? '', lang)).join(' · ');
}

function countText(change: CellChange, which: 'previous' | 'current', lang: Lang): string {
  const cell = change[which];
  if (!cell) return translate(lang, 'public.changes.not_in_release');
  const n = publishedCount(cell);
  return n === null ? translate(lang, 'public.changes.withheld') : formatCount(n, lang);
}

/** The plain-language line of a changed count: "Texas: 261 → 290". */
export function changeSentence(change: CellChange, labeler: Labeler, lang: Lang): string {
  return `${rowLabel(change, labeler, lang)}: ${countText(change, 'previous', lang)} → ${countText(change, 'current', lang)}`;
}

/** The changes page of a release in one language; `previous` undefined for the first release. */
export function changesPageModel(
  previous: ReleaseData | undefined,
  current: ReleaseData,
  labeler: Labeler,
  lang: Lang,
) {
  const { record } = current;
  const base = `/data/releases/${record.label}`;
  const common = {
    label: record.label,
    releaseHref: base,
    csvHref: `${base}/changes.csv`,
    csvName: downloadName(record.label, 'changes.csv'),
  };
  if (!previous) return { ...common, hasPrevious: false };
  const compared = compareReleases(previous, current);
  const all = [...compared.values()].flat();
  const totals = countKinds(all);
  const national = compared.get('national_total')?.[0];
  const sentences = (table: string) =>
    sortChanges(table, compared.get(table) ?? [], labeler, lang)
      .filter((c) => c.kind === 'changed')
      .map((c) => changeSentence(c, labeler, lang));
  const tables = TABLES.map((t) => {
    const changes = sortChanges(t.name, compared.get(t.name) ?? [], labeler, lang);
    const counts = countKinds(changes);
    return {
      name: t.name,
      id: `changes-${tableId(t.name)}`,
      title: translate(lang, `public.tables.${t.name}.title`),
      counts: CHANGE_KINDS.filter((k) => counts[k] > 0).map((k) => ({
        kind: k,
        text: translate(lang, `public.changes.count_${k}`, { n: formatCount(counts[k], lang) }),
      })),
      rows: changes
        .filter((c) => LISTED.has(c.kind))
        .map((c) => ({
          label: rowLabel(c, labeler, lang),
          previous: countText(c, 'previous', lang),
          current: countText(c, 'current', lang),
          previousWithheld: c.previous !== undefined && publishedCount(c.previous) === null,
          currentWithheld: c.current !== undefined && publishedCount(c.current) === null,
          difference: c.difference === null ? null : formatDifference(c.difference, lang),
          kind: translate(lang, `public.changes.kind_${c.kind}`),
        })),
    };
  });
  return {
    ...common,
    hasPrevious: true,
    previousLabel: previous.record.label,
    previousHref: `/data/releases/${previous.record.label}`,
    national: national ? changeSentence(national, labeler, lang) : undefined,
    nationalDifference:
      national?.difference != null ? formatDifference(national.difference, lang) : undefined,
    totals: CHANGE_KINDS.filter((k) => totals[k] > 0).map((k) => ({
      kind: k,
      text: translate(lang, `public.changes.count_${k}`, { n: formatCount(totals[k], lang) }),
    })),
    byState: sentences('by_state'),
    byOffice: sentences('by_field_office'),
    tables,
    mapHref: `/map?release=${record.label}&compare=previous`,
  };
}
