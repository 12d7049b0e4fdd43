import { parseArgs } from 'node:util';
import { loadConfig } from '../platform/config';
import { openDatabase } from '../platform/database';
import { AppError } from '../platform/errors';
import { translate } from '../platform/i18n';
import { createReleases } from '../releases/service';
import { loadReference } from '../reference/store';

// `npm run release:publish -- --cutoff YYYY-MM-DD --label 2026-Q3 [--notes "…"] [--notes-es "…"] [--dry-run]`
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      cutoff: { type: 'string' },
      label: { type: 'string' },
      notes: { type: 'string' },
      'notes-es': { type: 'string' },
      'dry-run': { type: 'boolean' },
    },
  });
  if (!values.cutoff || (!values.label && !values['dry-run'])) {
    throw new Error(
      'usage: npm run release:publish -- --cutoff YYYY-MM-DD --label LABEL [--notes TEXT] [--notes-es TEXT] [--dry-run]',
    );
  }
  const config = loadConfig();
  const database = await openDatabase(config);
  try {
    const releases = createReleases({
      db: database.db,
      reference: await loadReference(database.db),
      threshold: config.DISCLOSURE_THRESHOLD,
      today: () => new Date(),
    });
    const built = values['dry-run']
      ? await releases.build(values.cutoff)
      : (
          await releases.publish({
            label: values.label ?? '',
            cutoff: values.cutoff,
            ...(values.notes ? { notesEn: values.notes } : {}),
            ...(values['notes-es'] ? { notesEs: values['notes-es'] } : {}),
          })
        ).build;
    const published = built.cells.filter((cell) => cell.status === 'published').length;
    process.stdout.write(
      `${values['dry-run'] ? 'preview' : `published ${values.label}`}: cutoff ${built.cutoff}, k=${built.threshold}, ` +
        `${built.cells.length} cells (${published} published, ${built.stats.primary} suppressed below k, ` +
        `${built.stats.complementary} complementary), audit ${built.verdict.ok ? 'passed' : 'FAILED'}; ` +
        `atoms ${Math.round(built.timings.atomsMs)} ms, suppression and audit ${Math.round(built.timings.suppressMs)} ms\n`,
    );
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  const message =
    error instanceof AppError
      ? translate('en', error.message)
      : error instanceof Error
        ? error.message
        : String(error);
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
