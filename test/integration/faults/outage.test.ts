import { createServer, type Server, type Socket, connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import request from 'supertest';
import { openDb, type Db } from '../../../src/platform/db';
import { open } from '../../../src/reports/seal';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { withDatabase } from '../../support/urls';
import {
  addDeskKey,
  buildIntakeApp,
  encode,
  moveStaged,
  receiptOf,
  reportIdOf,
  tokenOf,
  validReport,
  type IntakeTestApp,
} from '../intake/support';
import type { DeskKeyPair } from '../../../src/reports/seal';
import { describeNeeding } from '../../support/requirements';

// Promise 7 under a database outage, on the machine's PostgreSQL (never stopped: it is shared). The app
// reaches its database through a TCP relay in this process. The outage: the relay stops accepting, and
// the app's backends (application_name 'represalia' on this test's database only) are killed with
// pg_terminate_backend, again and again while it lasts. Meanwhile reports keep being sent. During the
// outage the app answers 503 with a translated page and /healthz says so; afterwards it recovers by
// itself; every report that got a receipt is stored exactly once, and none that got an error is.
// Embedded mode has no backends to terminate, so the test needs DATABASE_URL.

const serverUrl = process.env.DATABASE_URL;
const describeOnServer = describeNeeding(
  'server',
  Boolean(serverUrl),
  'it terminates PostgreSQL backends, so it needs DATABASE_URL (the embedded database has none)',
);

/** A TCP relay to the database that can refuse new connections for a while. */
class Relay {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(
    private readonly host: string,
    private readonly targetPort: number,
  ) {}

  async open(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.targetPort, this.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** New connections are refused; open ones stay (the database side ends them). */
  async refuse(): Promise<void> {
    // close() stops listening at once; its callback would wait for the open connections to end.
    this.server?.close();
    this.server = undefined;
    return Promise.resolve();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await this.refuse();
  }
}

interface Attempt {
  tag: string;
  status: number;
  receipt?: string;
  startedAt: number;
  endedAt: number;
  lang: 'en' | 'es';
  text: string;
}

let database: TestDatabase;
let relay: Relay;
let appDb: Db;
let testApp: IntakeTestApp;
let desk: DeskKeyPair;
let killer: Client;
let databaseName: string;

// knex prints each refused connection to the console; the app's own log is what this file checks.
let quiet: jest.SpyInstance | undefined;

beforeAll(async () => {
  if (!serverUrl) return;
  quiet = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  database = await createTestDatabase();
  desk = await addDeskKey(database.db);
  const target = new URL(database.url);
  databaseName = target.pathname.slice(1);
  relay = new Relay(target.hostname, Number(target.port || 5432));
  await relay.open();
  const relayed = new URL(database.url);
  relayed.hostname = '127.0.0.1';
  relayed.port = String(relay.port);
  appDb = openDb(relayed.toString(), { maxConnections: 5 });
  testApp = await buildIntakeApp(appDb, { intake: { rateLimits: false } });
  // The terminating session connects to the server's maintenance database under its own name.
  killer = new Client({
    connectionString: withDatabase(serverUrl, 'postgres'),
    application_name: 'represalia-fault',
  });
  await killer.connect();
});
afterAll(async () => {
  if (!serverUrl) return;
  quiet?.mockRestore();
  await killer.end();
  await appDb.destroy();
  await relay.close();
  await database.destroy();
});

/** Terminates the app's backends on this test's database, and only those. */
async function terminateAppBackends(): Promise<number> {
  const result = await killer.query(
    `select count(*) filter (where pg_terminate_backend(pid))::int as n from pg_stat_activity
      where application_name = 'represalia' and datname = $1 and pid <> pg_backend_pid()`,
    [databaseName],
  );
  return (result.rows[0] as { n: number }).n;
}

let sequence = 0;
/** One reporter: GET the form (no database needed), POST it with a tagged narrative. */
async function submitOne(lang: 'en' | 'es'): Promise<Attempt> {
  sequence += 1;
  const tag = `outage-${process.pid}-${sequence}`;
  const prefix = lang === 'es' ? '/es' : '';
  const startedAt = performance.now();
  const form = await request(testApp.app).get(`${prefix}/report`).expect(200);
  const response = await request(testApp.app)
    .post(`${prefix}/report`)
    .type('form')
    .send(encode({ ...validReport({ narrative: tag }), token: tokenOf(form.text) }));
  return {
    tag,
    status: response.status,
    ...(response.status === 200 ? { receipt: receiptOf(response.text) } : {}),
    startedAt,
    endedAt: performance.now(),
    lang,
    text: response.text,
  };
}

// Receipts handed out so far, so the test waits on progress rather than on a fixed time (CI may be busy).
let receipted = 0;

/** `workers` reporters sending one report after another until `stop()` says so. */
function reporters(workers: number, stop: () => boolean): Promise<Attempt[]> {
  return Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      const attempts: Attempt[] = [];
      while (!stop()) {
        const attempt = await submitOne(worker % 2 === 0 ? 'en' : 'es');
        if (attempt.status === 200) receipted++;
        attempts.push(attempt);
      }
      return attempts;
    }),
  ).then((lists) => lists.flat());
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for progress; fails, rather than carrying on as if it had come, when it does not within the time. */
async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const started = performance.now();
  while (!condition()) {
    if (performance.now() - started >= timeoutMs) throw new Error(`no progress within ${timeoutMs} ms`);
    await sleep(50);
  }
}

describeOnServer('a database outage while reports are being sent', () => {
  it('answers 503 during it, recovers by itself, and stores exactly the reports that got a receipt', async () => {
    let stopped = false;
    const running = reporters(6, () => stopped);
    await waitFor(() => receipted >= 3, 60_000);

    // The outage: refuse new connections, then terminate every backend of the app, for three seconds.
    await relay.refuse();
    const outageStart = performance.now();
    let terminated = 0;
    const healthDuring: request.Response[] = [];
    while (performance.now() - outageStart < 3000) {
      terminated += await terminateAppBackends();
      healthDuring.push(await request(testApp.app).get('/healthz'));
      await sleep(250);
    }
    const outageEnd = performance.now();
    await relay.open();

    // Recovery by itself: no restart, no pool reset; /healthz turns 200 within a few seconds.
    let recoveredAfterMs = -1;
    for (let waited = 0; waited < 15_000; waited += 100) {
      if ((await request(testApp.app).get('/healthz')).status === 200) {
        recoveredAfterMs = performance.now() - outageEnd;
        break;
      }
      await sleep(100);
    }
    const receiptedAtRecovery = receipted;
    await waitFor(() => receipted >= receiptedAtRecovery + 3, 60_000);
    stopped = true;
    const attempts = await running;

    expect(terminated).toBeGreaterThan(0);
    expect(recoveredAfterMs).toBeGreaterThanOrEqual(0);

    // Only two outcomes: a receipt, or a translated 503. Never a 500, never anything else.
    const internal = testApp
      .logs()
      .split('\n')
      .filter((line) => line.includes('"code":"internal"'));
    expect(internal).toEqual([]);
    const statuses = new Set(attempts.map((attempt) => attempt.status));
    expect([...statuses].sort()).toEqual([200, 503]);
    for (const attempt of attempts.filter((a) => a.status === 503)) {
      expect(attempt.text).toContain(`<html lang="${attempt.lang}">`);
      expect(attempt.text).toContain(
        attempt.lang === 'es' ? 'No disponible por ahora' : 'Temporarily unavailable',
      );
    }
    // Every request that began and ended inside the outage failed, and some did.
    const inside = attempts.filter((a) => a.startedAt > outageStart + 200 && a.endedAt < outageEnd);
    expect(inside.length).toBeGreaterThan(0);
    expect(inside.filter((a) => a.status !== 503)).toEqual([]);
    // /healthz said so during the outage.
    expect(healthDuring.length).toBeGreaterThan(0);
    for (const health of healthDuring) {
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({ status: 'unavailable', database: 'unreachable' });
    }
    // Reports were accepted before, and again after, the outage.
    expect(attempts.some((a) => a.status === 200 && a.endedAt < outageStart)).toBe(true);
    expect(attempts.some((a) => a.status === 200 && a.startedAt > outageEnd + recoveredAfterMs)).toBe(true);

    // Exactly once: after the daily move, the stored narratives are exactly the tags that got a
    // receipt, each once.
    await moveStaged(database.db);
    const rows: { id: string; narrative_sealed: Buffer }[] = await database
      .db('reports')
      .select('id', 'narrative_sealed');
    const stored = await Promise.all(
      rows.map(async (row) => ({ id: row.id, tag: await open(row.narrative_sealed, desk) })),
    );
    const acknowledged = attempts.filter((a) => a.status === 200);
    expect(stored.map((s) => s.tag).sort()).toEqual(acknowledged.map((a) => a.tag).sort());
    for (const attempt of acknowledged) {
      const id = await reportIdOf(database.db, attempt.receipt!);
      expect(stored.find((s) => s.id === id)?.tag).toBe(attempt.tag);
    }
    console.info(
      `outage: ${attempts.length} submissions, ${acknowledged.length} receipts, ` +
        `${attempts.length - acknowledged.length} answered 503, ${terminated} backends terminated, ` +
        `healthy again ${Math.round(recoveredAfterMs)} ms after the outage`,
    );
  });
});
