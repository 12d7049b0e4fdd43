import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Express } from 'express';
import request from 'supertest';
import { createApp, type AppDeps } from '../../../src/app';
import { createDeskKey } from '../../../src/accounts/desk-keys';
import { moveStagedSubmissions, type MoveResult } from '../../../src/intake/move';
import { hashReceipt, normalizeReceipt } from '../../../src/intake/receipt';
import { loadConfig } from '../../../src/platform/config';
import type { Db } from '../../../src/platform/db';
import { createLogger } from '../../../src/platform/logger';
import { loadReference } from '../../../src/reference/store';
import { generateDeskKeyPair, type DeskKeyPair } from '../../../src/reports/seal';
import { createTestDatabase, type TestDatabase } from '../../support/database';

// Helpers for the intake tests: the app with intake options, a desk key, a valid form and row counts.

export const TODAY = new Date('2026-11-27T00:00:00Z');
export const RECEIPT_SECRET = Buffer.alloc(32, 1);
export const SESSION_SECRET = Buffer.alloc(32, 2);

export interface IntakeTestApp {
  app: Express;
  logs(): string;
}

/** createApp() like test/support's buildTestApp, plus the intake options (rate limits, nonce store). */
export async function buildIntakeApp(
  db: Db,
  options: { intake?: AppDeps['intake']; env?: Record<string, string>; now?: () => Date } = {},
): Promise<IntakeTestApp> {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATA_DIR: '/nonexistent',
    ...options.env,
  });
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
  const app = createApp({
    config,
    db,
    reference: await loadReference(db),
    secrets: { receipt: RECEIPT_SECRET, session: SESSION_SECRET },
    logger: createLogger({ level: config.LOG_LEVEL, destination }),
    today: () => TODAY,
    ...(options.now ? { now: options.now } : {}),
    ...(options.intake ? { intake: options.intake } : {}),
  });
  return { app, logs: () => chunks.join('') };
}

/** A suite's usual start: a fresh database holding a desk key, and the intake app over it. */
export async function setUpIntake(
  options: Parameters<typeof buildIntakeApp>[1] = {},
): Promise<{ database: TestDatabase; testApp: IntakeTestApp; desk: DeskKeyPair }> {
  const database = await createTestDatabase();
  const desk = await addDeskKey(database.db);
  return { database, desk, testApp: await buildIntakeApp(database.db, options) };
}

/**
 * Adds a desk key pair, authenticated as the app creates keys, and returns it, private half included, so
 * tests can open what was sealed.
 */
export async function addDeskKey(db: Db): Promise<DeskKeyPair> {
  const pair = await generateDeskKeyPair();
  await createDeskKey(db, SESSION_SECRET, pair.publicKey, '2026-11-01');
  return pair;
}

export type Body = Record<string, string | string[]>;

/** A complete, valid report form (without the token). */
export function validReport(overrides: Body = {}): Body {
  return {
    state: 'VT',
    field_office: '',
    county: '',
    month: '3',
    year: '2026',
    action: ['surveillance', 'arrest'],
    activism: 'organizing',
    role: 'organizer',
    evidence: ['personal_account'],
    narrative: '',
    consent: 'yes',
    website: '',
    ...overrides,
  };
}

/** Encodes a body as a browser would, repeating the name of every list item. */
export function encode(body: Body): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(body)) {
    for (const item of Array.isArray(value) ? value : [value]) params.append(name, item);
  }
  return params.toString();
}

/** The form token of a rendered page. */
export function tokenOf(html: string): string {
  const token = /name="token" value="([A-Za-z0-9_-]+)"/.exec(html)?.[1];
  if (!token) throw new Error('no form token on the page');
  return token;
}

/** GETs the form in one language, then POSTs `body` with that page's token and checks the status. */
export function submitReport(app: Express, body: Body, lang = 'en') {
  const prefix = lang === 'en' ? '' : `/${lang}`;
  return {
    async expect(status: number): Promise<request.Response> {
      const form = await request(app).get(`${prefix}/report`).expect(200);
      return request(app)
        .post(`${prefix}/report`)
        .type('form')
        .send(encode({ ...body, token: tokenOf(form.text) }))
        .expect(status);
    },
  };
}

/** The receipt shown on a receipt page. */
export function receiptOf(html: string): string {
  const receipt = /class="receipt"[^>]*>([^<]+)</.exec(html)?.[1]?.trim();
  if (!receipt) throw new Error('no receipt on the page');
  return receipt;
}

/** Runs the daily move now, today's submissions included (as `npm run intake:move -- --all`). */
export function moveStaged(db: Db): Promise<MoveResult> {
  return moveStagedSubmissions(db, { receiptSecret: RECEIPT_SECRET, today: TODAY, all: true });
}

/** The report a receipt points to, through the stored keyed hash (after the move). */
export async function reportIdOf(db: Db, receipt: string): Promise<string | undefined> {
  const canonical = normalizeReceipt(receipt);
  if (!canonical) return undefined;
  const found: unknown = await db('receipts')
    .where({ hash: hashReceipt(canonical, RECEIPT_SECRET) })
    .first('report_id');
  const row = found as { report_id: string } | undefined;
  return row?.report_id;
}

export type Counts = Record<'staged' | 'reports' | 'codes' | 'receipts' | 'messages', number>;

/** Row counts of every table intake writes, staged submissions included. */
export async function counts(db: Db): Promise<Counts> {
  const [row] = (
    await db.raw(`select
      (select count(*) from intake_staged)::int as staged,
      (select count(*) from reports)::int as reports,
      (select count(*) from report_codes)::int as codes,
      (select count(*) from receipts)::int as receipts,
      (select count(*) from report_messages)::int as messages`)
  ).rows as Record<string, number>[];
  return row as Counts;
}

/**
 * Every report is complete: it has a receipt and at least one code of each multi-valued kind. A
 * half-stored report (promise 7) fails this.
 */
export async function incompleteReports(db: Db): Promise<number> {
  const [row] = (
    await db.raw(`select count(*)::int as n from reports r
    where not exists (select 1 from receipts rec where rec.report_id = r.id)
       or (select count(distinct kind) from report_codes c where c.report_id = r.id) <> 3`)
  ).rows as { n: number }[];
  return row?.n ?? -1;
}

/** Request headers that identify a browser and a route to it, each carrying a unique canary (promise 1 tests). */
export function canaryHeaders(): { canary: string; address: string; headers: Record<string, string> } {
  const canary = `canary${randomBytes(6).toString('hex')}`;
  const address = `198.51.100.${1 + (randomBytes(1)[0]! % 250)}`;
  return {
    canary,
    address,
    headers: {
      'User-Agent': `Mozilla/5.0 ${canary}-agent`,
      'X-Forwarded-For': address,
      Referer: `https://${canary}-referer.example/page`,
    },
  };
}
