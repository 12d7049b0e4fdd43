import { loadConfig } from '../platform/config';
import { openDatabase } from '../platform/database';
import { runRetention } from '../moderation/retention';

// `npm run retention`: deletes narratives and messages RETENTION_DAYS after the final decision, and
// rejected reports whole (promise 8). The server also runs this daily.
async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase(config);
  try {
    const result = await runRetention(database.db, { today: new Date(), days: config.RETENTION_DAYS });
    process.stdout.write(
      `retention as of ${result.cutoff}: ${result.narrativesDeleted} narratives, ${result.messagesDeleted} messages, ` +
        `${result.rejectedDeleted} rejected reports and ${result.sessionsDeleted} expired sessions deleted\n`,
    );
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
