import path from 'node:path';
import type { Config } from './config';
import { migrateToLatest, openDb, type Db } from './db';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded-db';

export interface OpenDatabase {
  db: Db;
  embedded: boolean;
  close(): Promise<void>;
}

/**
 * Opens the configured database: the server at DATABASE_URL, or PGlite under DATA_DIR/pgdata. Migrates
 * it to the latest schema either way, so every start runs on the code's schema.
 */
export async function openDatabase(config: Config): Promise<OpenDatabase> {
  let embedded: EmbeddedDatabase | undefined;
  let url = config.DATABASE_URL;
  if (!url) {
    embedded = await startEmbeddedDatabase({ dataDir: path.resolve(config.DATA_DIR, 'pgdata') });
    url = embedded.url;
  }
  // PGlite has one backend: a small pool keeps connections from queueing behind one another for long.
  const db = openDb(url, { maxConnections: embedded ? 4 : 10 });
  try {
    await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    await embedded?.stop();
    throw error;
  }
  return {
    db,
    embedded: Boolean(embedded),
    async close() {
      await db.destroy();
      await embedded?.stop();
    },
  };
}
