import { seedDemo } from '../../seeds/demo';
import { seedDemoReleases } from '../../seeds/demo-releases';
import { DEMO_ADMIN_USERNAME, seedDemoAdmin } from '../accounts/demo';
import { loadConfig } from '../platform/config';
import { openDatabase } from '../platform/database';
import { loadSecrets } from '../platform/secrets';

// `npm run seed`: loads the deterministic demo data, and the demo desk account when no account exists
// (its random one-time password is printed once); refuses with NODE_ENV=production.
async function main(): Promise<void> {
  const config = loadConfig();
  const secrets = await loadSecrets(config);
  const database = await openDatabase(config);
  try {
    const added = await seedDemo(database.db, config);
    const password = await seedDemoAdmin(database.db, config, secrets.session);
    const releases = await seedDemoReleases(database.db, config);
    process.stdout.write(`demo data loaded: ${added} new reports, ${releases} new releases\n`);
    if (password)
      process.stdout.write(
        `demo desk account ${DEMO_ADMIN_USERNAME}, one-time password (shown only now): ${password}\n`,
      );
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
