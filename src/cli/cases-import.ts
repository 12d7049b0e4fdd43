import { open } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { MAX_FILE_BYTES } from '../cases/csv-file';
import { createCases, type Cases, type ImportOutcome } from '../cases/service';
import { loadConfig } from '../platform/config';
import { openDatabase } from '../platform/database';
import { translate } from '../platform/i18n';
import { loadReference } from '../reference/store';

// `npm run cases:import -- FILE.csv [--dry-run]`: imports already-public cases into the public record.
// The whole file is checked first; any problem refuses it with every bad line's number and reason, and
// nothing is imported. Lines already in the record (same source link, month and state) are skipped, so
// importing a file again adds nothing. Exit codes follow sysexits: 64 usage, 65 bad data, 66 no file.

const USAGE = 'usage: npm run cases:import -- FILE.csv [--dry-run]';
const SHOWN = 20;

interface Output {
  out(text: string): void;
  err(text: string): void;
}

/** Runs the command against a built service; returns the process's exit code. */
export async function importCommand(args: string[], cases: Cases, output: Output): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { 'dry-run': { type: 'boolean' } } });
  } catch {
    output.err(`${USAGE}\n`);
    return 64;
  }
  const [file, ...rest] = parsed.positionals;
  if (!file || rest.length > 0) {
    output.err(`${USAGE}\n`);
    return 64;
  }
  const bytes = await readBounded(file);
  if (bytes === 'missing') {
    output.err(`${file}: cannot read the file.\n`);
    return 66;
  }
  if (bytes === 'too_large') {
    output.err(
      `${file}: refused, nothing imported. ${translate('en', 'cases.import.too_large', { max: '5 MB' })}\n`,
    );
    return 65;
  }
  const outcome = await cases.importFile(bytes, { dryRun: parsed.values['dry-run'] ?? false });
  if (!outcome.ok) {
    const lines = outcome.problems.map((p) => {
      const where = p.line === null ? 'file' : `line ${p.line}${p.field === 'file' ? '' : `, ${p.field}`}`;
      return `  ${where}: ${translate('en', p.key, p.params ?? {})}`;
    });
    output.err(
      `${file}: refused, nothing imported. ${outcome.problems.length} problem${outcome.problems.length === 1 ? '' : 's'}:\n${lines.join('\n')}\n`,
    );
    return 65;
  }
  output.out(summary(file, outcome));
  return 0;
}

function summary(file: string, outcome: ImportOutcome & { ok: true }): string {
  const list = <T>(items: T[], show: (item: T) => string) =>
    items.slice(0, SHOWN).map(show).join('; ') +
    (items.length > SHOWN ? `; and ${items.length - SHOWN} more` : '');
  const lines = (numbers: number[]) => `line${numbers.length === 1 ? '' : 's'} ${numbers.join(', ')}`;
  const sources = (entries: { lines: number[] }[]) => entries.reduce((n, e) => n + e.lines.length, 0);
  const out = [
    `${file}: ${outcome.dryRun ? 'checked (dry run, nothing imported)' : 'imported'}.`,
    `  new cases: ${outcome.created.length} (${sources(outcome.created)} sources)` +
      (outcome.created.length > 0
        ? `: ${list(outcome.created, (c) => `case ${c.caseId} from ${lines(c.lines)}`)}`
        : ''),
    `  sources added to cases already in the record: ${sources(outcome.extended)}` +
      (outcome.extended.length > 0
        ? `: ${list(outcome.extended, (c) => `case ${c.caseId} from ${lines(c.lines)}`)}`
        : ''),
    `  lines already in the record, skipped: ${outcome.skipped.length}` +
      (outcome.skipped.length > 0
        ? `: ${list(outcome.skipped, (s) => `line ${s.line} (case ${s.caseId})`)}`
        : ''),
  ];
  return `${out.join('\n')}\n`;
}

// Reads the file unless it is larger than any import may be: a mistaken path to a huge file is refused
// without reading it into memory.
async function readBounded(file: string): Promise<Uint8Array | 'missing' | 'too_large'> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return 'missing';
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return 'missing';
    if (stat.size > MAX_FILE_BYTES) return 'too_large';
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase(config);
  try {
    const cases = createCases({
      db: database.db,
      reference: await loadReference(database.db),
      today: () => new Date(),
    });
    process.exitCode = await importCommand(process.argv.slice(2), cases, {
      out: (text) => process.stdout.write(text),
      err: (text) => process.stderr.write(text),
    });
  } finally {
    await database.close();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
