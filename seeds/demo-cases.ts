import { readFileSync } from 'node:fs';
import type { Knex } from 'knex';
import { createCases } from '../src/cases/service';
import { hasAnyCase } from '../src/cases/store';
import { fromRoot } from '../src/platform/paths';
import { loadReference } from '../src/reference/store';

// Starter cases for the public record: a handful of clearly synthetic cases (every summary says so, every
// source is on example.org or example.com), imported through the same importer a deployment uses, from
// seeds/demo-cases.csv, which doubles as an example of the file format. One is retracted, so the demo
// shows how a retraction looks. Deterministic; skipped when the record holds any case (idempotent).

export const DEMO_CASES_FILE = fromRoot('seeds/demo-cases.csv');
// The demo's "today" (its last release's date), so the seed gives the same result on any day.
const DEMO_TODAY = new Date('2026-10-20T00:00:00Z');

/** Imports the demo's public cases into an empty record; refuses in production. Returns how many. */
export async function seedDemoCases(db: Knex, env: { NODE_ENV: string }): Promise<number> {
  if (env.NODE_ENV === 'production')
    throw new Error('The demo seed refuses to run with NODE_ENV=production.');
  if (await hasAnyCase(db)) return 0;
  const cases = createCases({ db, reference: await loadReference(db), today: () => DEMO_TODAY });
  const outcome = await cases.importFile(readFileSync(DEMO_CASES_FILE));
  if (!outcome.ok) throw new Error(`the demo cases file is invalid: ${JSON.stringify(outcome.problems)}`);
  const retracted = outcome.created.find((c) => c.lines.includes(8));
  const current = retracted && (await cases.get(retracted.caseId));
  if (current) {
    await cases.retract(
      null,
      current.id,
      current.version,
      'Synthetic example of a retraction: the source was found to describe a different incident.',
      'Ejemplo sintético de un retiro: se comprobó que la fuente describía otro incidente.',
    );
  }
  return outcome.created.length;
}
