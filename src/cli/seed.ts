import { seedDemo } from '../../seeds/demo';
import { seedDemoReleases } from '../../seeds/demo-releases';
import { loadConfig } from '../platform/config';
import { openDatabase } from '../platform/database';

// `npm run seed`: loads the deterministic demo data; refuses with NODE_ENV=production.
async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase(config);
  try {
    const added = await seedDemo(database.db, config);
    const releases = await seedDemoReleases(database.db, config);
    process.stdout.write(`demo data loaded: ${added} new reports, ${releases} new releases\n`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
