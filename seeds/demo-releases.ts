import type { Knex } from 'knex';
import { createReleases } from '../src/releases/service';
import { listReleases } from '../src/releases/store';
import { loadReference } from '../src/reference/store';

// Two demo releases over the demo reports, so the public site has a history from the first start. Fixed
// labels, cutoffs and publication dates (deterministic); skipped when any release exists (idempotent).
// The cutoffs are two years apart, as a real project's first releases might be: far enough for most cells to
// gain at least k reports (or none), so the second release shows a richer national picture than the first
// (measured in bench/release-core.ts: a cutoff nine months apart left 19 of 56 states waiting on increments).

export const DEMO_RELEASES = [
  {
    label: '2024-Q2',
    cutoff: '2024-06-30',
    publishedOn: '2024-07-20',
    notesEn: 'Demonstration release built from synthetic reports.',
    notesEs: 'Publicación de demostración construida con reportes sintéticos.',
  },
  {
    label: '2026-Q3',
    cutoff: '2026-09-30',
    publishedOn: '2026-10-20',
    notesEn: 'Demonstration release built from synthetic reports.',
    notesEs: 'Publicación de demostración construida con reportes sintéticos.',
  },
] as const;

/** Publishes whichever demo releases are missing (in order); refuses in production. Returns how many. */
export async function seedDemoReleases(
  db: Knex,
  env: { NODE_ENV: string; DISCLOSURE_THRESHOLD: number },
): Promise<number> {
  if (env.NODE_ENV === 'production')
    throw new Error('The demo seed refuses to run with NODE_ENV=production.');
  const existing = await listReleases(db);
  const demoLabels = new Set<string>(DEMO_RELEASES.map((release) => release.label));
  // Releases that are not the demo's mean this database holds real work: leave it alone.
  if (existing.some((release) => !demoLabels.has(release.label))) return 0;
  const missing = DEMO_RELEASES.filter((release) => !existing.some((done) => done.label === release.label));
  if (missing.length === 0) return 0;
  const releases = createReleases({
    db,
    reference: await loadReference(db),
    threshold: env.DISCLOSURE_THRESHOLD,
    // The demo's "today" is the last publication date, so the seed gives the same result on any day.
    today: () => new Date(`${DEMO_RELEASES[DEMO_RELEASES.length - 1]!.publishedOn}T00:00:00Z`),
  });
  for (const { publishedOn, ...draft } of missing) await releases.publish(draft, { publishedOn });
  return missing.length;
}
