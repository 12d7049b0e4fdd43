// The public site against a minimal page: `npx tsx bench/public.ts` (embedded database) or with
// DATABASE_URL=postgres://… (creates and drops a scratch database). A child process serves both the app,
// with one release in it, and a minimal Express 5 + Handlebars page; this process drives each with
// autocannon in turn and prints throughput as a ratio of the minimal page's, p99 latency, and the child's
// peak RSS. Budgets (DESIGN section 7): at least 60% of the minimal page, p99 ≤ 50 ms at 50 connections,
// RSS ≤ 200 MB.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import express from 'express';
import Handlebars from 'handlebars';
import { createApp } from '../src/app';
import { loadConfig } from '../src/platform/config';
import { migrateToLatest, openDb, type Db } from '../src/platform/db';
import { startEmbeddedDatabase } from '../src/platform/embedded-db';
import { createLogger } from '../src/platform/logger';
import { loadReference } from '../src/reference/store';
import { insertTestRelease } from '../test/support/public-release';
import { EMBEDDED_MAX_CONNECTIONS } from '../src/platform/database';

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const LABEL = '2026-Q3';

const TARGETS = ['/', '/map', '/data', `/data/releases/${LABEL}/by_state.csv`];

// A page as small as an Express 5 + Handlebars page gets: the yardstick for "served from a release".
function minimalApp(): express.Express {
  const app = express();
  const template = Handlebars.compile(
    '<!doctype html><html lang="{{lang}}"><head><title>{{title}}</title></head><body><h1>{{title}}</h1><p>{{text}}</p></body></html>',
  );
  app.get('/', (_req, res) => {
    res.type('html').send(template({ lang: 'en', title: 'Minimal', text: 'Hello.' }));
  });
  return app;
}

function listen(app: express.Express): Promise<number> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}

async function seed(db: Db): Promise<void> {
  await migrateToLatest(db);
  await insertTestRelease(db, await loadReference(db), { label: LABEL });
}

// Child: the database (embedded unless a URL is given), the app and the minimal page.
async function serve(url: string | undefined): Promise<void> {
  const embedded = url ? undefined : await startEmbeddedDatabase();
  const db = openDb(url ?? embedded!.url, { maxConnections: url ? 10 : EMBEDDED_MAX_CONNECTIONS });
  if (embedded) await seed(db);
  const app = createApp({
    config: loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'silent', DATA_DIR: '/nonexistent' }),
    db,
    reference: await loadReference(db),
    secrets: { receipt: randomBytes(32), session: randomBytes(32) },
    logger: createLogger({ level: 'silent' }),
  });
  let peak = 0;
  setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50).unref();
  process.on('message', (message: string) => {
    if (message === 'rss') process.send?.({ rss: process.memoryUsage().rss, peak, cpu: process.cpuUsage() });
    if (message === 'stop')
      void db
        .destroy()
        .then(() => embedded?.stop())
        .then(() => process.exit(0));
  });
  process.send?.({ app: await listen(app), minimal: await listen(minimalApp()) });
}

interface Run {
  name: string;
  rps: number;
  /** Server CPU time per request, user + system, in microseconds: independent of the load generator. */
  cpuUs: number;
  p99: number;
  bytes: number;
  errors: number;
}

type Probe = () => Promise<{ rss: number; peak: number; cpu: NodeJS.CpuUsage }>;

async function run(name: string, url: string, seconds: number, probe: Probe): Promise<Run> {
  const before = (await probe()).cpu;
  // As a browser asks: gzip accepted (the minimal page is too small for it to matter).
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    headers: { 'accept-encoding': 'gzip, deflate, br' },
    ...(process.env.BENCH_WORKERS ? { workers: Number(process.env.BENCH_WORKERS) } : {}),
  });
  const after = (await probe()).cpu;
  const cpu = after.user - before.user + after.system - before.system;
  return {
    name,
    rps: result.requests.average,
    cpuUs: cpu / Math.max(1, result.requests.total),
    p99: result.latency.p99,
    bytes: result.throughput.average / Math.max(1, result.requests.average),
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

async function main(): Promise<void> {
  const serverUrl = process.env.DATABASE_URL;
  let scratch: { name: string; url: string; admin: Db } | undefined;
  if (serverUrl) {
    const name = `represalia_bench_${randomBytes(4).toString('hex')}`;
    const admin = openDb(serverUrl, { maxConnections: 1 });
    await admin.raw('create database ??', [name]);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const db = openDb(url.toString(), { maxConnections: 2 });
    await seed(db);
    await db.destroy();
    scratch = { name, url: url.toString(), admin };
  }
  const child = fork(__filename, ['serve', ...(scratch ? [scratch.url] : [])], {
    execArgv: ['--import', 'tsx'],
  });
  const rss: Probe = () =>
    new Promise((resolve) => {
      child.once('message', (m: { rss: number; peak: number; cpu: NodeJS.CpuUsage }) => resolve(m));
      child.send('rss');
    });
  try {
    const ports = await new Promise<{ app: number; minimal: number }>((resolve) =>
      child.once('message', (m: { app: number; minimal: number }) => resolve(m)),
    );
    const origin = `http://127.0.0.1:${ports.app}`;
    const atStart = (await rss()).rss;
    // Warm up: the first request of each page builds its cache entry (and the map geometry).
    for (const path of TARGETS) await run(`warm ${path}`, origin + path, 1, rss);
    await run('warm minimal', `http://127.0.0.1:${ports.minimal}/`, 1, rss);
    const warmed = (await rss()).rss;

    const minimal = await run('minimal page', `http://127.0.0.1:${ports.minimal}/`, DURATION_S, rss);
    const runs: Run[] = [];
    for (const path of TARGETS) runs.push(await run(path, origin + path, DURATION_S, rss));
    const memory = await rss();

    const mode = serverUrl ? 'PostgreSQL server' : 'embedded PGlite';
    console.log(
      `public site vs minimal Express 5 + Handlebars page; ${CONNECTIONS} connections, ${DURATION_S} s each, ${mode}`,
    );
    console.log(
      `${'target'.padEnd(34)} ${'req/s'.padStart(8)} ${'ratio'.padStart(6)} ${'p99 ms'.padStart(7)} ${'KiB/resp'.padStart(9)} ${'cpu µs/req'.padStart(10)} errors`,
    );
    const line = (r: Run): string =>
      `${r.name.padEnd(34)} ${r.rps.toFixed(0).padStart(8)} ${(r.rps / minimal.rps).toFixed(2).padStart(6)} ${String(r.p99).padStart(7)} ${(r.bytes / 1024).toFixed(1).padStart(9)} ${r.cpuUs.toFixed(0).padStart(10)} ${r.errors}`;
    console.log(line(minimal));
    for (const r of runs) console.log(line(r));
    const mb = (n: number): string => `${(n / 2 ** 20).toFixed(0)} MB`;
    console.log(
      `child RSS: ${mb(atStart)} at start, ${mb(warmed)} after warm-up, ${mb(memory.rss)} at the end, ${mb(memory.peak)} peak`,
    );

    const failures = [
      ...runs.filter((r) => r.rps / minimal.rps < 0.6).map((r) => `${r.name}: below 60% of the minimal page`),
      ...runs.filter((r) => r.p99 > 50).map((r) => `${r.name}: p99 above 50 ms`),
      ...runs.filter((r) => r.errors > 0).map((r) => `${r.name}: ${r.errors} errors`),
      ...(memory.peak > 200 * 2 ** 20 ? ['RSS above 200 MB'] : []),
    ];
    console.log(failures.length === 0 ? 'budgets: all met' : `budgets missed:\n  ${failures.join('\n  ')}`);
    if (failures.length > 0) process.exitCode = 1;
  } finally {
    child.send('stop');
    await new Promise((resolve) => child.once('exit', resolve));
    if (scratch) {
      await scratch.admin.raw('drop database if exists ?? with (force)', [scratch.name]);
      await scratch.admin.destroy();
    }
  }
}

if (process.argv[2] === 'serve') void serve(process.argv[3]);
else void main();
