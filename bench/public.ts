// The public site against the ceiling: `npx tsx bench/public.ts` (embedded database) or with
// DATABASE_URL=postgres://… (creates and drops a scratch database). Two child processes run
// bench/public-server.ts, compiled as `npm start` compiles the app and with its Node flags, so the figures
// are the deployed portal's: one serves the app with one release in it, the other the ceiling, a minimal
// Express 5 + Handlebars page rendering the 56 states and territories as a table. This process drives
// each with autocannon in turn (asking for `br, gzip` as browsers do, then again without compression)
// and prints throughput as a ratio of the ceiling's, p99 latency, and the app process's RSS, with the
// machine's load average. Budgets (DESIGN section 7): at least 90% of the ceiling compressed, p99 ≤ 30
// ms at 50 connections, RSS ≤ 200 MB. BENCH_FROZEN=0 turns frozen responses off; BENCH_LAYERS=1 prints
// what each layer of the app's stack costs per request. BENCH_PIN=1 (Linux, two cores or more) pins this
// process, the load generator, to core 0 and each server to core 1, so that the servers' tail latency is
// not the generator's: on a two-core machine the two otherwise take turns on both cores.
// BENCH_GENERATOR=wrk drives the same runs with wrk (bench/wrk.ts says why) as a cross-check.
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import autocannon from 'autocannon';
import { buildSync } from 'esbuild';
import { migrateToLatest, openDb, type Db } from '../src/platform/db';
import { fromRoot, ROOT } from '../src/platform/paths';
import { loadReference } from '../src/reference/store';
import { insertTestRelease } from '../test/support/public-release';
import { createCases } from '../src/cases/service';
import { syntheticCaseFile } from './cases-file';
import type { FromServer, StateRow, ToServer } from './public-server';
import { runWrk, type LoadResult } from './wrk';

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const LABEL = '2026-Q3';

// BENCH_TARGETS=/a,/b measures other paths (to find where time goes); the budgets are for these.
const TARGETS = process.env.BENCH_TARGETS?.split(',') ?? [
  '/',
  '/map',
  '/data',
  '/es/map',
  `/data/releases/${LABEL}/by_state.csv`,
];
const COMPRESSED = 'br, gzip';

// Returns the ceiling's table: the states and territories, from the project's reference data.
async function seed(db: Db): Promise<StateRow[]> {
  await migrateToLatest(db);
  const reference = await loadReference(db);
  await insertTestRelease(db, reference, { label: LABEL });
  // BENCH_CASES=N also fills the public record, for its pages (bench/cases.ts measures the importer).
  if (process.env.BENCH_CASES) {
    const file = syntheticCaseFile(reference, Number(process.env.BENCH_CASES));
    await createCases({ db, reference, today: () => new Date() }).importFile(file);
  }
  return reference.states.map((state) => ({ code: state.usps, name: state.nameEn, fips: state.fips }));
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

function receiveLayers(child: Child): Promise<{ name: string; calls: number; us: number }[]> {
  const answer = receive(child.process, 'layers');
  child.tell('layers');
  return answer.then((message) => message.layers);
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

async function run(
  name: string,
  url: string,
  seconds: number,
  probe: Probe,
  acceptEncoding = COMPRESSED,
): Promise<Run> {
  const before = (await probe()).cpu;
  const result = WRK
    ? await runWrk({ url, connections: CONNECTIONS, seconds, acceptEncoding })
    : fromAutocannon(
        await autocannon({
          url,
          connections: CONNECTIONS,
          duration: seconds,
          headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {},
          ...(process.env.BENCH_WORKERS ? { workers: Number(process.env.BENCH_WORKERS) } : {}),
        }),
      );
  const after = (await probe()).cpu;
  const cpu = after.user - before.user + after.system - before.system;
  return {
    name,
    rps: result.rps,
    cpuUs: cpu / Math.max(1, result.total),
    p99: result.p99,
    bytes: result.bytesPerSecond / Math.max(1, result.rps),
    errors: result.errors,
  };
}

function fromAutocannon(result: autocannon.Result): LoadResult {
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    total: result.requests.total,
    bytesPerSecond: result.throughput.average,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

const PIN = process.env.BENCH_PIN === '1' && cpus().length >= 2;
const WRK = process.env.BENCH_GENERATOR === 'wrk';

/** Moves a process (all its threads) onto one core with util-linux's taskset. */
function pinTo(pid: number, core: number): void {
  execFileSync('taskset', ['-a', '-c', '-p', String(core), String(pid)], { stdio: 'ignore' });
}

async function main(): Promise<void> {
  if (PIN) pinTo(process.pid, 0);
  const serverUrl = process.env.DATABASE_URL;
  let scratch: { name: string; url: string; admin: Db } | undefined;
  let states: StateRow[] = [];
  if (serverUrl) {
    const name = `represalia_bench_${randomBytes(4).toString('hex')}`;
    const admin = openDb(serverUrl, { maxConnections: 1 });
    await admin.raw('create database ??', [name]);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const db = openDb(url.toString(), { maxConnections: 2 });
    states = await seed(db);
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
    if (PIN && child.pid) pinTo(child.pid, 1);
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
  let yardstick: Child | undefined;
  try {
    if (!scratch) {
      // Embedded: the child holds the database; seed it through its socket, then let the app start.
      const { url } = await receive(app.process, 'database');
      const db = openDb(url, { maxConnections: 1 });
      states = await seed(db);
      await db.destroy();
      app.tell('seeded');
    }
    const ceilingProcess = start(['minimal', JSON.stringify(states)]);
    yardstick = ceilingProcess;
    const origin = `http://127.0.0.1:${(await receive(app.process, 'listening')).port}`;
    const minimalUrl = `http://127.0.0.1:${(await receive(ceilingProcess.process, 'listening')).port}/`;
    const atStart = await app.probe();
    // Warm up: the first request of each page builds its cache entry (and reads the map geometry).
    for (const path of TARGETS) await run(`warm ${path}`, origin + path, 1, app.probe);
    await run('warm ceiling', minimalUrl, 1, ceilingProcess.probe);
    const warmed = await app.probe();

    // The ceiling is measured before and after the app, and their mean is the yardstick: the machine is
    // shared, and its load drifts within a run.
    const ceilingBefore = await run('ceiling (before)', minimalUrl, DURATION_S, ceilingProcess.probe);
    const runs: { compressed: Run; plain: Run }[] = [];
    for (const path of TARGETS) {
      const compressed = await run(path, origin + path, DURATION_S, app.probe);
      const plain = await run(`${path} (uncompressed)`, origin + path, DURATION_S, app.probe, '');
      runs.push({ compressed, plain });
    }
    const ceilingAfter = await run('ceiling (after)', minimalUrl, DURATION_S, ceilingProcess.probe);
    const ceiling = (ceilingBefore.rps + ceilingAfter.rps) / 2;
    // CPU per request against the ceiling's: on a shared machine throughput follows the neighbours'
    // load, while the CPU each request costs its own process moves much less.
    const ceilingCpu = (ceilingBefore.cpuUs + ceilingAfter.cpuUs) / 2;
    const memory = await app.probe();
    const layers = process.env.BENCH_LAYERS === '1' ? await receiveLayers(app) : [];

    const mode = serverUrl ? 'PostgreSQL server' : 'embedded PGlite';
    const frozen = process.env.BENCH_FROZEN === '0' ? 'frozen responses off' : 'frozen responses on';
    const pinned = PIN ? '; generator pinned to core 0, servers to core 1' : '';
    const generator = WRK ? 'wrk' : 'autocannon';
    console.log(
      `public site vs the ceiling (minimal Express 5 + Handlebars, 56-row table); ${generator}, ${CONNECTIONS} connections, ${DURATION_S} s each, Accept-Encoding "${COMPRESSED}" unless uncompressed; ${mode}; ${frozen}${pinned}`,
    );
    console.log(
      `load average at the end (1, 5, 15 min): ${loadavg()
        .map((n) => n.toFixed(2))
        .join(', ')} on ${cpus().length} cores`,
    );
    console.log(
      `${'target'.padEnd(44)} ${'req/s'.padStart(8)} ${'ratio'.padStart(6)} ${'p99 ms'.padStart(7)} ${'KiB/resp'.padStart(9)} ${'cpu µs/req'.padStart(10)} ${'cpu ratio'.padStart(9)} errors`,
    );
    const line = (r: Run): string =>
      `${r.name.padEnd(44)} ${r.rps.toFixed(0).padStart(8)} ${(r.rps / ceiling).toFixed(2).padStart(6)} ${r.p99.toFixed(1).padStart(7)} ${(r.bytes / 1024).toFixed(1).padStart(9)} ${r.cpuUs.toFixed(0).padStart(10)} ${(ceilingCpu / r.cpuUs).toFixed(2).padStart(9)} ${r.errors}`;
    console.log(line(ceilingBefore));
    console.log(line(ceilingAfter));
    for (const r of runs) {
      console.log(line(r.compressed));
      console.log(line(r.plain));
    }
    const mb = (n: number): string => `${(n / 2 ** 20).toFixed(0)} MB`;
    console.log(
      `app RSS (JS heap in use): ${mb(atStart.rss)} (${mb(atStart.heapUsed)}) at start, ${mb(warmed.rss)} (${mb(warmed.heapUsed)}) after warm-up, ${mb(memory.rss)} (${mb(memory.heapUsed)}) at the end, ${mb(memory.peak)} peak`,
    );
    if (layers.length > 0) {
      console.log('what each layer of the app costs per request it sees (synchronous part, µs):');
      for (const layer of layers)
        console.log(
          `  ${layer.name.padEnd(40)} ${layer.us.toFixed(1).padStart(7)}  (${layer.calls} requests)`,
        );
    }

    const compressed = runs.map((r) => r.compressed);
    const failures = [
      ...compressed.filter((r) => r.rps / ceiling < 0.9).map((r) => `${r.name}: below 90% of the ceiling`),
      ...compressed.filter((r) => r.p99 > 30).map((r) => `${r.name}: p99 above 30 ms`),
      ...runs
        .flatMap((r) => [r.compressed, r.plain])
        .filter((r) => r.errors > 0)
        .map((r) => `${r.name}: ${r.errors} errors`),
      ...(memory.peak > 200 * 2 ** 20 ? ['RSS above 200 MB'] : []),
    ];
    console.log(failures.length === 0 ? 'budgets: all met' : `budgets missed:\n  ${failures.join('\n  ')}`);
    if (failures.length > 0) process.exitCode = 1;
  } finally {
    for (const child of yardstick ? [app, yardstick] : [app]) {
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
