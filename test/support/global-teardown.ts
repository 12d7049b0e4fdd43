import { rm } from 'node:fs/promises';
import { openDb } from '../../src/platform/db';

export default async function globalTeardown(): Promise<void> {
  const serverUrl = process.env.DATABASE_URL;
  const template = process.env.TEST_TEMPLATE_DATABASE;
  if (serverUrl && template) {
    const admin = openDb(serverUrl, { maxConnections: 1 });
    await admin.raw('drop database if exists ??', [template]);
    await admin.destroy();
  }
  if (process.env.TEST_TEMPLATE_FILE) await rm(process.env.TEST_TEMPLATE_FILE, { force: true });
}
