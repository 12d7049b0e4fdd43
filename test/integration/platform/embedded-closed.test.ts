import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, lstat, mkdtemp, readFile, readdir, readlink, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../src/platform/config';
import { startEmbeddedDatabase } from '../../../src/platform/embedded-db';
import { createLogger } from '../../../src/platform/logger';
import { startServer, type RunningServer } from '../../../src/server';

// Item 6 of issue 10: the embedded database is closed to every other local account, its files belong to
// the service user alone, and production refuses it. Always embedded, whatever DATABASE_URL says: this
// is about the embedded mode itself.

const ROOT = path.resolve(__dirname, '../../..');
const NOBODY = 65534;

let dataDir: string;
let running: RunningServer;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'represalia-closed-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    PORT: '0',
    SEED_DEMO: 'false',
    LOG_LEVEL: 'silent',
  });
  running = await startServer(config, createLogger({ level: 'silent' }));
}, 120_000);
afterAll(async () => {
  await running?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** Local ports of the TCP sockets this process is listening on, read from /proc. */
async function listeningPortsOfThisProcess(): Promise<number[]> {
  const inodes = new Set<string>();
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode) inodes.add(inode);
  }
  const ports: number[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const lines = (await readFile(table, 'utf8').catch(() => '')).split('\n').slice(1);
    for (const line of lines) {
      const fields = line.trim().split(/\s+/);
      // local_address is HEX_IP:HEX_PORT, st 0A is LISTEN, inode is the tenth field.
      if (fields[3] === '0A' && inodes.has(fields[9] ?? '')) {
        ports.push(parseInt(fields[1]!.split(':')[1]!, 16));
      }
    }
  }
  return ports;
}

/** Tries to open the socket as the account `nobody`; prints "connected" or the error code. */
function connectAsNobody(socketPath: string): string {
  const script =
    "const s=require('net').connect(process.argv[1]);" +
    "s.on('connect',()=>{console.log('connected');s.destroy()});" +
    "s.on('error',e=>console.log(e.code))";
  const result = spawnSync(process.execPath, ['-e', script, socketPath], {
    uid: NOBODY,
    gid: NOBODY,
    encoding: 'utf8',
    timeout: 10_000,
  });
  return result.stdout.trim();
}

describe('the embedded database', () => {
  it('listens for HTTP on loopback only by default', () => {
    expect((running.server.address() as AddressInfo).address).toBe('127.0.0.1');
  });

  it('holds no TCP listener besides the HTTP port: the database is served on a Unix socket', async () => {
    expect(await listeningPortsOfThisProcess()).toEqual([running.port]);
    const socketDir = path.join(dataDir, 'run');
    expect((await lstat(socketDir)).mode & 0o777).toBe(0o700);
    expect((await lstat(path.join(socketDir, '.s.PGSQL.5432'))).isSocket()).toBe(true);
  });

  it('refuses a connection from another local account, and the check is what refuses it', async () => {
    if (process.getuid?.() !== 0) {
      console.warn('not root: cannot run a client as another account; the folder mode is checked above');
      return;
    }
    const socketPath = path.join(dataDir, 'run', '.s.PGSQL.5432');
    expect(connectAsNobody(socketPath)).toBe('EACCES');
    // Control: with DATA_DIR, the folder and the socket opened up, the same client gets in. So the refusal
    // above comes from the modes, and a regression that loosened them would make this test fail.
    const opened: [string, number][] = [
      [dataDir, 0o755],
      [path.join(dataDir, 'run'), 0o755],
      [socketPath, 0o777],
    ];
    for (const [target, mode] of opened) await chmod(target, mode);
    try {
      expect(connectAsNobody(socketPath)).toBe('connected');
    } finally {
      for (const [target] of opened) await chmod(target, 0o700);
    }
  });

  it('keeps DATA_DIR and everything under it to the service user: folders 0700, files 0600', async () => {
    const loose: string[] = [];
    let files = 0;
    const visit = async (target: string): Promise<void> => {
      const stats = await lstat(target);
      const mode = stats.mode & 0o777;
      if (stats.isDirectory()) {
        if (mode !== 0o700) loose.push(`${mode.toString(8)} ${target}`);
        for (const entry of await readdir(target)) await visit(path.join(target, entry));
      } else if (stats.isSocket()) {
        if (mode & 0o077) loose.push(`${mode.toString(8)} ${target}`);
      } else {
        files += 1;
        if (mode !== 0o600) loose.push(`${mode.toString(8)} ${target}`);
      }
    };
    await visit(dataDir);
    // PGlite writes about a thousand files, created 0666 by its own hand.
    expect(files).toBeGreaterThan(500);
    expect(loose).toEqual([]);
  });

  it('refuses to serve a DATA_DIR that another process is serving', async () => {
    await expect(
      startEmbeddedDatabase({
        dataDir: path.join(dataDir, 'pgdata'),
        socketDir: path.join(dataDir, 'run'),
      }),
    ).rejects.toThrow(/Another process is serving the embedded database/);
  });
});

describe('NODE_ENV=production without DATABASE_URL', () => {
  it('refuses to start, says why, and writes nothing', async () => {
    const missingDir = path.join(tmpdir(), `represalia-never-${process.pid}`);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      RECEIPT_SECRET: 'ab'.repeat(32),
      SESSION_SECRET: 'cd'.repeat(32),
      PUBLIC_ORIGIN: 'https://represalia.example.org',
      DATA_DIR: missingDir,
      PORT: '0',
    };
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: ROOT, env });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(78);
    expect(stderr).toMatch(/DATABASE_URL: required when NODE_ENV=production/);
    expect(stderr).toMatch(/embedded database is for trying and developing/);
    expect(existsSync(missingDir)).toBe(false);
  }, 60_000);
});
