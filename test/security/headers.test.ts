import request from 'supertest';
import { loadReference } from '../../src/reference/store';
import { buildTestApp, type TestApp } from '../support/app';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createModerator, signIn } from '../support/desk';
import { insertTestRelease } from '../support/public-release';
import { addDeskKey, encode, submitReport, tokenOf, validReport } from '../integration/intake/support';

// Promise 2 on every route the app serves, in both languages: the strict CSP, no framing, no sniffing, no
// referrer, no cookie on anything anonymous, and no-store on the form, receipt, status and desk pages.

let database: TestDatabase;
let testApp: TestApp;
let assetPaths: string[];

const RELEASE = '2026-Q3';

// Every anonymous GET route, with a valid request each (and the unknown page, which is a route too).
const PUBLIC_PATHS = [
  '/',
  '/map',
  '/map?view=field_office&year=2024',
  '/map?view=state&action=arrest',
  `/map?release=${RELEASE}&view=state`,
  '/map/states.svg',
  '/map/states.png',
  '/map/field-offices.svg',
  '/map/field-offices.png',
  '/data',
  '/data/releases',
  `/data/releases/${RELEASE}`,
  `/data/releases/${RELEASE}/by_state.csv`,
  `/data/releases/${RELEASE}/all.zip`,
  '/api/v1/releases',
  `/api/v1/releases/${RELEASE}/tables/by_field_office`,
  '/codebook',
  '/methodology',
];
const NO_STORE_PATHS = ['/report', '/status'];
const UNLOCALIZED_PATHS = ['/healthz', '/.well-known/security.txt'];
const ERROR_PATHS = [
  '/no-such-page',
  '/data?unknown=1',
  '/data/releases/1999-Q1',
  '/api/v1/nothing',
  '/map?view=county',
];

function localized(path: string): string[] {
  return [path, `/es${path === '/' ? '/' : path}`];
}

/** The headers every response must carry, whatever its route or status. */
function expectStrictHeaders(response: request.Response, where: string): void {
  const headers = response.headers;
  const csp = String(headers['content-security-policy']);
  const directives = new Map(
    csp.split(';').map((part) => {
      const [name, ...values] = part.trim().split(/\s+/);
      return [name, values.join(' ')] as const;
    }),
  );
  const context = `${where} → ${response.status}`;
  expect({ context, csp: directives.get('default-src') }).toEqual({ context, csp: "'none'" });
  for (const [name, value] of [
    ['script-src', "'self'"],
    ['style-src', "'self'"],
    ['img-src', "'self'"],
    ['font-src', "'self'"],
    ['form-action', "'self'"],
    ['frame-ancestors', "'none'"],
    ['base-uri', "'none'"],
    ['object-src', "'none'"],
  ] as const) {
    expect({ context, [name]: directives.get(name) }).toEqual({ context, [name]: value });
  }
  // No unsafe-inline or unsafe-eval, no data: or blob: sources, no wildcard and no other origin.
  expect({ context, csp }).toEqual({
    context,
    csp: expect.not.stringMatching(/unsafe-|data:|blob:|\*|https?:/),
  });
  expect({ context, nosniff: headers['x-content-type-options'] }).toEqual({ context, nosniff: 'nosniff' });
  expect({ context, referrer: headers['referrer-policy'] }).toEqual({ context, referrer: 'no-referrer' });
  expect({ context, poweredBy: headers['x-powered-by'] }).toEqual({ context, poweredBy: undefined });
}

function expectNoCookie(response: request.Response, where: string): void {
  expect({ where, cookie: response.headers['set-cookie'] }).toEqual({ where, cookie: undefined });
}

function expectNoStore(response: request.Response, where: string): void {
  expect({ where, cache: response.headers['cache-control'] }).toEqual({ where, cache: 'no-store' });
}

beforeAll(async () => {
  database = await createTestDatabase();
  await insertTestRelease(database.db, await loadReference(database.db), { label: RELEASE });
  await addDeskKey(database.db);
  testApp = await buildTestApp(database.db);
  const home = (await request(testApp.app).get('/').expect(200)).text;
  assetPaths = [
    ...new Set([...home.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((match) => match[1]!)),
  ];
}, 120_000);
afterAll(() => database.destroy());

describe('anonymous GET routes', () => {
  it.each(PUBLIC_PATHS.flatMap(localized))('%s sends the strict headers and no cookie', async (path) => {
    const response = await request(testApp.app).get(path);
    expect({ path, status: response.status }).toEqual({ path, status: 200 });
    expectStrictHeaders(response, path);
    expectNoCookie(response, path);
  });

  it.each(NO_STORE_PATHS.flatMap(localized))('%s is no-store as well', async (path) => {
    const response = await request(testApp.app).get(path).expect(200);
    expectStrictHeaders(response, path);
    expectNoCookie(response, path);
    expectNoStore(response, path);
  });

  it.each(UNLOCALIZED_PATHS)('%s sends the strict headers and no cookie', async (path) => {
    const response = await request(testApp.app).get(path).expect(200);
    expectStrictHeaders(response, path);
    expectNoCookie(response, path);
  });

  it.each(ERROR_PATHS.flatMap(localized))(
    '%s answers 4xx with the strict headers and no cookie',
    async (path) => {
      const response = await request(testApp.app).get(path);
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expectStrictHeaders(response, path);
      expectNoCookie(response, path);
    },
  );

  it('covers the static assets the pages link to', async () => {
    expect(assetPaths.length).toBeGreaterThan(0);
    for (const path of assetPaths) {
      const response = await request(testApp.app).get(path).expect(200);
      expectStrictHeaders(response, path);
      expectNoCookie(response, path);
    }
  });
});

describe('anonymous POST routes', () => {
  it.each(['en', 'es'] as const)(
    'the form, receipt and status pages in %s are no-store, with no cookie',
    async (lang) => {
      const prefix = lang === 'es' ? '/es' : '';
      const app = testApp.app;
      const invalid = await request(app)
        .post(`${prefix}/report`)
        .type('form')
        .send(encode(validReport({ state: '' })))
        .expect(422);
      const receiptPage = await submitReport(app, validReport(), lang).expect(200);
      const receipt = /class="receipt"[^>]*>([^<]+)</.exec(receiptPage.text)?.[1]?.trim() ?? '';
      const status = await request(app).post(`${prefix}/status`).type('form').send({ receipt }).expect(200);
      const lookupMiss = await request(app)
        .post(`${prefix}/status`)
        .type('form')
        .send({ receipt: 'no such words' });
      const message = await request(app)
        .post(`${prefix}/status/messages`)
        .type('form')
        .send({ receipt, token: tokenOf(status.text), message: 'x'.repeat(20_000) });
      const crossSite = await request(app)
        .post(`${prefix}/report`)
        .set('Sec-Fetch-Site', 'cross-site')
        .type('form')
        .send('a=b');
      const responses = { invalid, receiptPage, status, lookupMiss, message, crossSite };
      for (const [name, response] of Object.entries(responses)) {
        expectStrictHeaders(response, `${lang} ${name}`);
        expectNoCookie(response, `${lang} ${name}`);
        expectNoStore(response, `${lang} ${name}`);
      }
      expect(lookupMiss.status).toBe(422);
      expect(message.status).toBeGreaterThanOrEqual(400);
      expect(crossSite.status).toBe(403);
    },
  );
});

describe('moderation pages', () => {
  it.each(['', '/es'])(
    '%s/moderate/… are no-store with the strict headers, signed out and signed in',
    async (prefix) => {
      const paths = [
        '/moderate/login',
        '/moderate/login/code',
        '/moderate',
        '/moderate/admin/audit',
        '/moderate/releases',
      ];
      for (const path of paths) {
        const response = await request(testApp.app).get(`${prefix}${path}`);
        expect(response.status).toBeLessThan(500);
        expectStrictHeaders(response, `${prefix}${path} signed out`);
        expectNoStore(response, `${prefix}${path} signed out`);
      }
      const admin = await createModerator(database.db, 'admin');
      const agent = await signIn(testApp.app, database.db, admin, prefix);
      const signedIn = [
        '/moderate',
        '/moderate/admin/audit',
        '/moderate/admin/moderators',
        '/moderate/releases',
        '/moderate/password',
      ];
      for (const path of signedIn) {
        const response = await agent.get(`${prefix}${path}`).expect(200);
        expectStrictHeaders(response, `${prefix}${path} signed in`);
        expectNoStore(response, `${prefix}${path} signed in`);
      }
    },
  );
});

describe('methods other than GET, HEAD and POST', () => {
  const paths = ['/', '/es/report', '/report', '/data', '/api/v1/releases', '/moderate/login', '/healthz'];
  it.each(['trace', 'put', 'delete', 'patch', 'options'] as const)(
    '%s is refused with 405 on every route',
    async (method) => {
      for (const path of paths) {
        const response = await request(testApp.app)[method](path).set('X-Echo-Canary', 'echo-canary-7f3a');
        expect({ path, status: response.status }).toEqual({ path, status: 405 });
        expect(response.headers.allow).toBe('GET, HEAD, POST');
        expect(response.text ?? '').not.toContain('echo-canary-7f3a');
        expectNoCookie(response, `${method} ${path}`);
      }
    },
  );

  it('HEAD carries the same strict headers as GET', async () => {
    for (const path of ['/', '/es/report', '/data', '/healthz']) {
      const response = await request(testApp.app).head(path);
      expect(response.status).toBe(200);
      expectStrictHeaders(response, `HEAD ${path}`);
      expectNoCookie(response, `HEAD ${path}`);
    }
  });
});

describe('/.well-known/security.txt', () => {
  it('follows RFC 9116: contact, an expiry within a year, languages and its canonical address', async () => {
    const response = await request(testApp.app).get('/.well-known/security.txt').expect(200);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    const fields = new Map(
      response.text
        .trim()
        .split('\n')
        .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()] as const),
    );
    expect(fields.get('Contact')).toMatch(/^(mailto:|https:\/\/)/);
    expect(fields.get('Preferred-Languages')).toBe('en, es');
    expect(fields.get('Canonical')).toBe(`${testApp.config.origin}/.well-known/security.txt`);
    const expires = Date.parse(fields.get('Expires') ?? '');
    const today = new Date('2026-11-27T00:00:00Z').getTime();
    expect(expires).toBeGreaterThan(today);
    expect(expires - today).toBeLessThan(365 * 24 * 60 * 60 * 1000);
    expect(fields.get('Expires')).toMatch(/^\d{4}-\d\d-\d\dT00:00:00Z$/);
  });
});
