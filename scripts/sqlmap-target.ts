// The target for scripts/sqlmap.sh: the app on 127.0.0.1 over a fresh embedded database in a temporary
// directory, with one release and a desk key, and intake rate limits off (sqlmap sends thousands of
// requests; a 429 would hide an injection instead of finding one). Prints the port, then serves until
// killed. Never for anything but a local scan.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp } from '../src/app';
import { createDeskKey } from '../src/accounts/desk-keys';
import { loadConfig } from '../src/platform/config';
import { migrateToLatest, openDb } from '../src/platform/db';
import { startEmbeddedDatabase } from '../src/platform/embedded-db';
import { createLogger } from '../src/platform/logger';
import { loadReference } from '../src/reference/store';
import { generateDeskKeyPair } from '../src/reports/seal';
import { insertTestRelease } from '../test/support/public-release';

async function main(): Promise<void> {
  const port = Number(process.argv[2] ?? 3989);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'represalia-sqlmap-'));
  const embedded = await startEmbeddedDatabase({ dataDir: path.join(dataDir, 'pgdata') });
  const db = openDb(embedded.url, { maxConnections: 4 });
  await migrateToLatest(db);
  const reference = await loadReference(db);
  await insertTestRelease(db, reference, { label: '2026-Q3' });
  const desk = await generateDeskKeyPair();
  const session = randomBytes(32);
  await createDeskKey(db, session, desk.publicKey, '2026-11-01');
  const config = loadConfig({
    NODE_ENV: 'development',
    LOG_LEVEL: 'error',
    DATA_DIR: dataDir,
    PORT: String(port),
  });
  const app = createApp({
    config,
    db,
    reference,
    secrets: { receipt: randomBytes(32), session },
    logger: createLogger({ level: 'error' }),
    intake: { rateLimits: false },
  });
  const server = app.listen(port, '127.0.0.1', () => console.log(`sqlmap target on 127.0.0.1:${port}`));
  const stop = () => {
    // A scratch database: if closing it hangs, leaving is still right.
    setTimeout(() => process.exit(0), 5000).unref();
    server.close();
    server.closeAllConnections();
    void db
      .destroy()
      .then(() => embedded.stop())
      .then(() => rm(dataDir, { recursive: true, force: true }))
      .then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main();
