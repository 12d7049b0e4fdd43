import request from 'supertest';
import { createApp } from '../../../src/app';
import { loadConfig } from '../../../src/platform/config';
import { openDb } from '../../../src/platform/db';
import { createLogger } from '../../../src/platform/logger';
import { loadReference } from '../../../src/reference/store';
import { buildTestApp, type TestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { buildReport, insertReport } from '../../support/factories';

let database: TestDatabase;
let testApp: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  testApp = await buildTestApp(database.db);
});
afterAll(() => database.destroy());

const PAGES: Array<{ path: string; lang: 'en' | 'es'; twin: string }> = [
  { path: '/', lang: 'en', twin: '/es/' },
  { path: '/es/', lang: 'es', twin: '/' },
  { path: '/es', lang: 'es', twin: '/' },
];

describe('the home page', () => {
  it.each(PAGES)('$path is in $lang and links to its twin $twin', async ({ path, lang, twin }) => {
    const response = await request(testApp.app).get(path).expect(200);
    expect(response.text).toContain(`<html lang="${lang}">`);
    expect(response.text).toContain(`class="lang-switch" href="${twin}"`);
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  it('lists every field office from the database, in the page language', async () => {
    const offices: { code: string }[] = await database.db('field_offices').select('code');
    expect(offices).toHaveLength(25);
    const [english, spanish] = await Promise.all([
      request(testApp.app).get('/'),
      request(testApp.app).get('/es/'),
    ]);
    for (const { code } of offices) expect(english.text).toContain(`<span class="code">${code}</span>`);
    expect(english.text).toContain('North Carolina');
    expect(spanish.text).toContain('Carolina del Norte');
    expect(spanish.text).toContain('Oficinas de campo de ICE');
  });

  it('shows no count of reports (promise 6: public numbers come only from releases)', async () => {
    await insertReport(database.db, buildReport());
    const before = (await request(testApp.app).get('/')).text;
    await insertReport(database.db, buildReport({ receivedOn: '2026-02-04' }));
    const after = (await request(testApp.app).get('/')).text;
    expect(after).toBe(before);
  });
});

describe('security headers (promise 2)', () => {
  it('sends a strict CSP, no referrer, no framing and a Permissions-Policy on every page', async () => {
    for (const path of ['/', '/es/', '/no-such-page']) {
      const response = await request(testApp.app).get(path);
      const csp = String(response.headers['content-security-policy']);
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("base-uri 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("form-action 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      expect(response.headers['permissions-policy']).toContain('camera=()');
      expect(response.headers['x-powered-by']).toBeUndefined();
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['set-cookie']).toBeUndefined();
    }
  });

  it('uses no inline script or style and loads nothing from another origin', async () => {
    const html = (await request(testApp.app).get('/')).text;
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(html).not.toMatch(/\sstyle=|<style/);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('refuses TRACE', async () => {
    const response = await request(testApp.app).trace('/');
    expect(response.status).toBe(405);
  });
});

describe('errors', () => {
  it('answers an unknown page with a translated 404 in each language', async () => {
    const english = await request(testApp.app).get('/no-such-page').expect(404);
    expect(english.text).toContain('Page not found');
    expect(english.text).toContain('<html lang="en">');
    const spanish = await request(testApp.app).get('/es/no-such-page').expect(404);
    expect(spanish.text).toContain('Página no encontrada');
    expect(spanish.text).toContain('<html lang="es">');
    expect(spanish.text).toContain('href="/no-such-page"');
  });

  it('answers a malformed body with a translated 400, not a 500', async () => {
    const response = await request(testApp.app)
      .post('/es/')
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send('a=%E0%A4%A');
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });
});

describe('static assets', () => {
  it('serves fingerprinted files with long caching', async () => {
    const html = (await request(testApp.app).get('/')).text;
    const href = /href="(\/assets\/css\/app\.[0-9a-f]{10}\.css)"/.exec(html)?.[1];
    expect(href).toBeDefined();
    const css = await request(testApp.app).get(href!).expect(200);
    expect(css.headers['content-type']).toContain('text/css');
    expect(css.headers['cache-control']).toContain('immutable');
    await request(testApp.app).get('/assets/css/app.0000000000.css').expect(404);
  });
});

describe('GET /healthz', () => {
  it('reports the database reachable and migrations current', async () => {
    const response = await request(testApp.app).get('/healthz').expect(200);
    expect(response.body).toEqual({ status: 'ok', database: 'reachable', migrations: 'current' });
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('answers 503 when migrations are pending', async () => {
    const [last] = (await database.db('knex_migrations').orderBy('id', 'desc').limit(1)) as {
      id: number;
      name: string;
    }[];
    await database.db('knex_migrations').where({ id: last!.id }).del();
    try {
      const response = await request(testApp.app).get('/healthz').expect(503);
      expect(response.body).toMatchObject({
        status: 'unavailable',
        database: 'reachable',
        migrations: 'pending',
      });
    } finally {
      await database.db('knex_migrations').insert(last);
    }
  });
});

describe('GET /healthz without a database', () => {
  it('answers 503 and says the database is unreachable', async () => {
    const unreachable = openDb('postgres://postgres@127.0.0.1:9/none', { maxConnections: 1 });
    try {
      const app = createApp({
        config: loadConfig({ NODE_ENV: 'test' }),
        db: unreachable,
        reference: await loadReference(database.db),
        secrets: { receipt: Buffer.alloc(32), session: Buffer.alloc(32) },
        logger: createLogger({ level: 'silent' }),
      });
      const response = await request(app).get('/healthz').expect(503);
      expect(response.body).toMatchObject({ status: 'unavailable', database: 'unreachable' });
    } finally {
      await unreachable.destroy();
    }
  });
});

describe('request logging (promise 1)', () => {
  it('never writes the address, user agent, referrer, query or body, even at debug level', async () => {
    const verbose = await buildTestApp(database.db, { LOG_LEVEL: 'debug', TRUST_PROXY_HOPS: '1' });
    const canary = `canary-${Date.now()}`;
    await request(verbose.app)
      .post(`/es/?q=${canary}-query`)
      .set('User-Agent', `${canary}-agent`)
      .set('X-Forwarded-For', '203.0.113.77')
      .set('Referer', `https://${canary}-referer.example/`)
      .type('form')
      .send({ narrative: `${canary}-body` });
    await request(verbose.app).get('/').set('User-Agent', `${canary}-agent`);
    const logs = verbose.logs();
    expect(logs).toContain('"msg":"request"');
    expect(logs).not.toContain(canary);
    expect(logs).not.toContain('203.0.113.77');
    expect(logs).not.toMatch(/"time"/);
  });
});
