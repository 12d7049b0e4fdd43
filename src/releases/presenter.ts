import type { Lang } from '../platform/i18n';
import type { ReleaseBuild } from './service';
import type { ReleaseRecord } from './store';
import { TABLES } from './tables';

/** What the admin releases page shows: the releases so far, and a previewed draft with its audit verdict. */
export function releaseAdminView(input: {
  releases: ReleaseRecord[];
  lang: Lang;
  draft?: { cutoff: string; label: string; notes_en: string; notes_es: string };
  build?: ReleaseBuild;
  errorKey?: string;
}) {
  const { build } = input;
  return {
    titleKey: 'releases.admin.title',
    releases: [...input.releases].reverse(),
    draft: input.draft,
    errorKey: input.errorKey,
    preview: build && {
      ok: build.verdict.ok,
      failures: build.verdict.failures.slice(0, 20).map((failure) => ({
        table: failure.table,
        keys: Object.entries(failure.keys)
          .map(([dimension, key]) => `${dimension}=${key}`)
          .join(', '),
        min: Math.round(failure.min * 100) / 100,
        max: Math.round(failure.max * 100) / 100,
      })),
      totals: {
        cells: build.cells.length,
        published: build.cells.filter((cell) => cell.status === 'published').length,
        primary: build.stats.primary,
        complementary: build.stats.complementary,
      },
      seconds: ((build.timings.atomsMs + build.timings.suppressMs) / 1000).toFixed(1),
      tables: TABLES.map((table) => {
        const cells = build.cells.filter((cell) => cell.table === table.name);
        const published = cells.filter((cell) => cell.status === 'published').length;
        return { name: table.name, cells: cells.length, published, suppressed: cells.length - published };
      }),
    },
  };
}
