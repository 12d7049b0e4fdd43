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
export type ToServer = 'seeded' | 'probe' | 'stop';
/** Messages to the parent. */
export type FromServer =
  | { kind: 'database'; url: string }
  | { kind: 'listening'; port: number }
  | { kind: 'probe'; rss: number; peak: number; heapUsed: number; cpu: NodeJS.CpuUsage };

// A page as small as an Express 5 + Handlebars page gets: the yardstick for "served from a release".
function minimalApp(): express.Express {
  const app = express();
  const template = Handlebars.compile(
    '<!doctype html><html lang="{{lang}}"><head><title>{{title}}</title></head><body><h1>{{title}}</h1><p>{{text}}</p></body></html>',
  );
  app.get('/', (_req, res) => {
    res.type('html').send(template({ lang: 'en', title: 'Minimal', text: 'Hello.' }));
  });
  return app;
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

function answerProbes(stop: () => Promise<void>): void {
  let peak = 0;
  setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50).unref();
  process.on('message', (message: ToServer) => {
    if (message === 'probe') {
      const memory = process.memoryUsage();
      send({ kind: 'probe', rss: memory.rss, peak, heapUsed: memory.heapUsed, cpu: process.cpuUsage() });
    }
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
      SESSION_SECRET: secret(),
      RECEIPT_SECRET: secret(),
    }),
    db,
    reference: await loadReference(db),
    secrets: { receipt: randomBytes(32), session: randomBytes(32) },
    logger: createLogger({ level: 'silent' }),
  });
  answerProbes(async () => {
    await db.destroy();
    await embedded?.stop();
  });
  send({ kind: 'listening', port: await listen(app) });
}

async function serveMinimal(): Promise<void> {
  answerProbes(() => Promise.resolve());
  send({ kind: 'listening', port: await listen(minimalApp()) });
}

if (process.argv[2] === 'minimal') void serveMinimal();
else void serveApp(process.argv[3]);
