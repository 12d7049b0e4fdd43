import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
  /** The whole data directory as an uncompressed tarball (used to clone a migrated test database). */
  dump(): Promise<Blob>;
}

/**
 * Runs PostgreSQL in-process (PGlite) and exposes it on a loopback port picked by the OS, so the app
 * talks to it through the same pg driver as to a real server. `dataDir` undefined means in memory;
 * `loadDataDir` starts from a dump (the test suite's migrated template).
 */
export async function startEmbeddedDatabase(
  options: { dataDir?: string; loadDataDir?: Blob } = {},
): Promise<EmbeddedDatabase> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const pglite = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  });
  // Loopback only: the embedded database is never reachable from another machine.
  const server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0, maxConnections: 16 });
  await server.start();
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    async stop() {
      await server.stop();
      await pglite.close();
    },
    dump: () => pglite.dumpDataDir('none'),
  };
}
