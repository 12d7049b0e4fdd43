// The server side of bench/public.ts, run as its own process from JavaScript compiled the way `npm start`
// compiles it (esbuild to dist/), so its memory and CPU are the deployed portal's, not tsx's. One process
// serves the app, another the minimal Express 5 + Handlebars page (so neither's garbage collection weighs
// on the other, and the app's RSS is its own); each answers the parent's probes over IPC.
import { randomBytes } from 'node:crypto';
import express from 'express';
import Handlebars from 'handlebars';
import { createApp } from '../src/app';
import { loadConfig } from '../src/platform/config';
import { EMBEDDED_MAX_CONNECTIONS } from '../src/platform/database';
import { openDb } from '../src/platform/db';
import { startEmbeddedDatabase } from '../src/platform/embedded-db';
import { createLogger } from '../src/platform/logger';
import { loadReference } from '../src/reference/store';

/** Messages from the parent. */
export type ToServer = 'seeded' | 'probe' | 'layers' | 'stop';

/** A row of the ceiling's table: one state or territory, from the project's reference data. */
export interface StateRow {
  code: string;
  name: string;
  fips: string;
}
/** Messages to the parent. */
export type FromServer =
  | { kind: 'database'; url: string }
  | { kind: 'listening'; port: number }
  | { kind: 'probe'; rss: number; peak: number; heapUsed: number; cpu: NodeJS.CpuUsage }
  | { kind: 'layers'; layers: { name: string; calls: number; us: number }[] };

// The ceiling: a minimal Express 5 + Handlebars page rendering a table of the 56 states and territories
// from the project's reference data, rendered on every request and sent uncompressed, with no other
// middleware. A page served from a frozen release has no business being slower than this.
function minimalApp(states: StateRow[]): express.Express {
  const app = express();
  const template = Handlebars.compile(
    '<!doctype html><html lang="{{lang}}"><head><meta charset="utf-8"><title>{{title}}</title></head><body>' +
      '<h1>{{title}}</h1><table><thead><tr><th>Code</th><th>Name</th><th>FIPS</th></tr></thead><tbody>' +
      '{{#each states}}<tr><th scope="row">{{code}}</th><td>{{name}}</td><td>{{fips}}</td></tr>{{/each}}' +
      '</tbody></table></body></html>',
  );
  app.get('/', (_req, res) => {
    res.type('html').send(template({ lang: 'en', title: 'States and territories', states }));
  });
  return app;
}

// BENCH_LAYERS=1: what each layer of the app's own stack costs per request, timed from entering the
// layer until it passes the request on or returns (the synchronous part; a route's awaited work is not in it).
function timeLayers(app: express.Express): () => { name: string; calls: number; us: number }[] {
  type Handle = (req: unknown, res: unknown, next: (...args: unknown[]) => void) => unknown;
  const stack = (app as unknown as { router: { stack: { name: string; handle: Handle }[] } }).router.stack;
  const totals = stack.map((layer, index) => ({ name: `${index} ${layer.name}`, calls: 0, ns: 0n }));
  stack.forEach((layer, index) => {
    const handle = layer.handle;
    if (handle.length === 4) return;
    const total = totals[index]!;
    layer.handle = function timed(this: unknown, req, res, next) {
      const started = process.hrtime.bigint();
      let counted = false;
      const stop = (): void => {
        if (counted) return;
        counted = true;
        total.calls += 1;
        total.ns += process.hrtime.bigint() - started;
      };
      const result = handle.call(this, req, res, (...args: unknown[]) => {
        stop();
        next(...args);
      });
      stop();
      return result;
    };
  });
  return () =>
    totals
      .filter((t) => t.calls > 0)
      .map((t) => ({ name: t.name, calls: t.calls, us: Number(t.ns) / 1000 / t.calls }));
}

function listen(app: express.Express): Promise<number> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}

const send = (message: FromServer): void => void process.send?.(message);
const next = (): Promise<ToServer> => new Promise((resolve) => process.once('message', resolve));

function answerProbes(
  stop: () => Promise<void>,
  layers?: () => { name: string; calls: number; us: number }[],
): void {
  let peak = 0;
  setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50).unref();
  process.on('message', (message: ToServer) => {
    if (message === 'probe') {
      const memory = process.memoryUsage();
      send({ kind: 'probe', rss: memory.rss, peak, heapUsed: memory.heapUsed, cpu: process.cpuUsage() });
    }
    if (message === 'layers') send({ kind: 'layers', layers: layers?.() ?? [] });
    if (message === 'stop') void stop().then(() => process.exit(0));
  });
}

async function serveApp(url: string | undefined): Promise<void> {
  // Embedded: the database lives in this process, and the parent seeds it through its socket.
  const embedded = url ? undefined : await startEmbeddedDatabase();
  if (embedded) {
    send({ kind: 'database', url: embedded.url });
    await next();
  }
  const db = openDb(url ?? embedded!.url, { maxConnections: url ? 10 : EMBEDDED_MAX_CONNECTIONS });
  // Production settings, as deployed: the secrets are throwaway.
  const secret = (): string => randomBytes(32).toString('hex');
  const app = createApp({
    config: loadConfig({
      NODE_ENV: 'production',
      LOG_LEVEL: 'silent',
      DATA_DIR: '/nonexistent',
      PUBLIC_ORIGIN: 'https://bench.invalid',
      // Production requires a server; the embedded one stands in for it here (the bench's own choice).
      DATABASE_URL: url ?? embedded!.url,
      SESSION_SECRET: secret(),
      RECEIPT_SECRET: secret(),
    }),
    db,
    reference: await loadReference(db),
    secrets: { receipt: randomBytes(32), session: randomBytes(32) },
    logger: createLogger({ level: 'silent' }),
    // BENCH_FROZEN=0: every request through the full stack, to see what frozen responses save.
    ...(process.env.BENCH_FROZEN === '0' ? { publicSite: { frozen: false as const } } : {}),
  });
  const layers = process.env.BENCH_LAYERS === '1' ? timeLayers(app) : undefined;
  answerProbes(async () => {
    await db.destroy();
    await embedded?.stop();
  }, layers);
  send({ kind: 'listening', port: await listen(app) });
}

async function serveMinimal(states: StateRow[]): Promise<void> {
  answerProbes(() => Promise.resolve());
  send({ kind: 'listening', port: await listen(minimalApp(states)) });
}

if (process.argv[2] === 'minimal') void serveMinimal(JSON.parse(process.argv[3] ?? '[]') as StateRow[]);
else void serveApp(process.argv[3]);
