import { connect } from 'node:net';
import { mkdtemp, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { makePrivateDir, makeTreePrivate } from './private-files';

export interface EmbeddedDatabase {
  url: string;
  /** The folder holding the Unix socket (0700). */
  socketDir: string;
  stop(): Promise<void>;
  /** The whole data directory as an uncompressed tarball (used to clone a migrated test database). */
  dump(): Promise<Blob>;
}

// Why a Unix socket: PGlite trusts every connection as the superuser `postgres` (it has no password
// check; pglite-socket hands the startup message straight to it), so on loopback TCP any local account
// could open the database. pglite-socket can listen on a Unix socket instead, and the pg driver connects
// to one when the host is a folder. The socket sits in a folder only the service user may enter (0700),
// so the kernel refuses every other account before a byte reaches PGlite; nothing listens on TCP at all.
const SOCKET_FILE = '.s.PGSQL.5432';
// sockaddr_un holds 108 bytes on Linux (104 on macOS), terminator included.
const MAX_SOCKET_PATH = 100;

// PostgreSQL's default 128 MB of shared buffers live in PGlite's WebAssembly memory and are set up at
// every start, ~3 ms per MB: ~0.4 s of PGlite's 0.9 s start, in a 3 s restart budget (DESIGN section 7),
// and 128 MB of RSS. Embedded mode serves a demo or a small desk (production refuses it), whose whole
// database is ~15 MB with the catalogs, and reads past the buffers still come from the operating system's
// page cache. 16 MB takes ~0.35 s off every start, the test suite's many databases included.
const START_SETTINGS = ['-c', 'shared_buffers=16MB'];

/**
 * Runs PostgreSQL in-process (PGlite) and serves it on a Unix socket in a private folder, so the app talks
 * to it through the same pg driver as to a real server. `dataDir` undefined means in memory; `loadDataDir`
 * starts from a dump (the test suite's migrated template); `socketDir` is where the socket lives (a fresh
 * private folder under the system's temporary folder when absent or too long for a socket path).
 */
export async function startEmbeddedDatabase(
  options: { dataDir?: string; loadDataDir?: Blob; socketDir?: string } = {},
): Promise<EmbeddedDatabase> {
  // The socket folder first: a live socket there means another process already serves this DATA_DIR.
  let socketDir: string;
  let temporary = false;
  if (options.socketDir && path.join(options.socketDir, SOCKET_FILE).length <= MAX_SOCKET_PATH) {
    socketDir = options.socketDir;
    await makePrivateDir(socketDir);
    await clearStaleSocket(path.join(socketDir, SOCKET_FILE));
  } else {
    // mkdtemp creates the folder 0700.
    socketDir = await mkdtemp(path.join(tmpdir(), 'represalia-db-'));
    temporary = true;
  }
  const removeTemporary = () => (temporary ? rm(socketDir, { recursive: true, force: true }) : undefined);
  if (options.dataDir) await makePrivateDir(options.dataDir);
  const pglite = await PGlite.create({
    startParams: [...PGlite.defaultStartParams, ...START_SETTINGS],
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  }).catch(async (error: unknown) => {
    await removeTemporary();
    throw error;
  });
  // PGlite creates its files world-readable (and many world-writable) whatever the umask: fix them now,
  // after it has written them; files it adds later are covered by the folder's 0700 and the umask.
  if (options.dataDir) makeTreePrivate(options.dataDir);
  const server = new PGLiteSocketServer({
    db: pglite,
    path: path.join(socketDir, SOCKET_FILE),
    maxConnections: 16,
  });
  try {
    await server.start();
  } catch (error) {
    await pglite.close();
    await removeTemporary();
    throw error;
  }
  return {
    // The pg driver reads a host that starts with "/" as the folder of a Unix socket.
    url: `postgres://postgres@${encodeURIComponent(socketDir)}/postgres`,
    socketDir,
    async stop() {
      // Closing the server removes the socket file.
      await server.stop();
      await pglite.close();
      await removeTemporary();
    },
    dump: () => pglite.dumpDataDir('none'),
  };
}

/**
 * A socket file left by a process that was killed is removed, so the next start can listen. One that
 * still answers belongs to a running process on the same DATA_DIR: two PGlite instances on one data
 * directory would corrupt it, so that start is refused.
 */
async function clearStaleSocket(socketPath: string): Promise<void> {
  const answered = await new Promise<boolean>((resolve) => {
    const probe = connect(socketPath);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
  if (answered)
    throw new Error(
      `Another process is serving the embedded database in ${path.dirname(socketPath)}; stop it first.`,
    );
  await unlink(socketPath).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}
