// Report submission against the real Postgres: `DATABASE_URL=postgres://… npx tsx bench/intake.ts`.
// Creates a scratch database, migrates it, serves the app in a child process with rate limits off, and
// drives POST /report with autocannon from this one, each request carrying its own single-use form
// token. A 200 means the report is staged (src/intake/staging.ts); the bench then runs the daily move
// (as `npm run intake:move -- --all`) and checks that the receipt of every 200 leads to its stored
// report. Prints accepted reports per second, p50 and p99 latency, and how long the move took.
// Budget (DESIGN section 7): at least 200 reports per second.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import autocannon from 'autocannon';
import { createApp } from '../src/app';
import { createDeskKey } from '../src/accounts/desk-keys';
import { issueFormToken } from '../src/intake/form-token';
import { moveStagedSubmissions } from '../src/intake/move';
import { hashReceipt } from '../src/intake/receipt';
import { loadConfig } from '../src/platform/config';
import { migrateToLatest, openDb } from '../src/platform/db';
import { createLogger } from '../src/platform/logger';
import { generateDeskKeyPair } from '../src/reports/seal';
import { loadReference } from '../src/reference/store';

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);

// Child: serves the app on the scratch database and reports its port.
async function serve(url: string, secretHex: string): Promise<void> {
  const db = openDb(url, { maxConnections: 20 });
  const app = createApp({
    config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: '/nonexistent' }),
    db,
    reference: await loadReference(db),
    // One secret for both in this bench: the parent authenticates the desk key with it.
    secrets: { receipt: Buffer.from(secretHex, 'hex'), session: Buffer.from(secretHex, 'hex') },
    logger: createLogger({ level: 'silent' }),
    intake: { rateLimits: false },
  });
  const server = app.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
  });
  // Requests whose client went away at the end of the run still finish before the pool closes.
  const pool = (db.client as { pool: { numUsed(): number; numPendingAcquires(): number } }).pool;
  const drained = async (): Promise<void> => {
    while (pool.numUsed() + pool.numPendingAcquires() > 0)
      await new Promise((resolve) => setTimeout(resolve, 50));
  };
  process.on('message', (message: string) => {
    if (message === 'cpu') {
      process.send?.({ cpu: process.cpuUsage() });
      return;
    }
    server.close(() => void drained().then(() => db.destroy().then(() => process.exit(0))));
    server.closeIdleConnections();
  });
}

function form(token: string): string {
  return new URLSearchParams([
    ['token', token],
    ['state', 'TX'],
    ['county', '48201'],
    ['field_office', ''],
    ['month', '3'],
    ['year', '2026'],
    ['action', 'surveillance'],
    ['action', 'arrest'],
    ['activism', 'organizing'],
    ['role', 'organizer'],
    ['evidence', 'personal_account'],
    ['narrative', 'We were followed after the vigil outside the detention centre. '.repeat(8)],
    ['consent', 'yes'],
    ['website', ''],
  ]).toString();
}

async function main(serverUrl: string): Promise<void> {
  const name = `represalia_bench_${randomBytes(4).toString('hex')}`;
  const admin = openDb(serverUrl, { maxConnections: 1 });
  await admin.raw('create database ??', [name]);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = openDb(url.toString(), { maxConnections: 2 });
  try {
    await migrateToLatest(db);
    const desk = await generateDeskKeyPair();
    const secret = randomBytes(32);
    await createDeskKey(db, secret, desk.publicKey, '2026-11-01');
    const child = fork(__filename, ['serve', url.toString(), secret.toString('hex')], {
      execArgv: [
        '--import',
        'tsx',
        ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []),
      ],
    });
    const port = await new Promise<number>((resolve) =>
      child.once('message', (m: { port: number }) => resolve(m.port)),
    );

    const cpu = (): Promise<NodeJS.CpuUsage> =>
      new Promise((resolve) => {
        const listener = (m: { cpu?: NodeJS.CpuUsage }) => {
          if (!m.cpu) return;
          child.off('message', listener);
          resolve(m.cpu);
        };
        child.on('message', listener);
        child.send('cpu');
      });
    const cpuBefore = await cpu();
    const receipts: string[] = [];
    let other = 0;
    const result = await autocannon({
      url: `http://127.0.0.1:${port}/report`,
      connections: CONNECTIONS,
      duration: DURATION_S,
      requests: [
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          // A fresh token per request: tokens are single use.
          setupRequest: (request) => ({ ...request, body: form(issueFormToken(secret, new Date())) }),
          onResponse: (status, body) => {
            const receipt = /class="receipt"[^>]*>([a-z-]+)</.exec(body)?.[1];
            if (status === 200 && receipt) receipts.push(receipt);
            else other += 1;
          },
        },
      ],
    });
    const cpuAfter = await cpu();
    const load = loadavg();
    child.send('stop');
    await new Promise((resolve) => child.once('exit', resolve));

    const moveStarted = performance.now();
    const moved = await moveStagedSubmissions(db, { receiptSecret: secret, today: new Date(), all: true });
    const moveSeconds = (performance.now() - moveStarted) / 1000;
    const hashes = receipts.map((receipt) => hashReceipt(receipt, secret));
    let found = 0;
    for (let start = 0; start < hashes.length; start += 1000) {
      const row = (await db('receipts as rec')
        .join('reports as r', 'r.id', 'rec.report_id')
        .whereIn('rec.hash', hashes.slice(start, start + 1000))
        .count({ n: '*' })
        .first()) as { n: string };
      found += Number(row.n);
    }
    const seconds = result.duration;
    console.log(`POST /report, ${CONNECTIONS} connections, ${seconds.toFixed(1)} s, rate limits off`);
    console.log(
      `accepted: ${receipts.length} reports, ${(receipts.length / seconds).toFixed(0)} per second; other answers: ${other}`,
    );
    console.log(`latency: p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`);
    // CPU time the app process spent per accepted report: what the machine's load does not change much.
    const cpuMs =
      (cpuAfter.user - cpuBefore.user + cpuAfter.system - cpuBefore.system) /
      1000 /
      Math.max(1, receipts.length);
    console.log(
      `app CPU per accepted report: ${cpuMs.toFixed(2)} ms (one core's worth: ${(1000 / cpuMs).toFixed(0)} reports/s); ` +
        `load average ${load.map((n) => n.toFixed(2)).join(', ')} on ${cpus().length} cores`,
    );
    console.log(
      `daily move: ${moved.reports} staged reports moved in one transaction in ${moveSeconds.toFixed(1)} s`,
    );
    const ok = found === receipts.length && other === 0;
    console.log(
      ok
        ? `check: all ${found} receipts lead to a stored report`
        : `CHECK FAILED: ${found} of ${receipts.length} receipts found, ${other} other answers`,
    );
    if (!ok || receipts.length / seconds < 200) process.exitCode = 1;
  } finally {
    await db.destroy();
    await admin.raw('drop database if exists ?? with (force)', [name]);
    await admin.destroy();
  }
}

if (process.argv[2] === 'serve') {
  void serve(process.argv[3] ?? '', process.argv[4] ?? '');
} else if (!process.env.DATABASE_URL) {
  process.stderr.write(
    'Set DATABASE_URL to a PostgreSQL server (the bench creates and drops its own database).\n',
  );
  process.exit(1);
} else {
  void main(process.env.DATABASE_URL);
}
