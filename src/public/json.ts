import type { ReleaseCell } from '../releases/read';
import type { ReleaseRecord } from '../releases/read';
import { TABLES, tableByName } from '../releases/tables';
import { publicStatus } from './csv';
import { allLanguages, type Labeler } from '../reference/labeler';
import { citation } from './release-view';

// The API's JSON (/api/v1/…): the same cells as the CSV downloads, with labels in every language, and
// links so a script can walk from the list of releases to every table.

/** One release as the API describes it. */
export function releaseJson(record: ReleaseRecord, origin: string, latest: boolean) {
  const base = `/data/releases/${record.label}`;
  return {
    label: record.label,
    cutoff: record.cutoff,
    publishedOn: record.publishedOn,
    threshold: record.threshold,
    latest,
    licence: 'CC-BY-4.0',
    citation: citation(record, 'en', origin),
    notes: { en: record.notesEn, es: record.notesEs },
    links: {
      html: `${origin}${base}`,
      zip: `${origin}${base}/all.zip`,
      tables: Object.fromEntries(
        TABLES.map((t) => [
          t.name,
          {
            json: `${origin}/api/v1/releases/${record.label}/tables/${t.name}`,
            csv: `${origin}${base}/${t.name}.csv`,
          },
        ]),
      ),
    },
  };
}

/** Every release, newest first. */
export function releasesJson(records: readonly ReleaseRecord[], origin: string) {
  return { releases: records.map((r, i) => releaseJson(r, origin, i === 0)) };
}

/** One table of a release: its dimensions and every cell, suppressed ones with a null count. */
export function tableJson(
  record: ReleaseRecord,
  table: string,
  cells: readonly ReleaseCell[],
  labeler: Labeler,
) {
  const dims = tableByName(table).dimensions;
  return {
    release: record.label,
    table: { name: table, dimensions: dims },
    threshold: record.threshold,
    cells: cells.map((cell) => ({
      keys: Object.fromEntries(dims.map((d) => [d, cell.keys[d] ?? ''])),
      labels: Object.fromEntries(dims.map((d) => [d, allLanguages(labeler, d, cell.keys[d] ?? '')])),
      count: cell.status === 'published' ? cell.value : null,
      status: publicStatus(cell.status),
    })),
  };
}
