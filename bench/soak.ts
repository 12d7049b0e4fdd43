// Soak: `npx tsx bench/soak.ts [--seconds 300] [--max-requests 200000] [--concurrency 16]`, embedded
// database by default, or DATABASE_URL=postgres://… (creates and drops a scratch database). A child
// process serves the app (one release, a desk key, rate limits off) on 127.0.0.1, compiled as `npm start`
// compiles it and run with its Node flags (the heap limit among them), so its memory is the deployed
// portal's and not tsx's; this process sends
// mixed traffic until the time or the request count runs out: public pages in both languages (60%),
// reports with a fresh form token each (25%) and status checks with receipts it was given (15%). The
// child's RSS is sampled every few seconds. Fails (exit 1) on any 5xx, on a receipt that does not lead
// to a stored report, on RSS over 200 MB (server database only: embedded, the child also holds PGlite's
// WebAssembly heap), or on an upward RSS trend after warm-up.
import { execFileSync, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildSync } from 'esbuild';
import { createApp } from '../src/app';
import { createDeskKey } from '../src/accounts/desk-keys';
import { loadConfig } from '../src/platform/config';
import { EMBEDDED_MAX_CONNECTIONS } from '../src/platform/database';
import { migrateToLatest, openDb } from '../src/platform/db';
import { startEmbeddedDatabase } from '../src/platform/embedded-db';
import { createLogger } from '../src/platform/logger';
import { fromRoot } from '../src/platform/paths';
import { loadReference } from '../src/reference/store';
import { generateDeskKeyPair } from '../src/reports/seal';
import { insertTestRelease } from '../test/support/public-release';

const LABEL = '2026-Q3';
const RSS_BUDGET_MB = 200;
const SAMPLE_EVERY_MS = 3000;
const PUBLIC_PATHS = [
  '/',
  '/map',
  '/map?view=field_office&year=2024',
  '/map/states.svg',
  '/data',
  '/data/releases',
  `/data/releases/${LABEL}`,
  `/data/releases/${LABEL}/by_state.csv`,
  '/api/v1/releases',
  `/api/v1/releases/${LABEL}/tables/by_field_office`,
  '/codebook',
  '/methodology',
].flatMap((p) => [p, `/es${p === '/' ? '/' : p}`]);

// Child: the database, one release, a desk key and the app, on a port it reports to the parent.
async function serve(url: string | undefined): Promise<void> {
  const dataDir = url ? undefined : await mkdtemp(path.join(tmpdir(), 'represalia-soak-'));
  const embedded = url ? undefined : await startEmbeddedDatabase({ dataDir: path.join(dataDir!, 'pgdata') });
  const db = openDb(url ?? embedded!.url, { maxConnections: embedded ? EMBEDDED_MAX_CONNECTIONS : 10 });
  await migrateToLatest(db);
  const reference = await loadReference(db);
  await insertTestRelease(db, reference, { label: LABEL });
  const desk = await generateDeskKeyPair();
  const session = randomBytes(32);
  await createDeskKey(db, session, desk.publicKey, '2026-11-01');
  const app = createApp({
    config: loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'silent', DATA_DIR: '/nonexistent' }),
    db,
    reference,
    secrets: { receipt: randomBytes(32), session },
    logger: createLogger({ level: 'silent' }),
    intake: { rateLimits: false },
  });
  const server = app.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
  });
  process.on('message', (message: string) => {
    if (message === 'rss') {
      // A full collection first, so the heap figure is what is retained, not garbage not yet collected.
      (globalThis as { gc?: () => void }).gc?.();
      const memory = process.memoryUsage();
      process.send?.({
        rss: {
          rss: memory.rss,
          heap: memory.heapUsed,
          heapTotal: memory.heapTotal,
          external: memory.external,
        },
      });
    }
    // Reports are staged until the daily move: an acknowledged report is in one table or the other
    // (staged rows are opaque, but the soak sends no follow-up messages, so each is a report).
    if (message === 'count')
      void db
        .raw('select (select count(*) from reports) + (select count(*) from intake_staged) as n')
        .then((result: { rows: { n: string }[] }) => process.send?.({ reports: Number(result.rows[0]!.n) }));
    if (message === 'stop') {
      server.close();
      server.closeAllConnections();
      void db
        .destroy()
        .then(() => embedded?.stop())
        .then(() => (dataDir ? rm(dataDir, { recursive: true, force: true }) : undefined))
        .then(() => process.exit(0));
    }
  });
}

function reportBody(token: string, n: number): string {
  const states = ['VT', 'NC', 'GA', 'OR', 'CO', 'MN'];
  return new URLSearchParams([
    ['token', token],
    ['state', states[n % states.length]!],
    ['field_office', ''],
    ['county', ''],
    ['month', String(1 + (n % 12))],
    ['year', '2025'],
    ['action', 'surveillance'],
    ['activism', 'organizing'],
    ['role', 'organizer'],
    ['evidence', 'personal_account'],
    ['narrative', n % 3 === 0 ? 'We were followed after the vigil. '.repeat(5) : ''],
    ['consent', 'yes'],
    ['website', ''],
  ]).toString();
}

interface Tally {
  requests: number;
  byKind: Record<'page' | 'report' | 'status', number[]>;
  statuses: Map<number, number>;
  receipts: string[];
  failures: string[];
}

async function timed(tally: Tally, kind: keyof Tally['byKind'], url: string, init?: RequestInit) {
  const started = performance.now();
  const response = await fetch(url, { redirect: 'manual', ...init });
  const text = await response.text();
  tally.byKind[kind].push(performance.now() - started);
  tally.requests += 1;
  tally.statuses.set(response.status, (tally.statuses.get(response.status) ?? 0) + 1);
  if (response.status >= 500) tally.failures.push(`${response.status} ${init?.method ?? 'GET'} ${url}`);
  return { status: response.status, text };
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

async function oneStep(base: string, tally: Tally, n: number): Promise<void> {
  const roll = Math.random();
  if (roll < 0.6 || (roll >= 0.85 && tally.receipts.length === 0)) {
    await timed(tally, 'page', base + PUBLIC_PATHS[n % PUBLIC_PATHS.length]!);
  } else if (roll < 0.85) {
    const prefix = n % 2 === 0 ? '' : '/es';
    const form = await timed(tally, 'page', `${base}${prefix}/report`);
    const token = /name="token" value="([A-Za-z0-9_-]+)"/.exec(form.text)?.[1] ?? '';
    const sent = await timed(tally, 'report', `${base}${prefix}/report`, {
      method: 'POST',
      headers: FORM,
      body: reportBody(token, n),
    });
    const receipt = /class="receipt"[^>]*>([^<]+)</.exec(sent.text)?.[1]?.trim();
    if (sent.status === 200 && receipt) tally.receipts.push(receipt);
    else tally.failures.push(`report answered ${sent.status} without a receipt`);
  } else {
    const receipt = tally.receipts[n % tally.receipts.length]!;
    const status = await timed(tally, 'status', `${base}/status`, {
      method: 'POST',
      headers: FORM,
      body: new URLSearchParams({ receipt }).toString(),
    });
    if (status.status !== 200) tally.failures.push(`status of a known receipt answered ${status.status}`);
  }
}

// The app as `npm start` builds it, and this file (with the test helper it seeds with) beside it, so
// that their imports of ../src resolve to the compiled app.
function compileChild(): string {
  execFileSync(process.execPath, [fromRoot('scripts/build.mjs')], { stdio: 'inherit' });
  buildSync({
    entryPoints: [fromRoot('bench/soak.ts'), fromRoot('test/support/public-release.ts')],
    outdir: fromRoot('dist'),
    outbase: fromRoot('.'),
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
  return fromRoot('dist/bench/soak.js');
}

/** The Node flags `npm start` runs the portal with (the heap limit among them). */
function startFlags(): string[] {
  const manifest = JSON.parse(readFileSync(fromRoot('package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  return manifest.scripts.start.split(/\s+/).filter((word) => word.startsWith('--'));
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Least-squares slope of RSS (MB) over time (minutes). */
function slopeMbPerMinute(samples: { t: number; mb: number }[]): number {
  const n = samples.length;
  if (n < 3) return 0;
  const mt = samples.reduce((s, x) => s + x.t, 0) / n;
  const mm = samples.reduce((s, x) => s + x.mb, 0) / n;
  const cov = samples.reduce((s, x) => s + (x.t - mt) * (x.mb - mm), 0);
  const varT = samples.reduce((s, x) => s + (x.t - mt) ** 2, 0);
  return varT === 0 ? 0 : cov / varT;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '300' },
      'max-requests': { type: 'string', default: '200000' },
      concurrency: { type: 'string', default: '16' },
    },
  });
  const seconds = Number(values.seconds);
  const maxRequests = Number(values['max-requests']);
  const concurrency = Number(values.concurrency);
  const serverUrl = process.env.DATABASE_URL;
  let scratch: { name: string; admin: ReturnType<typeof openDb> } | undefined;
  let childUrl: string | undefined;
  if (serverUrl) {
    const name = `represalia_soak_${randomBytes(4).toString('hex')}`;
    const admin = openDb(serverUrl, { maxConnections: 1 });
    await admin.raw('create database ??', [name]);
    scratch = { name, admin };
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    childUrl = url.toString();
  }
  const child = fork(compileChild(), ['serve', ...(childUrl ? [childUrl] : [])], {
    // SOAK_NODE_FLAGS="…" tries other Node flags than npm start's.
    execArgv: [...(process.env.SOAK_NODE_FLAGS?.split(' ') ?? startFlags()), '--expose-gc'],
  });
  const ask = <T>(message: string, key: string): Promise<T> =>
    new Promise((resolve) => {
      const listener = (reply: Record<string, T>) => {
        if (key in reply) {
          child.off('message', listener);
          resolve(reply[key]!);
        }
      };
      child.on('message', listener);
      child.send(message);
    });
  try {
    const port = await new Promise<number>((resolve) =>
      child.once('message', (m: { port: number }) => resolve(m.port)),
    );
    const base = `http://127.0.0.1:${port}`;
    const tally: Tally = {
      requests: 0,
      byKind: { page: [], report: [], status: [] },
      statuses: new Map(),
      receipts: [],
      failures: [],
    };
    const started = performance.now();
    const deadline = started + seconds * 1000;
    const samples: { t: number; mb: number; heapMb: number; heapTotalMb: number; externalMb: number }[] = [];
    const sample = async () => {
      const memory = await ask<{ rss: number; heap: number; heapTotal: number; external: number }>(
        'rss',
        'rss',
      );
      const t = (performance.now() - started) / 60_000;
      const mb = (n: number) => n / 1024 / 1024;
      samples.push({
        t,
        mb: mb(memory.rss),
        heapMb: mb(memory.heap),
        heapTotalMb: mb(memory.heapTotal),
        externalMb: mb(memory.external),
      });
    };
    await sample();
    const sampler = setInterval(() => void sample(), SAMPLE_EVERY_MS);
    let n = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < deadline && tally.requests < maxRequests) {
          n += 1;
          await oneStep(base, tally, n);
        }
      }),
    );
    clearInterval(sampler);
    await sample();
    const elapsed = (performance.now() - started) / 1000;
    const stored = await ask<number>('count', 'reports');

    // The trend after warm-up (the first fifth of the run, or 30 s): least-squares slope, and the mean of
    // the last third of those samples against the first third; for RSS, and for the heap left after a
    // full collection (what the app retains, without the allocator's and V8's slack).
    const warm = samples.filter((s) => s.t * 60 >= Math.min(30, seconds / 5));
    const trend = (pick: (s: (typeof samples)[number]) => number) => {
      const points = warm.map((s) => ({ t: s.t, mb: pick(s) }));
      const third = Math.max(1, Math.floor(points.length / 3));
      const mean = (xs: { mb: number }[]) => xs.reduce((sum, x) => sum + x.mb, 0) / Math.max(1, xs.length);
      const early = mean(points.slice(0, third));
      const late = mean(points.slice(-third));
      const slope = slopeMbPerMinute(points);
      return { early, late, slope, growing: slope > 1 && late - early > 10 };
    };
    const rss = trend((s) => s.mb);
    const heap = trend((s) => s.heapMb);
    const peak = Math.max(...samples.map((s) => s.mb));

    const fivexx = [...tally.statuses].filter(([s]) => s >= 500).reduce((sum, [, c]) => sum + c, 0);
    console.log(
      `soak: ${elapsed.toFixed(0)} s, ${concurrency} concurrent clients, ${serverUrl ? 'server' : 'embedded'} database`,
    );
    console.log(
      `requests: ${tally.requests} (${(tally.requests / elapsed).toFixed(0)}/s); statuses ${JSON.stringify(Object.fromEntries(tally.statuses))}`,
    );
    for (const [kind, times] of Object.entries(tally.byKind)) {
      console.log(
        `  ${kind}: ${times.length}, p50 ${percentile(times, 50).toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(1)} ms`,
      );
    }
    console.log(`reports: ${tally.receipts.length} receipts, ${stored} stored`);
    const describe = (t: ReturnType<typeof trend>) =>
      `${t.early.toFixed(0)} → ${t.late.toFixed(0)} MB, slope ${t.slope.toFixed(2)} MB/min`;
    console.log(
      `rss: start ${samples[0]!.mb.toFixed(0)} MB, peak ${peak.toFixed(0)} MB, end ${samples.at(-1)!.mb.toFixed(0)} MB; ` +
        `after warm-up ${describe(rss)} (${warm.length} samples)`,
    );
    console.log(`heap after gc: after warm-up ${describe(heap)}`);
    const last = samples.at(-1)!;
    console.log(
      `at the end: V8 heap reserved ${last.heapTotalMb.toFixed(0)} MB (in use ${last.heapMb.toFixed(0)} MB), ` +
        `external (buffers, WebAssembly) ${last.externalMb.toFixed(0)} MB; the rest of the RSS is code, stacks and native allocations`,
    );
    const problems = [
      ...(fivexx > 0 ? [`${fivexx} answers were 5xx`] : []),
      ...tally.failures.slice(0, 5),
      ...(stored !== tally.receipts.length
        ? [`${tally.receipts.length} receipts but ${stored} stored reports`]
        : []),
      // The budget is the app's: on the embedded database the child also hosts PGlite's WebAssembly heap.
      ...(serverUrl && peak > RSS_BUDGET_MB
        ? [`RSS peaked at ${peak.toFixed(0)} MB, over ${RSS_BUDGET_MB} MB`]
        : []),
      ...(rss.growing ? ['RSS kept growing after warm-up'] : []),
      ...(heap.growing ? ['the retained heap kept growing after warm-up'] : []),
    ];
    console.log(problems.length === 0 ? 'check: passed' : `CHECK FAILED: ${problems.join('; ')}`);
    if (problems.length > 0) process.exitCode = 1;
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
else
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
