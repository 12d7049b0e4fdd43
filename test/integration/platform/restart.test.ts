import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { verifyPassword } from '../../../src/accounts/keys';

// The embedded path as a newcomer meets it: the real server process on an empty DATA_DIR, stopped with
// SIGTERM, started again on the same data. Always embedded, whatever DATABASE_URL says.

const ROOT = path.resolve(__dirname, '../../..');

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

function startServer(dataDir: string, port: number): ChildProcess {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(port),
    NODE_ENV: 'development',
  };
  delete env.DATABASE_URL;
  delete env.NODE_OPTIONS;
  return spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function waitForHealth(port: number, child: ChildProcess, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.status === 200) return Date.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('server did not become healthy');
}

/** Everything a child writes, as text so far (stderr too: read, so a full pipe never blocks the child). */
function outputOf(child: ChildProcess): () => string {
  let text = '';
  const append = (chunk: Buffer) => (text += chunk.toString('utf8'));
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  return () => text;
}

/** Stops the child; what it wrote goes to the test's output when it does not exit cleanly. */
async function stopCleanly(child: ChildProcess, output: () => string): Promise<number | string | null> {
  const exit = await stop(child);
  if (exit !== 0)
    process.stderr.write(`server exited with ${String(exit)}; its output ended:\n${output().slice(-4000)}\n`);
  return exit;
}

/** The exit code, or the signal's name when the process died of one (a failure then says which). */
function stop(child: ChildProcess): Promise<number | string | null> {
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal));
    child.kill('SIGTERM');
  });
}

describe('the embedded database across restarts', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'represalia-restart-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  // A generous timeout: the first start transpiles through tsx and seeds, on a CI machine that may be busy.
  it('seeds on first start, shuts down cleanly on SIGTERM and finds the data intact on the next start', async () => {
    const port = await freePort();
    const first = startServer(dataDir, port);
    const firstOutput = outputOf(first);
    await waitForHealth(port, first, 90_000);
    expect((await fetch(`http://127.0.0.1:${port}/es/`)).status).toBe(200);
    expect(await stopCleanly(first, firstOutput)).toBe(0);
    // The demo desk account's random password is printed once, at the start that created it.
    const announcements = firstOutput()
      .split('\n')
      .filter((line) => line.includes('"password"'));
    expect(announcements).toHaveLength(1);
    const printed = (JSON.parse(announcements[0]!) as { password: string }).password;
    expect(printed).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){4}$/);

    // Closed cleanly: the data directory opens directly and holds the demo reports.
    const direct = await PGlite.create({ dataDir: path.join(dataDir, 'pgdata') });
    const counted = await direct.query<{ n: number }>('select count(*)::int as n from reports');
    const demo = await direct.query<{ password_hash: string }>(
      "select password_hash from moderators where username = 'demo-admin'",
    );
    await direct.close();
    expect(await verifyPassword(demo.rows[0]!.password_hash, printed)).toBe(true);
    const reports = counted.rows[0]?.n ?? 0;
    expect(reports).toBeGreaterThanOrEqual(3000);

    const second = startServer(dataDir, port);
    const secondOutput = outputOf(second);
    await waitForHealth(port, second, 30_000);
    expect(await stopCleanly(second, secondOutput)).toBe(0);
    expect(secondOutput()).not.toContain('password');
    const again = await PGlite.create({ dataDir: path.join(dataDir, 'pgdata') });
    const recounted = await again.query<{ n: number }>('select count(*)::int as n from reports');
    await again.close();
    expect(recounted.rows[0]?.n).toBe(reports);
  }, 240_000);
});
