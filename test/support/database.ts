import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { EMBEDDED_MAX_CONNECTIONS } from '../../src/platform/database';
import { openDb, type Db } from '../../src/platform/db';
import { startEmbeddedDatabase } from '../../src/platform/embedded-db';
import { withDatabase } from './urls';

export interface TestDatabase {
  db: Db;
  url: string;
  destroy(): Promise<void>;
}

/**
 * A fresh, migrated, empty database of this test file's own: a copy of the run's template on the server
 * at DATABASE_URL, or an embedded PGlite loaded from the template dump. Real Postgres either way.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  const template = process.env.TEST_TEMPLATE_DATABASE;
  if (serverUrl && template) {
    const name = `represalia_test_${randomBytes(6).toString('hex')}`;
    const admin = openDb(serverUrl, { maxConnections: 1 });
    await admin.raw('create database ?? template ??', [name, template]);
    const url = withDatabase(serverUrl, name);
    const db = openDb(url, { maxConnections: 5 });
    return {
      db,
      url,
      async destroy() {
        await db.destroy();
        await admin.raw('drop database if exists ?? with (force)', [name]);
        await admin.destroy();
      },
    };
  }
  const file = process.env.TEST_TEMPLATE_FILE;
  if (!file) throw new Error('no test database template: run the tests through jest (globalSetup)');
  const embedded = await startEmbeddedDatabase({ loadDataDir: new Blob([await readFile(file)]) });
  const db = openDb(embedded.url, { maxConnections: EMBEDDED_MAX_CONNECTIONS });
  return {
    db,
    url: embedded.url,
    async destroy() {
      await db.destroy();
      await embedded.stop();
    },
  };
}
