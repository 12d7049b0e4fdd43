import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedDatabase } from '../../../src/platform/embedded-db';
import { migrateToLatest, openDb, type Db } from '../../../src/platform/db';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { addDeskKey, encode, moveStaged, receiptOf, reportIdOf, tokenOf, validReport } from './support';

// Promise 7 across a crash: the real server process acknowledges a report, is killed with SIGKILL before
// any move, and starts again on the same database: the report is still there ("received") and the move
// brings it into the tables. On the server at DATABASE_URL, or on an embedded data directory of its own.

const ROOT = path.resolve(__dirname, '../../..');
// The suite's RECEIPT_SECRET (support.ts), so this process can run the move the child would run.
const SECRET_HEX = '01'.repeat(32);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function startChild(env: Record<string, string>, port: number): ChildProcess {
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    ...env,
    PORT: String(port),
    NODE_ENV: 'test',
    SEED_DEMO: 'false',
    LOG_LEVEL: 'silent',
    RECEIPT_SECRET: SECRET_HEX,
    SESSION_SECRET: '02'.repeat(32),
  };
  delete childEnv.NODE_OPTIONS;
  if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
  return spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: childEnv,
    stdio: 'ignore',
  });
}

async function waitForHealth(port: number, child: ChildProcess): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < 60_000) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('server did not become healthy');
}

function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

async function post(port: number, route: string, body: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  return { status: response.status, text: await response.text() };
}

// The database both children use, and a handle to it from this process once no child holds it.
interface Target {
  env: Record<string, string>;
  open(): Promise<{ db: Db; close(): Promise<void> }>;
  cleanUp(): Promise<void>;
}

async function serverTarget(): Promise<Target> {
  const database: TestDatabase = await createTestDatabase();
  await addDeskKey(database.db);
  return {
    env: { DATABASE_URL: database.url },
    open: () => Promise.resolve({ db: database.db, close: () => Promise.resolve() }),
    cleanUp: () => database.destroy(),
  };
}

async function embeddedTarget(): Promise<Target> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'represalia-crash-'));
  const open = async () => {
    const embedded = await startEmbeddedDatabase({ dataDir: path.join(dataDir, 'pgdata') });
    const db = openDb(embedded.url, { maxConnections: 1 });
    return {
      db,
      async close() {
        await db.destroy();
        await embedded.stop();
      },
    };
  };
  const first = await open();
  await migrateToLatest(first.db);
  await addDeskKey(first.db);
  await first.close();
  return { env: { DATA_DIR: dataDir }, open, cleanUp: () => rm(dataDir, { recursive: true, force: true }) };
}

describe('a report acknowledged just before the server is killed', () => {
  it('is still received after a restart, and the move stores it', async () => {
    const target = process.env.DATABASE_URL ? await serverTarget() : await embeddedTarget();
    try {
      const port = await freePort();
      const first = startChild(target.env, port);
      await waitForHealth(port, first);
      const form = await fetch(`http://127.0.0.1:${port}/report`).then((response) => response.text());
      const sent = await post(
        port,
        '/report',
        encode({ ...validReport({ narrative: 'Sent just before the crash.' }), token: tokenOf(form) }),
      );
      expect(sent.status).toBe(200);
      const receipt = receiptOf(sent.text);
      await kill(first, 'SIGKILL');

      const second = startChild(target.env, port);
      await waitForHealth(port, second);
      const status = await post(port, '/status', new URLSearchParams({ receipt }).toString());
      expect(status.status).toBe(200);
      expect(status.text).toContain('id="status-heading">Received</h2>');
      await kill(second, 'SIGTERM');

      const opened = await target.open();
      const db = opened.db;
      try {
        await moveStaged(db);
        const id = await reportIdOf(db, receipt);
        expect(id).toBeDefined();
        expect(await db('reports').where({ id }).count({ n: '*' })).toEqual([{ n: '1' }]);
      } finally {
        await opened.close();
      }
    } finally {
      await target.cleanUp();
    }
  }, 180_000);
});
