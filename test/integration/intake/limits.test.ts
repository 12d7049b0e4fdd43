import type { Express } from 'express';
import request from 'supertest';
import type { RateLimitSettings } from '../../../src/intake/limits';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { addDeskKey, buildIntakeApp, counts, encode, submitReport, tokenOf, validReport } from './support';

// Abuse controls: a limit per client (a keyed hash of the address), a global ceiling, a translated 429.

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  await addDeskKey(database.db);
});
afterAll(() => database.destroy());

// An invalid report (422, nothing stored) from a given forwarded address: enough to spend a limit.
function invalidReportFrom(app: Express) {
  return (address: string) =>
    request(app)
      .post('/report')
      .set('X-Forwarded-For', address)
      .type('form')
      .send(encode(validReport({ state: '' })));
}

function settings(perClient: number, global: number): RateLimitSettings {
  return {
    windowMs: 10 * 60_000,
    perClient: { report: perClient, status: perClient, messages: perClient },
    global: { report: global, status: global, messages: global },
  };
}

describe('rate limits on POST /report', () => {
  it('answer the third report from one client with a translated 429 saying when to try again, and store nothing', async () => {
    const { app } = await buildIntakeApp(database.db, { intake: { rateLimits: settings(2, 100) } });
    await submitReport(app, validReport()).expect(200);
    await submitReport(app, validReport()).expect(200);
    const before = await counts(database.db);
    const limited = await submitReport(app, validReport(), 'es').expect(429);
    expect(limited.text).toContain('Demasiadas solicitudes');
    expect(limited.text).toContain('Inténtelo de nuevo en 10 minutos.');
    expect(limited.headers['retry-after']).toBeDefined();
    expect(limited.headers['cache-control']).toBe('no-store');
    expect(limited.headers['set-cookie']).toBeUndefined();
    expect(await counts(database.db)).toEqual(before);
  });

  it('are not reset by a forged X-Forwarded-For with the default hop count', async () => {
    const { app } = await buildIntakeApp(database.db, { intake: { rateLimits: settings(2, 100) } });
    const post = invalidReportFrom(app);
    await post('203.0.113.1').expect(422);
    await post('203.0.113.2').expect(422);
    await post('203.0.113.3').expect(429);
    await post('2001:db8::1').expect(429);
  });

  it('count each client apart when a trusted proxy gives the address', async () => {
    const { app } = await buildIntakeApp(database.db, {
      env: { TRUST_PROXY_HOPS: '1' },
      intake: { rateLimits: settings(2, 100) },
    });
    const post = invalidReportFrom(app);
    await post('203.0.113.1').expect(422);
    await post('203.0.113.1').expect(422);
    await post('203.0.113.1').expect(429);
    await post('203.0.113.2').expect(422);
  });

  it('stop everyone together at the global ceiling, as behind an onion service', async () => {
    const { app } = await buildIntakeApp(database.db, {
      env: { TRUST_PROXY_HOPS: '1' },
      intake: { rateLimits: settings(100, 3) },
    });
    const post = invalidReportFrom(app);
    for (const address of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) await post(address).expect(422);
    const limited = await post('203.0.113.4').expect(429);
    expect(limited.text).toContain('Too many requests');
  });
});

describe('rate limits on POST /status and POST /status/messages', () => {
  it('answer with 429 once a client has used up its attempts, without touching the database', async () => {
    const { app } = await buildIntakeApp(database.db, { intake: { rateLimits: settings(2, 100) } });
    for (let attempt = 0; attempt < 2; attempt += 1) {
      await request(app).post('/status').type('form').send({ receipt: 'guess' }).expect(422);
    }
    await request(app).post('/status').type('form').send({ receipt: 'guess' }).expect(429);
    const before = await counts(database.db);
    const form = await request(app).get('/report');
    for (let attempt = 0; attempt < 2; attempt += 1) {
      await request(app)
        .post('/status/messages')
        .type('form')
        .send({ receipt: 'guess', message: 'x' })
        .expect(422);
    }
    await request(app)
      .post('/es/status/messages')
      .type('form')
      .send({ receipt: 'guess', message: 'x', token: tokenOf(form.text) })
      .expect(429);
    expect(await counts(database.db)).toEqual(before);
  });

  it('leave GET pages unlimited', async () => {
    const { app } = await buildIntakeApp(database.db, { intake: { rateLimits: settings(1, 1) } });
    for (let attempt = 0; attempt < 4; attempt += 1) {
      await request(app).get('/report').expect(200);
      await request(app).get('/status').expect(200);
    }
  });
});
