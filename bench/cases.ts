// The public record's importer: `npx tsx bench/cases.ts` (embedded database) or with
// DATABASE_URL=postgres://… (a scratch database, dropped after). Prints how long a whole-file check and
// import of 1,000 and 5,000 lines takes, how long a re-import (every line skipped) takes, and how long
// refusing a file with one bad line at the end takes. The pages' throughput is measured by
// bench/public.ts with BENCH_CASES=1000 BENCH_TARGETS=/cases,/cases/map,/cases.csv,/api/v1/cases.
import { randomBytes } from 'node:crypto';
import { createCases } from '../src/cases/service';
import { EMBEDDED_MAX_CONNECTIONS } from '../src/platform/database';
import { migrateToLatest, openDb, type Db } from '../src/platform/db';
import { startEmbeddedDatabase } from '../src/platform/embedded-db';
import { loadReference } from '../src/reference/store';
import { syntheticCaseFile } from './cases-file';

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

async function measure(db: Db): Promise<void> {
  await migrateToLatest(db);
  const reference = await loadReference(db);
  const cases = createCases({ db, reference, today: () => new Date() });
  for (const count of [1000, 5000]) {
    await db('public_cases').delete();
    const file = syntheticCaseFile(reference, count, count);
    const [first, importMs] = await timed(() => cases.importFile(file));
    if (!first.ok) throw new Error(JSON.stringify(first.problems.slice(0, 3)));
    const [, againMs] = await timed(() => cases.importFile(file));
    const bad = Buffer.concat([
      file,
      Buffer.from('2025-13,WA,,arrest,protest,organizer,x,,http://x,t,,news\n'),
    ]);
    const [refused, refuseMs] = await timed(() => cases.importFile(bad));
    console.log(
      `${String(count).padStart(5)} lines (${(file.byteLength / 1024).toFixed(0)} KiB): import ${importMs.toFixed(0)} ms, ` +
        `re-import (all skipped) ${againMs.toFixed(0)} ms, refusal of a bad last line ${refuseMs.toFixed(0)} ms ` +
        `(${refused.ok ? 'NOT refused' : `${refused.problems.length} problems`})`,
    );
  }
}

async function main(): Promise<void> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const name = `represalia_bench_${randomBytes(4).toString('hex')}`;
    const admin = openDb(serverUrl, { maxConnections: 1 });
    await admin.raw('create database ??', [name]);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const db = openDb(url.toString(), { maxConnections: 4 });
    try {
      console.log('public-record importer on the PostgreSQL server');
      await measure(db);
    } finally {
      await db.destroy();
      await admin.raw('drop database if exists ?? with (force)', [name]);
      await admin.destroy();
    }
    return;
  }
  const embedded = await startEmbeddedDatabase();
  const db = openDb(embedded.url, { maxConnections: EMBEDDED_MAX_CONNECTIONS });
  try {
    console.log('public-record importer on embedded PGlite');
    await measure(db);
  } finally {
    await db.destroy();
    await embedded.stop();
  }
}

void main();
