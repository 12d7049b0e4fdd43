import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { migrateToLatest, openDb } from '../../src/platform/db';
import { startEmbeddedDatabase } from '../../src/platform/embedded-db';
import { templateDatabaseName, withDatabase } from './urls';

// Migrates one template database per run; each test file then gets its own copy, so files can run in
// parallel without seeing each other's rows. Server: CREATE DATABASE … TEMPLATE. Embedded: a PGlite dump.

export default async function globalSetup(): Promise<void> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const template = templateDatabaseName();
    const admin = openDb(serverUrl, { maxConnections: 1 });
    await admin.raw('drop database if exists ??', [template]);
    await admin.raw('create database ??', [template]);
    await admin.destroy();
    const db = openDb(withDatabase(serverUrl, template), { maxConnections: 2 });
    await migrateToLatest(db);
    await db.destroy();
    process.env.TEST_TEMPLATE_DATABASE = template;
    return;
  }
  const embedded = await startEmbeddedDatabase();
  const db = openDb(embedded.url, { maxConnections: 1 });
  await migrateToLatest(db);
  await db.destroy();
  const dump = await embedded.dump();
  await embedded.stop();
  const file = path.resolve(__dirname, '../../.cache', `test-template-${process.pid}.tar`);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  process.env.TEST_TEMPLATE_FILE = file;
}
