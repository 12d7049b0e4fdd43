// The public site against a minimal page: `npx tsx bench/public.ts` (embedded database) or with
// DATABASE_URL=postgres://… (creates and drops a scratch database). Two child processes run
// bench/public-server.ts, compiled as `npm start` compiles the app and with its Node flags, so the figures
// are the deployed portal's: one serves the app with one release in it, the other a minimal Express 5 +
// Handlebars page. This process drives each with autocannon in turn and prints throughput as a ratio of
// the minimal page's, p99 latency, and the app process's RSS. Budgets (DESIGN section 7): at least 60%
// of the minimal page, p99 ≤ 50 ms at 50 connections, RSS ≤ 200 MB.
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { buildSync } from 'esbuild';
import { migrateToLatest, openDb, type Db } from '../src/platform/db';
import { fromRoot, ROOT } from '../src/platform/paths';
import { loadReference } from '../src/reference/store';
import { insertTestRelease } from '../test/support/public-release';
import { createCases } from '../src/cases/service';
import { syntheticCaseFile } from './cases-file';
import type { FromServer, ToServer } from './public-server';

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const LABEL = '2026-Q3';

// BENCH_TARGETS=/a,/b measures other paths (to find where time goes); the budgets are for these four.
const TARGETS = process.env.BENCH_TARGETS?.split(',') ?? [
  '/',
  '/map',
  '/data',
  `/data/releases/${LABEL}/by_state.csv`,
];

async function seed(db: Db): Promise<void> {
  await migrateToLatest(db);
  await insertTestRelease(db, await loadReference(db), { label: LABEL });
  // BENCH_CASES=N also fills the public record, for its pages (bench/cases.ts measures the importer).
  if (process.env.BENCH_CASES) {
    const reference = await loadReference(db);
    const file = syntheticCaseFile(reference, Number(process.env.BENCH_CASES));
    await createCases({ db, reference, today: () => new Date() }).importFile(file);
  }
}

// The app as `npm start` builds it, plus the bench's server script beside it (its imports of ../src
// then resolve to the compiled app).
function compileServer(): string {
  execFileSync(process.execPath, [fromRoot('scripts/build.mjs')], { stdio: 'inherit' });
  const outfile = fromRoot('dist/bench/public-server.js');
  buildSync({
    entryPoints: [fromRoot('bench/public-server.ts')],
    outfile,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
  return outfile;
}

/** The Node flags `npm start` runs the portal with (the heap limit among them). */
function startFlags(): string[] {
  const manifest = JSON.parse(readFileSync(fromRoot('package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  return manifest.scripts.start.split(/\s+/).filter((word) => word.startsWith('--'));
}

/** Waits for the child's next message of a kind. */
function receive<K extends FromServer['kind']>(
  child: ChildProcess,
  kind: K,
): Promise<Extract<FromServer, { kind: K }>> {
  return new Promise((resolve) => {
    const listener = (message: FromServer): void => {
      if (message.kind !== kind) return;
      child.off('message', listener);
      resolve(message as Extract<FromServer, { kind: K }>);
    };
    child.on('message', listener);
  });
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

type Probe = () => Promise<Extract<FromServer, { kind: 'probe' }>>;

interface Child {
  process: ChildProcess;
  tell(message: ToServer): void;
  probe: Probe;
}

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
  const serverScript = compileServer();
  const start = (args: string[]): Child => {
    const child = fork(serverScript, args, {
      cwd: ROOT,
      // Plain Node with `npm start`'s flags, not this process's tsx loader (fork passes its own flags on).
      execArgv: process.env.BENCH_NODE_FLAGS?.split(' ') ?? startFlags(),
    });
    return {
      process: child,
      tell: (message) => void child.send(message),
      probe: () => {
        const answer = receive(child, 'probe');
        child.send('probe');
        return answer;
      },
    };
  };
  const app = start(['app', ...(scratch ? [scratch.url] : [])]);
  const yardstick = start(['minimal']);
  try {
    if (!scratch) {
      // Embedded: the child holds the database; seed it through its socket, then let the app start.
      const { url } = await receive(app.process, 'database');
      const db = openDb(url, { maxConnections: 1 });
      await seed(db);
      await db.destroy();
      app.tell('seeded');
    }
    const origin = `http://127.0.0.1:${(await receive(app.process, 'listening')).port}`;
    const minimalUrl = `http://127.0.0.1:${(await receive(yardstick.process, 'listening')).port}/`;
    const atStart = await app.probe();
    // Warm up: the first request of each page builds its cache entry (and reads the map geometry).
    for (const path of TARGETS) await run(`warm ${path}`, origin + path, 1, app.probe);
    await run('warm minimal', minimalUrl, 1, yardstick.probe);
    const warmed = await app.probe();

    const minimal = await run('minimal page', minimalUrl, DURATION_S, yardstick.probe);
    const runs: Run[] = [];
    for (const path of TARGETS) runs.push(await run(path, origin + path, DURATION_S, app.probe));
    const memory = await app.probe();

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
      `child RSS (JS heap in use): ${mb(atStart.rss)} (${mb(atStart.heapUsed)}) at start, ${mb(warmed.rss)} (${mb(warmed.heapUsed)}) after warm-up, ${mb(memory.rss)} (${mb(memory.heapUsed)}) at the end, ${mb(memory.peak)} peak`,
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
    for (const child of [app, yardstick]) {
      child.tell('stop');
      await new Promise((resolve) => child.process.once('exit', resolve));
    }
    if (scratch) {
      await scratch.admin.raw('drop database if exists ?? with (force)', [scratch.name]);
      await scratch.admin.destroy();
    }
  }
}

void main();
