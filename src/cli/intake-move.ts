import { loadConfig } from '../platform/config';
import { openDatabase } from '../platform/database';
import { loadSecrets } from '../platform/secrets';
import { moveStagedSubmissions } from '../intake/move';

// `npm run intake:move`: moves staged submissions of past days into the tables now (the server does it
// after each UTC midnight and at start). `-- --all` moves today's too: moderators see them at once, but
// today's batch is split in two, and each part hides its reports among fewer others.
async function main(): Promise<void> {
  const all = process.argv.includes('--all');
  const config = loadConfig();
  const database = await openDatabase(config);
  try {
    const secrets = await loadSecrets(config);
    const result = await moveStagedSubmissions(database.db, {
      receiptSecret: secrets.receipt,
      today: new Date(),
      all,
    });
    process.stdout.write(
      `moved ${result.reports} reports and ${result.messages} messages` +
        `${result.orphanMessages ? ` (${result.orphanMessages} messages to deleted reports dropped)` : ''}; ` +
        `${result.waiting} staged submissions wait${all ? '' : ' (today’s: use --all to move them now)'}\n`,
    );
    if (result.unreadable > 0) {
      process.stderr.write(
        `${result.unreadable} staged submissions cannot be opened with this RECEIPT_SECRET; they are kept\n`,
      );
      process.exitCode = 1;
    }
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
