import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Express } from 'express';
import { chromium, type Browser } from 'playwright-core';
import type { Db } from '../../src/platform/db';
import { buildTestApp } from './app';
import { createTestDatabase, type TestDatabase } from './database';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Whether Debian's Chromium is installed; browser tests skip, saying so, only when it is not (CI installs it). */
export const hasChromium = existsSync(CHROMIUM);

/** Launches Debian's Chromium headless with the flags this closed network needs; never downloads a browser. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Serves an app on a loopback port for the browser. */
export async function listen(app: Express): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface BrowserApp {
  database: TestDatabase;
  browser: Browser;
  origin: string;
}

/**
 * Registers beforeAll/afterAll for a browser test file: a fresh database (optionally prepared), the app
 * served on loopback and Debian's Chromium. The returned object's fields are set once beforeAll has run.
 */
export function useBrowserApp(
  options: {
    prepare?: (db: Db) => Promise<void>;
    buildApp?: (db: Db) => Promise<{ app: Express }>;
  } = {},
): BrowserApp {
  const fixture = {} as BrowserApp;
  let server: { origin: string; close(): Promise<void> } | undefined;
  beforeAll(async () => {
    fixture.database = await createTestDatabase();
    await options.prepare?.(fixture.database.db);
    server = await listen((await (options.buildApp ?? buildTestApp)(fixture.database.db)).app);
    fixture.origin = server.origin;
    fixture.browser = await launchChromium();
  });
  afterAll(async () => {
    await fixture.browser?.close();
    await server?.close();
    await fixture.database?.destroy();
  });
  return fixture;
}
