import { translate, type Lang } from '../platform/i18n';
import type { ReleaseCell } from '../releases/read';
import type { Dimension } from '../reference/dimensions';
import { tableByName } from '../releases/tables';
import type { Labeler } from '../reference/labeler';
import { formatCount } from '../maps/format';

// One release table as the data page shows it: a list for one dimension, a cross-tab for two (first
// dimension down, second across), a single figure for the national total. Withheld cells read "withheld"
// in words: never a number, and never "fewer than k", which would be false of a cell withheld to protect another.

export interface CellView {
  text: string;
  suppressed: boolean;
  /** No report could ever fall in this combination, so the release has no cell for it. */
  missing: boolean;
}

export interface ListRow {
  label: string;
  cell: CellView;
}

export interface TableView {
  name: string;
  id: string;
  title: string;
  about: string;
  kind: 'total' | 'list' | 'matrix';
  /** Header of the first column (the row dimension). */
  rowHeader: string;
  columnHeader: string;
  columns: string[];
  rows: { label: string; cells: CellView[] }[];
  total?: CellView;
}

/** The display of one cell in a language: the count, or "withheld" (never "fewer than k": a cell withheld to protect another can be large). */
export function cellView(cell: ReleaseCell | undefined, threshold: number, lang: Lang): CellView {
  if (!cell) return { text: '—', suppressed: false, missing: true };
  if (cell.status === 'suppressed' || cell.value === null) {
    return {
      text: translate(lang, 'public.withheld'),
      suppressed: true,
      missing: false,
    };
  }
  return { text: formatCount(cell.value, lang), suppressed: false, missing: false };
}

/** Translated name of a dimension, for column headers and form labels. */
export function dimensionName(dimension: Dimension, lang: Lang): string {
  return translate(lang, `public.dimensions.${dimension}`);
}

/** The id of a table's section on the release page, which charts and the downloads list link to. */
export function tableId(name: string): string {
  return `table-${name.replaceAll('_', '-')}`;
}

/** Builds the view of one table of a release in one language. */
export function tableView(
  name: string,
  cells: readonly ReleaseCell[],
  threshold: number,
  labeler: Labeler,
  lang: Lang,
): TableView {
  const dims = tableByName(name).dimensions;
  const base = {
    name,
    id: tableId(name),
    title: translate(lang, `public.tables.${name}.title`),
    about: translate(lang, `public.tables.${name}.about`),
    columns: [] as string[],
    rows: [] as { label: string; cells: CellView[] }[],
    rowHeader: '',
    columnHeader: '',
  };
  const [first, second] = dims;
  if (!first) {
    return { ...base, kind: 'total', total: cellView(cells[0], threshold, lang) };
  }
  if (!second) {
    const byKey = new Map(cells.map((c) => [c.keys[first] ?? '', c]));
    return {
      ...base,
      kind: 'list',
      rowHeader: dimensionName(first, lang),
      columnHeader: translate(lang, 'public.reports'),
      columns: [translate(lang, 'public.reports')],
      rows: labeler.sort(first, byKey.keys(), lang).map((key) => ({
        label: labeler.label(first, key, lang),
        cells: [cellView(byKey.get(key), threshold, lang)],
      })),
    };
  }
  const byPair = new Map(cells.map((c) => [`${c.keys[first]}|${c.keys[second]}`, c]));
  const rowKeys = labeler.sort(
    first,
    cells.map((c) => c.keys[first] ?? ''),
    lang,
  );
  const columnKeys = labeler.sort(
    second,
    cells.map((c) => c.keys[second] ?? ''),
    lang,
  );
  return {
    ...base,
    kind: 'matrix',
    rowHeader: dimensionName(first, lang),
    columnHeader: dimensionName(second, lang),
    columns: columnKeys.map((key) => labeler.label(second, key, lang)),
    rows: rowKeys.map((row) => ({
      label: labeler.label(first, row, lang),
      cells: columnKeys.map((column) => cellView(byPair.get(`${row}|${column}`), threshold, lang)),
    })),
  };
}
