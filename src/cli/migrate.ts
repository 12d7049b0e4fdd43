import { loadConfig } from '../platform/config';
import { openDatabase } from '../platform/database';

// `npm run migrate`: brings the configured database (server or embedded) to the latest schema.
async function main(): Promise<void> {
  const database = await openDatabase(loadConfig());
  await database.close();
  process.stdout.write('migrations are current\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
