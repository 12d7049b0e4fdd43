import type { Knex } from 'knex';
import type { Reference } from '../../src/reference/types';
import type { ReleaseCell } from '../../src/releases/audit';
import { insertRelease, type ReleaseRecord } from '../../src/releases/store';
import { periodsThrough } from '../../src/releases/periods';
import { TABLES, UNKNOWN_OFFICE, type Dimension } from '../../src/releases/tables';

// Hand-made releases for the public site's tests and bench. The public site only reads cells, so the
// numbers need not be consistent with any reports: a deterministic spread with about a third suppressed.

function keysOf(reference: Reference, cutoff: string, dimension: Dimension): string[] {
  switch (dimension) {
    case 'state':
      return reference.states.map((s) => s.usps);
    case 'field_office':
      return [...reference.offices.map((o) => o.code), UNKNOWN_OFFICE];
    case 'quarter':
      return periodsThrough(cutoff);
    case 'year':
      return [...new Set(periodsThrough(cutoff).map((p) => (p.startsWith('before') ? p : p.slice(0, 4))))];
    case 'action_type':
    case 'activism_type':
    case 'evidence_type':
    case 'target_role':
      return reference.codes.filter((c) => c.kind === dimension).map((c) => c.code);
  }
}

function hash(text: string, seed: number): number {
  let h = 2166136261 ^ seed;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Every cell of every table over the reference, with deterministic counts; `seed` varies them. */
export function buildReleaseCells(reference: Reference, cutoff: string, seed = 1, k = 11): ReleaseCell[] {
  const cells: ReleaseCell[] = [];
  for (const table of TABLES) {
    let combos: Record<string, string>[] = [{}];
    for (const d of table.dimensions) {
      combos = combos.flatMap((keys) => keysOf(reference, cutoff, d).map((key) => ({ ...keys, [d]: key })));
    }
    for (const keys of combos) {
      const value = hash(`${table.name}|${JSON.stringify(keys)}`, seed) % 90;
      const published = table.dimensions.length === 0 || value >= k + 10;
      cells.push({
        table: table.name,
        keys,
        status: published ? 'published' : 'suppressed',
        value: published ? (table.dimensions.length === 0 ? 5000 + value : value) : null,
      });
    }
  }
  return cells;
}

export interface TestRelease {
  record: ReleaseRecord;
  cells: ReleaseCell[];
}

/** Inserts a hand-made release (as the publisher would, inside a transaction). */
export async function insertTestRelease(
  db: Knex,
  reference: Reference,
  release: Partial<Omit<ReleaseRecord, 'id'>> & { label: string },
  cells?: ReleaseCell[],
): Promise<TestRelease> {
  const record = {
    cutoff: '2026-09-30',
    threshold: 11,
    publishedOn: '2026-10-20',
    notesEn: 'Test release.',
    notesEs: 'Publicación de prueba.',
    ...release,
  };
  const all = cells ?? buildReleaseCells(reference, record.cutoff, record.label.length);
  const id = await db.transaction((trx) => insertRelease(trx, record, all));
  return { record: { id, ...record }, cells: all };
}
