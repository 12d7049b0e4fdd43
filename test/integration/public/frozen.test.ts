import type { RequestHandler } from 'express';
import request from 'supertest';
import { createFrozenResponses, type FrozenResponses } from '../../../src/platform/frozen';
import { loadReference } from '../../../src/reference/store';
import type { Reference } from '../../../src/reference/types';
import { buildTestApp, type TestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { insertTestRelease } from '../../support/public-release';

// Frozen responses (platform/frozen.ts): the second request for a public address is answered by the
// app's first middleware with the bytes and headers the full stack produced the first time, and only
// while the list of releases is current. Each test counts the requests that went past that middleware.

let database: TestDatabase;
// One app that trusts its list of releases for a minute, one for a moment (to see a publication).
let testApp: TestApp;
let quickApp: TestApp;
const QUICK_TTL_MS = 300;
let reference: Reference;
let passedOn = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  reference = await loadReference(database.db);
  await insertTestRelease(database.db, reference, { label: '2025-Q4', cutoff: '2025-12-31' });
  testApp = await buildTestApp(
    database.db,
    {},
    { publicSite: { releaseListTtlMs: 60_000, frozen: counted() } },
  );
  quickApp = await buildTestApp(
    database.db,
    {},
    {
      publicSite: { releaseListTtlMs: QUICK_TTL_MS, frozen: counted() },
    },
  );
});
afterAll(() => database.destroy());

// What Node adds to every response on its own: the rest must be identical.
// Frozen responses whose middleware counts the requests it passes on to the full stack.
function counted(): FrozenResponses {
  const real = createFrozenResponses({ maxBytes: 8 * 1024 * 1024 });
  const serve: RequestHandler = (req, res, next) =>
    real.serve(req, res, (error?: unknown) => {
      passedOn += 1;
      next(error);
    });
  return { ...real, serve };
}

const sameHeaders = (headers: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(headers).filter(([name]) => !['date', 'connection', 'keep-alive'].includes(name)),
  );

// The bytes as sent, still encoded.
const raw = (res: request.Response, done: (error: Error | null, body: Buffer) => void): void => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};
const get = (path: string, ae: string) =>
  request(testApp.app).get(path).set('Accept-Encoding', ae).buffer(true).parse(raw).expect(200);

describe('frozen public responses', () => {
  it.each([
    ['/data', 'br, gzip'],
    ['/es/map', 'gzip'],
    ['/data/releases/2025-Q4/by_state.csv', ''],
    ['/', 'identity'],
  ])('answers %s (Accept-Encoding %p) the second time with the same bytes and headers', async (path, ae) => {
    const first = await get(path, ae);
    const before = passedOn;
    const second = await get(path, ae);
    expect(passedOn).toBe(before);
    expect(sameHeaders(second.headers)).toEqual(sameHeaders(first.headers));
    expect(second.headers['content-security-policy']).toContain("default-src 'none'");
    expect(second.headers['set-cookie']).toBeUndefined();
    expect(second.body).toEqual(first.body);
    const head = await request(testApp.app).head(path).set('Accept-Encoding', ae).expect(200);
    expect(passedOn).toBe(before);
    expect(sameHeaders(head.headers)).toEqual(sameHeaders(first.headers));
  });

  it('leaves revalidation, other encodings and other spellings of an address to the full stack', async () => {
    const first = await request(testApp.app).get('/data').set('Accept-Encoding', 'br').expect(200);
    const before = passedOn;
    await request(testApp.app)
      .get('/data')
      .set('Accept-Encoding', 'br')
      .set('If-None-Match', first.headers.etag as string)
      .expect(304);
    await request(testApp.app).get('/data').set('Accept-Encoding', 'br').set('Cache-Control', 'no-cache');
    await request(testApp.app).get('/DATA').set('Accept-Encoding', 'br').expect(301);
    await request(testApp.app).get('/data?x=1').set('Accept-Encoding', 'br').expect(400);
    expect(passedOn).toBe(before + 4);
  });

  it('forgets every answer when a release is published, pinned pages included', async () => {
    const pinned = await request(quickApp.app).get('/data/releases/2025-Q4').expect(200);
    expect(pinned.text).toContain('This is the latest release.');
    await request(quickApp.app).get('/data/releases/2025-Q4').expect(200);
    await insertTestRelease(database.db, reference, { label: '2026-Q1', cutoff: '2026-03-31' });
    await new Promise((resolve) => setTimeout(resolve, QUICK_TTL_MS + 50));
    const before = passedOn;
    const latest = await request(quickApp.app).get('/data').expect(200);
    expect(passedOn).toBe(before + 1);
    expect(latest.text).toContain('2026-Q1');
    // The older release's own page now says it is not the latest, under a new ETag.
    const older = await request(quickApp.app).get('/data/releases/2025-Q4').expect(200);
    expect(older.text).toContain('This is an earlier release');
    expect(older.headers.etag).not.toBe(pinned.headers.etag);
    expect(older.headers.etag).not.toMatch(/"[^"]*-\d+-2025-Q4/);
  });
});
