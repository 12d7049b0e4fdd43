import type { Express } from 'express';
import request from 'supertest';
import { seedDemoCases } from '../../../seeds/demo-cases';
import { langPrefixes } from '../../../src/platform/i18n';
import { loadReference } from '../../../src/reference/store';
import { buildTestApp, type TestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { createModerator } from '../../support/desk';
import { buildReport, insertReport } from '../../support/factories';
import { insertTestRelease } from '../../support/public-release';
import { addDeskKey } from '../intake/support';

// Every route the app registers, read from Express's own router stack: the list must equal the one checked
// in below, so a new route fails here until it is listed with what an anonymous visitor gets from it. Then
// every route, in every language, is asked by someone signed out: GETs with plausible and implausible path
// parameters, POSTs with an empty body. Nothing a stranger sends may produce a 5xx.

type Method = 'GET' | 'POST';
/** A route as registered (language prefix removed), and the status a signed-out visitor gets from it. */
type Expected = [method: Method, path: string, anonymous: number];

// Routes mounted once, outside the language prefixes.
const UNPREFIXED: Expected[] = [
  ['GET', '/healthz', 200],
  ['GET', '/.well-known/security.txt', 200],
];

// Routes mounted at '/' and under every language prefix. Statuses are for the plausible parameters below
// (GET) or an empty body (POST): the desk sends strangers to its login page before reading anything, its
// login forms refuse a missing CSRF token with 403, and intake's forms a missing form token with 422.
const LOCALIZED: Expected[] = [
  ['GET', '/cases', 200],
  ['GET', '/cases.csv', 200],
  ['GET', '/api/v1/cases', 200],
  ['GET', '/cases/map', 200],
  ['GET', '/cases/map/states.svg', 200],
  ['GET', '/cases/map/field-offices.svg', 200],
  ['GET', '/cases/:id', 200],
  ['GET', '/', 200],
  ['GET', '/map', 200],
  ['GET', '/map/shapes.svg', 200],
  ['GET', '/map/states.svg', 200],
  ['GET', '/map/states.png', 200],
  ['GET', '/map/field-offices.svg', 200],
  ['GET', '/map/field-offices.png', 200],
  ['GET', '/data', 200],
  ['GET', '/data/releases', 200],
  ['GET', '/data/releases.atom', 200],
  ['GET', '/data/releases/:label', 200],
  ['GET', '/data/releases/:label/changes', 200],
  ['GET', '/data/releases/:label/changes.csv', 200],
  ['GET', '/data/releases/:label/datapackage.json', 200],
  ['GET', '/data/releases/:label/codebook.csv', 200],
  ['GET', '/data/boundaries/:file', 200],
  ['GET', '/data/releases/:label/:file', 200],
  ['GET', '/api/v1/releases', 200],
  ['GET', '/api/v1/releases/:label/tables/:table', 200],
  ['GET', '/codebook', 200],
  ['GET', '/methodology', 200],
  ['GET', '/methodology/disclosure', 200],
  ['GET', '/report', 200],
  ['POST', '/report', 422],
  ['GET', '/status', 200],
  ['POST', '/status', 422],
  ['POST', '/status/messages', 422],
  ['GET', '/moderate/login', 200],
  ['POST', '/moderate/login', 403],
  ['GET', '/moderate/login/code', 303],
  ['POST', '/moderate/login/code', 403],
  ['POST', '/moderate/logout', 303],
  ['GET', '/moderate/password', 303],
  ['POST', '/moderate/password', 303],
  ['GET', '/moderate/admin/moderators', 303],
  ['POST', '/moderate/admin/moderators', 303],
  ['POST', '/moderate/admin/moderators/:id/reset', 303],
  ['POST', '/moderate/admin/moderators/:id/role', 303],
  ['POST', '/moderate/admin/moderators/:id/status', 303],
  ['GET', '/moderate/desk-key', 303],
  ['POST', '/moderate/admin/desk-key/rotate', 303],
  ['GET', '/moderate', 303],
  ['POST', '/moderate/approve', 303],
  ['GET', '/moderate/reports/:id', 303],
  ['POST', '/moderate/reports/:id/codes', 303],
  ['POST', '/moderate/reports/:id/approve', 303],
  ['POST', '/moderate/reports/:id/reject', 303],
  ['POST', '/moderate/reports/:id/duplicate', 303],
  ['POST', '/moderate/reports/:id/question', 303],
  ['GET', '/moderate/admin/audit', 303],
  ['GET', '/moderate/decided', 303],
  ['GET', '/moderate/decided/:id', 303],
  ['POST', '/moderate/decided/:id/codes', 303],
  ['GET', '/moderate/numbers', 303],
  ['GET', '/moderate/releases', 303],
  ['POST', '/moderate/releases/preview', 303],
  ['POST', '/moderate/releases', 303],
  ['GET', '/moderate/releases/jobs/:id', 303],
  ['GET', '/moderate/cases', 303],
  ['GET', '/moderate/cases/new', 303],
  ['POST', '/moderate/cases', 303],
  ['GET', '/moderate/cases/:id', 303],
  ['POST', '/moderate/cases/:id', 303],
  ['POST', '/moderate/cases/:id/retract', 303],
  ['POST', '/moderate/cases/:id/reinstate', 303],
];

// Path parameters a hostile or careless client might send: numbers out of range, traversal, broken
// percent-encoding, markup, SQL, very long values, characters outside Latin-1.
const IMPLAUSIBLE = [
  '0',
  '-1',
  '99999999999999999999',
  '1e309',
  'not-an-id',
  '%00',
  '%E0%A4%A',
  '..%2F..%2Fpackage.json',
  encodeURIComponent('<script>alert(1)</script>'),
  encodeURIComponent("' or 1=1 --"),
  'x'.repeat(600),
  encodeURIComponent('😀'),
];

interface Listed {
  method: Method;
  prefix: string;
  path: string;
}

interface RouterLayer {
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: RouterLayer[] };
  rawPath?: unknown;
}

/** Every (method, mount prefix, path) the app's router stack holds, routers mounted in routers included. */
function registeredRoutes(app: Express): Listed[] {
  const found: Listed[] = [];
  const walk = (stack: RouterLayer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) {
          found.push({ method: method.toUpperCase() as Method, prefix, path: String(layer.route.path) });
        }
      } else if (layer.handle?.stack) {
        const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        walk(layer.handle.stack, `${prefix}${mount}`);
      }
    }
  };
  walk((app as unknown as { router: { stack: RouterLayer[] } }).router.stack, '');
  return found;
}

const key = (method: string, path: string) => `${method} ${path}`;

let database: TestDatabase;
let testApp: TestApp;
/** Plausible values for each route's parameters: things that exist (a job id only has the right shape). */
let plausible: Record<string, string>;

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  await addDeskKey(db);
  await seedDemoCases(db, { NODE_ENV: 'test' });
  const reference = await loadReference(db);
  await insertTestRelease(db, reference, {
    label: '2025-Q4',
    cutoff: '2025-12-31',
    publishedOn: '2026-01-20',
  });
  await insertTestRelease(db, reference, { label: '2026-Q3' });
  const moderator = await createModerator(db, 'moderator');
  const reportId = await insertReport(db, buildReport());
  const decidedId = await insertReport(db, buildReport({ status: 'approved', decisionOn: '2026-02-05' }));
  const caseId = String(((await db('public_cases').min('id as id').first()) as { id: number }).id);
  plausible = {
    '/cases/:id': caseId,
    '/moderate/cases/:id': caseId,
    '/moderate/reports/:id': reportId,
    '/moderate/decided/:id': decidedId,
    '/moderate/admin/moderators/:id': String(moderator.id),
    '/moderate/releases/jobs/:id': '00000000-0000-4000-8000-000000000000',
    '/data/boundaries/:file': 'states.geojson',
    ':label': '2026-Q3',
    ':table': 'by_state',
    '/data/releases/:label/:file': 'by_state.csv',
  };
  testApp = await buildTestApp(db);
}, 120_000);
afterAll(() => database?.destroy());

/** The route's path with every parameter filled by `value`, or by a value that exists when `value` is null. */
function fill(path: string, value: string | null): string {
  return path.replace(/:(\w+)/g, (param: string, _name: string, offset: number) => {
    if (value !== null) return value;
    const scope = path.slice(0, offset + param.length);
    const found = Object.entries(plausible).find(([pattern]) => pattern === scope || scope.endsWith(pattern));
    if (!found) throw new Error(`no plausible value for ${param} in ${path}`);
    return found[1];
  });
}

const expectedRoutes = (): string[] =>
  [
    ...UNPREFIXED.map(([method, path]) => key(method, path)),
    ...['', ...langPrefixes()].flatMap((prefix) =>
      LOCALIZED.map(([method, path]) => key(method, `${prefix}${path}`)),
    ),
  ].sort();

describe('the routes the app registers', () => {
  it('are exactly the checked-in list, in every language: a new route needs an entry here', () => {
    const listed = registeredRoutes(testApp.app).map((r) => key(r.method, `${r.prefix}${r.path}`));
    expect(listed.length).toBeGreaterThan(LOCALIZED.length);
    expect(listed.sort()).toEqual(expectedRoutes());
  });
});

describe('every route, asked by someone signed out', () => {
  const gets = [...UNPREFIXED, ...LOCALIZED].filter(([method]) => method === 'GET');
  const posts = LOCALIZED.filter(([method]) => method === 'POST');

  it.each(gets.map(([, path, status]) => [path, status] as const))(
    'GET %s answers %d with parameters that exist, in every language',
    async (path, status) => {
      const prefixes = UNPREFIXED.some(([, p]) => p === path) ? [''] : ['', ...langPrefixes()];
      for (const prefix of prefixes) {
        const url = `${prefix}${fill(path, null)}`;
        const response = await request(testApp.app).get(url);
        expect({ url, status: response.status }).toEqual({ url, status });
        if (status === 303) expect(response.headers.location).toBe(`${prefix}/moderate/login`);
      }
    },
  );

  it.each(gets.filter(([, path]) => path.includes(':')).map(([, path]) => path))(
    'GET %s never answers 5xx to implausible parameters',
    async (path) => {
      for (const value of IMPLAUSIBLE) {
        for (const prefix of ['', ...langPrefixes()]) {
          const url = `${prefix}${fill(path, value)}`;
          const response = await request(testApp.app).get(url);
          expect({ url, serverError: response.status >= 500 }).toEqual({ url, serverError: false });
        }
      }
    },
  );

  it.each(posts.map(([, path, status]) => [path, status] as const))(
    'POST %s with an empty body answers %d, never 5xx, in every language',
    async (path, status) => {
      const values = path.includes(':') ? [null, ...IMPLAUSIBLE] : [null];
      for (const value of values) {
        for (const prefix of ['', ...langPrefixes()]) {
          const url = `${prefix}${fill(path, value)}`;
          const response = await request(testApp.app).post(url).type('form').send('');
          expect({ url, serverError: response.status >= 500 }).toEqual({ url, serverError: false });
          if (value !== null) continue;
          expect({ url, status: response.status }).toEqual({ url, status });
          if (status === 303) expect(response.headers.location).toBe(`${prefix}/moderate/login`);
        }
      }
    },
  );

  // Last in the file, after every request above: a 5xx is logged as "request failed", and none may have been.
  it('logged no failed request', () => {
    expect(testApp.logs()).not.toContain('request failed');
  });
});
