import type { Knex } from 'knex';
import { listReleases, loadReleaseCells, type ReleaseCell, type ReleaseRecord } from '../releases/read';
import { TABLES } from '../releases/tables';

// The releases the public site can show, read from the releases tables only (never from reports:
// promise 6). Releases are frozen, so a release's cells are read once and kept; only the list of
// releases is re-read, at most every `ttlMs`, so a newly published release appears within seconds.

export interface ReleaseData {
  record: ReleaseRecord;
  /** Cells by table name; every table of the fixed set is present, possibly empty. */
  tables: ReadonlyMap<string, readonly ReleaseCell[]>;
}

export interface ReleaseCatalog {
  /** Every release, newest first. */
  list(): Promise<readonly ReleaseRecord[]>;
  latest(): Promise<ReleaseRecord | undefined>;
  /** A release by its label; re-reads the list (at most once a second) before saying there is none. */
  find(label: string): Promise<ReleaseRecord | undefined>;
  data(record: ReleaseRecord): Promise<ReleaseData>;
  /** The release published just before this one, which its changes are measured against. */
  previous(record: ReleaseRecord): Promise<ReleaseRecord | undefined>;
  /** Whether the list was read less than `ttlMs` ago (what the list says is still what was last read). */
  isFresh(): boolean;
}

// Misses on unknown labels may re-read the list, but never more often than this, so a flood of made-up
// labels cannot turn into a flood of queries.
const MISS_REFRESH_MS = 1000;
const KEPT_RELEASES = 24;

/** A cached view of the published releases; `ttlMs` 0 re-reads the list on every call (tests). */
export function createReleaseCatalog(deps: {
  db: Knex;
  ttlMs: number;
  /** Called when a read finds the list changed: a release was published (by this instance or another). */
  onChange?: () => void;
}): ReleaseCatalog {
  let records: ReleaseRecord[] = [];
  let readAt = -Infinity;
  let reading: Promise<ReleaseRecord[]> | undefined;
  const cells = new Map<number, Promise<ReleaseData>>();

  function refresh(): Promise<ReleaseRecord[]> {
    reading ??= listReleases(deps.db)
      .then((rows) => {
        const before = records.map((r) => r.id).join();
        records = rows.reverse();
        // The first read changes nothing: nothing was built from a list before it.
        if (readAt !== -Infinity && records.map((r) => r.id).join() !== before) deps.onChange?.();
        readAt = performance.now();
        return records;
      })
      .finally(() => {
        reading = undefined;
      });
    return reading;
  }

  async function list(): Promise<readonly ReleaseRecord[]> {
    if (performance.now() - readAt >= deps.ttlMs) return refresh();
    return records;
  }

  async function find(label: string): Promise<ReleaseRecord | undefined> {
    const known = (await list()).find((r) => r.label === label);
    if (known || performance.now() - readAt < MISS_REFRESH_MS) return known;
    return (await refresh()).find((r) => r.label === label);
  }

  function data(record: ReleaseRecord): Promise<ReleaseData> {
    let loaded = cells.get(record.id);
    if (!loaded) {
      loaded = loadReleaseCells(deps.db, record.id).then((rows) => {
        const tables = new Map<string, ReleaseCell[]>(TABLES.map((t) => [t.name, []]));
        for (const cell of rows) tables.get(cell.table)?.push(cell);
        return { record, tables };
      });
      // A failed read is forgotten, so the next request tries again.
      loaded.catch(() => cells.delete(record.id));
      cells.set(record.id, loaded);
      if (cells.size > KEPT_RELEASES) cells.delete(cells.keys().next().value!);
    }
    return loaded;
  }

  async function previous(record: ReleaseRecord): Promise<ReleaseRecord | undefined> {
    const all = await list();
    const index = all.findIndex((r) => r.id === record.id);
    return index < 0 ? undefined : all[index + 1];
  }

  return {
    list,
    latest: async () => (await list())[0],
    find,
    data,
    previous,
    isFresh: () => performance.now() - readAt < deps.ttlMs,
  };
}
