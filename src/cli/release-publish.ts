import { parseArgs } from 'node:util';
import { loadConfig } from '../platform/config';
import { openDatabase } from '../platform/database';
import { AppError } from '../platform/errors';
import { translate } from '../platform/i18n';
import type { BuildProgress } from '../releases/disclosure/suppress';
import { createReleases, ReleaseRefusedError } from '../releases/service';
import { listReleases } from '../releases/store';
import { summarizeBuild, summaryLines } from '../releases/summary';
import { loadReference } from '../reference/store';

// `npm run release:publish -- --cutoff YYYY-MM-DD --label 2026-Q3 [--notes "…"] [--notes-es "…"] [--dry-run]`

const STAGES: Record<BuildProgress['stage'], string> = {
  cells: 'building cells',
  audit: 'auditing',
  model: 'choosing cells to withhold',
  done: 'done',
};

/** Progress on a terminal: one line rewritten in place; when piped, a plain line per stage or every 5 s. */
function progressPrinter(stream: NodeJS.WriteStream): { update(p: BuildProgress): void; end(): void } {
  let lastLine = 0;
  let lastStage = '';
  let shown = false;
  return {
    update(p) {
      const line =
        `${STAGES[p.stage]}: round ${p.round}, ${p.cells} cells, ${p.proven} of ${2 * p.quantities} bounds proven, ` +
        `${p.withheld} chosen to withhold, ${p.cuts} cuts, ${(p.elapsedMs / 1000).toFixed(1)} s`;
      if (stream.isTTY) {
        stream.write(`\r\x1b[2K${line}`);
        shown = true;
      } else if (p.stage !== lastStage || p.elapsedMs - lastLine >= 5000) {
        stream.write(`${line}\n`);
        lastLine = p.elapsedMs;
      }
      lastStage = `${p.stage}:${p.round}`;
    },
    end() {
      if (shown) stream.write('\n');
    },
  };
}

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
  const printer = progressPrinter(process.stderr);
  try {
    const releases = createReleases({
      db: database.db,
      reference: await loadReference(database.db),
      threshold: config.DISCLOSURE_THRESHOLD,
      today: () => new Date(),
    });
    const labels = [...(await listReleases(database.db)).map((r) => r.label), values.label ?? 'draft'];
    const onProgress = (p: BuildProgress) => printer.update(p);
    const built = values['dry-run']
      ? await releases.build(values.cutoff, onProgress)
      : (
          await releases.publish(
            {
              label: values.label ?? '',
              cutoff: values.cutoff,
              ...(values.notes ? { notesEn: values.notes } : {}),
              ...(values['notes-es'] ? { notesEs: values['notes-es'] } : {}),
            },
            { onProgress },
          )
        ).build;
    printer.end();
    const lines = summaryLines(summarizeBuild(built, labels));
    process.stdout.write(
      `${values['dry-run'] ? 'preview' : `published ${values.label}`}\n${lines.join('\n')}\n`,
    );
  } catch (error) {
    printer.end();
    if (error instanceof ReleaseRefusedError && error.failures.length > 0) {
      for (const f of error.failures.slice(0, 20))
        process.stderr.write(
          `  ${f.kind} ${f.table} ${JSON.stringify(f.keys)}: between ${f.min} and ${f.max}\n`,
        );
    }
    throw error;
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  const message =
    error instanceof ReleaseRefusedError
      ? translate('en', error.message, error.params)
      : error instanceof AppError
        ? translate('en', error.message)
        : error instanceof Error
          ? error.message
          : String(error);
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
