import type { Express } from 'express';
import request from 'supertest';
import { DEFAULT_RATE_LIMITS, type RateLimitSettings } from '../../../src/intake/limits';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import {
  addDeskKey,
  buildIntakeApp,
  counts,
  encode,
  moveStaged,
  receiptOf,
  submitReport,
  tokenOf,
  validReport,
} from './support';

// Abuse controls that no stranger can turn against others: a limit per client (a keyed hash of the
// address) that counts only accepted submissions and failed lookups, no global ceiling, load shedding,
// and a translated 429 with no number in it.

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  await addDeskKey(database.db);
});
afterEach(() => moveStaged(database.db));
afterAll(() => database.destroy());

// An invalid report (422, nothing stored) from a given forwarded address.
function invalidReportFrom(app: Express) {
  return (address: string) =>
    request(app)
      .post('/report')
      .set('X-Forwarded-For', address)
      .type('form')
      .send(encode(validReport({ state: '' })));
}

// A valid report with a fresh token from a given forwarded address.
async function reportFrom(app: Express, address: string, lang: 'en' | 'es' = 'en') {
  const prefix = lang === 'es' ? '/es' : '';
  const form = await request(app).get(`${prefix}/report`).expect(200);
  return request(app)
    .post(`${prefix}/report`)
    .set('X-Forwarded-For', address)
    .type('form')
    .send(encode({ ...validReport(), token: tokenOf(form.text) }));
}

function settings(perClient: number): RateLimitSettings {
  return {
    windowMs: 10 * 60_000,
    perClient: { report: perClient, status: perClient, messages: perClient },
  };
}

describe('rate limits on POST /report', () => {
  it('answer the third accepted report from one client with a translated 429 with no number in it, and store nothing', async () => {
    const { app } = await buildIntakeApp(database.db, { intake: { rateLimits: settings(2) } });
    await submitReport(app, validReport()).expect(200);
    await submitReport(app, validReport()).expect(200);
    const before = await counts(database.db);
    const limited = await submitReport(app, validReport(), 'es').expect(429);
    expect(limited.text).toContain('Demasiadas solicitudes');
    expect(limited.text).toContain('Inténtelo de nuevo más tarde.');
    expect(limited.headers['retry-after']).toBeUndefined();
    expect(limited.headers['cache-control']).toBe('no-store');
    expect(limited.headers['set-cookie']).toBeUndefined();
    expect(await counts(database.db)).toEqual(before);
  });

  it('never count refused forms, so junk posts lock nobody out, their sender included', async () => {
    const { app } = await buildIntakeApp(database.db, {
      env: { TRUST_PROXY_HOPS: '1' },
      intake: { rateLimits: settings(2) },
    });
    const post = invalidReportFrom(app);
    for (let attempt = 0; attempt < 15; attempt += 1) await post('203.0.113.9').expect(422);
    await reportFrom(app, '203.0.113.9').then((response) => expect(response.status).toBe(200));
    await reportFrom(app, '203.0.113.9').then((response) => expect(response.status).toBe(200));
    await reportFrom(app, '203.0.113.9').then((response) => expect(response.status).toBe(429));
  });

  it('are not reset by a forged X-Forwarded-For with the default hop count', async () => {
    const { app } = await buildIntakeApp(database.db, { intake: { rateLimits: settings(1) } });
    expect((await reportFrom(app, '203.0.113.1')).status).toBe(200);
    expect((await reportFrom(app, '203.0.113.2')).status).toBe(429);
    expect((await reportFrom(app, '2001:db8::1')).status).toBe(429);
  });

  it('count each client apart when a trusted proxy gives the address', async () => {
    const { app } = await buildIntakeApp(database.db, {
      env: { TRUST_PROXY_HOPS: '1' },
      intake: { rateLimits: settings(1) },
    });
    expect((await reportFrom(app, '203.0.113.1')).status).toBe(200);
    expect((await reportFrom(app, '203.0.113.1')).status).toBe(429);
    expect((await reportFrom(app, '203.0.113.2')).status).toBe(200);
  });

  it('have no global ceiling: 31 clients at their own limit all get their reports in, with the defaults', async () => {
    const { app } = await buildIntakeApp(database.db, { env: { TRUST_PROXY_HOPS: '1' } });
    const perClient = DEFAULT_RATE_LIMITS.perClient.report;
    const statuses: number[] = [];
    for (let client = 1; client <= 31; client += 1) {
      for (let sent = 0; sent < perClient; sent += 1) {
        statuses.push((await reportFrom(app, `198.51.100.${client}`)).status);
      }
    }
    // 310 accepted reports: more than the 300 that the old ceiling let everyone together send.
    expect(statuses.filter((status) => status === 200)).toHaveLength(31 * perClient);
    expect((await reportFrom(app, '198.51.100.1')).status).toBe(429);
  }, 240_000);
});

describe('rate limits on POST /status and POST /status/messages', () => {
  it('count failed lookups only: a guesser is stopped, the holder of a real receipt never is', async () => {
    const { app } = await buildIntakeApp(database.db, { intake: { rateLimits: settings(2) } });
    const receipt = receiptOf((await submitReport(app, validReport()).expect(200)).text);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await request(app).post('/status').type('form').send({ receipt }).expect(200);
    }
    for (let attempt = 0; attempt < 2; attempt += 1) {
      await request(app).post('/status').type('form').send({ receipt: 'guess' }).expect(422);
    }
    const limited = await request(app).post('/status').type('form').send({ receipt: 'guess' }).expect(429);
    expect(limited.text).toContain('Please try again later.');
  });

  it('count accepted messages only, and answer 429 without touching the database', async () => {
    const { app } = await buildIntakeApp(database.db, { intake: { rateLimits: settings(2) } });
    const receipt = receiptOf((await submitReport(app, validReport()).expect(200)).text);
    const message = async (text: string, lang: 'en' | 'es' = 'en') => {
      const page = await request(app).post('/status').type('form').send({ receipt });
      return request(app)
        .post(lang === 'es' ? '/es/status/messages' : '/status/messages')
        .type('form')
        .send({ receipt, message: text, token: tokenOf(page.text) });
    };
    for (let attempt = 0; attempt < 5; attempt += 1) expect((await message('   ')).status).toBe(422);
    expect((await message('one')).status).toBe(200);
    expect((await message('two')).status).toBe(200);
    const before = await counts(database.db);
    const limited = await message('three', 'es');
    expect(limited.status).toBe(429);
    expect(limited.text).toContain('Inténtelo de nuevo más tarde.');
    expect(await counts(database.db)).toEqual(before);
  });

  it('leave GET pages unlimited', async () => {
    const { app } = await buildIntakeApp(database.db, { intake: { rateLimits: settings(1) } });
    for (let attempt = 0; attempt < 4; attempt += 1) {
      await request(app).get('/report').expect(200);
      await request(app).get('/status').expect(200);
    }
  });
});

describe('load shedding', () => {
  it('answers a translated 503 that stores nothing while the process is overloaded', async () => {
    const { app } = await buildIntakeApp(database.db, {
      intake: { shedding: { maxInFlight: 0, maxDelayMs: 500, minQueueForDelay: 8 } },
    });
    const before = await counts(database.db);
    const form = await request(app).get('/es/report').expect(200);
    const busy = await request(app)
      .post('/es/report')
      .type('form')
      .send(encode({ ...validReport(), token: tokenOf(form.text) }))
      .expect(503);
    expect(busy.text).toContain('más de lo que puede atender');
    expect(busy.headers['cache-control']).toBe('no-store');
    expect(busy.headers['retry-after']).toBeUndefined();
    await request(app).post('/status').type('form').send({ receipt: 'x' }).expect(503);
    expect(await counts(database.db)).toEqual(before);
  });
});
