import { Writable } from 'node:stream';
import type { Express } from 'express';
import { createApp, type AppDeps } from '../../src/app';
import { loadConfig, type Config } from '../../src/platform/config';
import { createLogger } from '../../src/platform/logger';
import { loadReference } from '../../src/reference/store';
import type { Db } from '../../src/platform/db';

export interface TestApp {
  app: Express;
  config: Config;
  /** Everything the app logged, as text: promise-1 tests search it. */
  logs(): string;
}

/** createApp() on a real database with fixed secrets and a captured log. */
export async function buildTestApp(
  db: Db,
  env: Record<string, string> = {},
  extra: Partial<Pick<AppDeps, 'buildRelease' | 'publicSite'>> = {},
): Promise<TestApp> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'info', DATA_DIR: '/nonexistent', ...env });
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
  const logger = createLogger({ level: config.LOG_LEVEL, destination });
  const reference = await loadReference(db);
  const secrets = { receipt: Buffer.alloc(32, 1), session: Buffer.alloc(32, 2) };
  const app = createApp({
    config,
    db,
    reference,
    secrets,
    logger,
    today: () => new Date('2026-11-27T00:00:00Z'),
    ...extra,
  });
  return { app, config, logs: () => chunks.join('') };
}
