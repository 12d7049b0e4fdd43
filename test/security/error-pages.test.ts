import request from 'supertest';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/platform/config';
import { openDb } from '../../src/platform/db';
import { createLogger } from '../../src/platform/logger';
import { loadReference } from '../../src/reference/store';
import type { Reference } from '../../src/reference/types';
import { buildTestApp, type TestApp } from '../support/app';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { insertTestRelease } from '../support/public-release';
import { addDeskKey, encode, tokenOf, validReport } from '../integration/intake/support';

// An error page tells the visitor what happened in their language and nothing about the machine: no
// stack trace, no file path, no SQL, no database message (which can quote a statement's parameters).
// Errors are forced three ways: hostile input, a database that is gone, and SQL that fails.

let database: TestDatabase;
let testApp: TestApp;
let reference: Reference;

const RELEASE = '2026-Q3';

const LEAKS: Array<[string, RegExp]> = [
  ['a stack frame', /\bat (?:async )?[\w$.<>[\]]+ \(|\bat \/|\.(?:ts|js|mjs|cjs):\d+/],
  ['a source path', /node_modules|\/src\/|\/work\/|\/home\//],
  ['an error class', /\b(?:TypeError|ReferenceError|SyntaxError|DatabaseError|KnexTimeoutError)\b/],
  ['SQL', /\b(?:select|insert into|update|delete from)\b[^<>]{0,200}\b(?:from|where|values|set)\b\s*["(\w]/i],
  [
    'a database message',
    /relation "|column "|syntax error at|violates|SQLSTATE|ECONNREFUSED|Connection terminated|pg_|knex/i,
  ],
];

function expectNoLeak(response: request.Response, where: string): void {
  // Random form and CSRF tokens are base64url, which now and then spells "pg_" by chance: not a leak.
  const body = (response.text ?? '').replace(/value="[\w-]{20,}"/g, 'value=""');
  const found = LEAKS.filter(([, pattern]) => pattern.test(body)).map(([name]) => name);
  expect({ where, status: response.status, found }).toEqual({ where, status: response.status, found: [] });
}

beforeAll(async () => {
  database = await createTestDatabase();
  reference = await loadReference(database.db);
  await insertTestRelease(database.db, reference, { label: RELEASE });
  await addDeskKey(database.db);
  testApp = await buildTestApp(database.db);
});
afterAll(() => database.destroy());

describe('the leak patterns', () => {
  it('catch what a careless error page would show', () => {
    const careless = [
      'Error: boom\n    at Object.<anonymous> (/work/main/src/app.ts:12:3)',
      'select "label" from "releases" where "label" = $1 - relation "releases" does not exist',
      'insert into "reports" ("state") values ($1)',
      'connect ECONNREFUSED 127.0.0.1:5432',
    ];
    for (const text of careless) {
      expect(LEAKS.some(([, pattern]) => pattern.test(text))).toBe(true);
    }
  });
});

describe('hostile input', () => {
  const paths = [
    `/data/releases/${RELEASE}'%20OR%20'1'='1`,
    `/data/releases/${RELEASE}/by_state.csv'%3B--`,
    `/api/v1/releases/${RELEASE}/tables/by_state'%20union%20select%201--`,
    "/map?release=2026-Q3'--&view=state",
    '/map?view=state&year=2024%20OR%201=1',
    '/map?view=state&year=99999999999999999999999',
    '/map?action[]=arrest&action[]=x',
    '/map/states.svg?release=%00',
    '/map/field-offices.png?year=-1',
    '/data/releases/%E0%A4%A',
    `/data/releases/${'9'.repeat(5000)}`,
    '/api/v1/releases/%2e%2e%2f%2e%2e%2fetc%2fpasswd/tables/x',
    '/assets/../../package.json',
    '/moderate/reports/not-a-uuid',
    "/moderate/reports/00000000-0000-0000-0000-000000000000'--",
  ];
  it.each(paths.flatMap((path) => [path, `/es${path}`]))(
    '%s answers 4xx with no trace of the machine',
    async (path) => {
      const response = await request(testApp.app).get(path);
      expect(response.status).toBeLessThan(500);
      expectNoLeak(response, path);
    },
  );

  it('answers hostile form bodies with 4xx and no trace of the machine', async () => {
    const form = await request(testApp.app).get('/report').expect(200);
    const token = tokenOf(form.text);
    const bodies = [
      encode(validReport({ state: "VT' OR '1'='1", token })),
      encode(validReport({ year: '2026; drop table reports;--', token })),
      encode(validReport({ month: '1e309', token })),
      'state=VT&state=VT&state[]=x&token=' + token,
      '%',
      'a'.repeat(70_000),
    ];
    for (const body of bodies) {
      for (const path of ['/report', '/es/report', '/status', '/es/status/messages', '/moderate/login']) {
        const response = await request(testApp.app)
          .post(path)
          .set('Content-Type', 'application/x-www-form-urlencoded')
          .send(body);
        expect({ path, status: response.status }).toEqual({ path, status: expect.any(Number) });
        expect(response.status).toBeLessThan(500);
        expectNoLeak(response, `POST ${path} ${body.slice(0, 40)}`);
      }
    }
  });

  it('answers bodies of the wrong type with 4xx and no trace of the machine', async () => {
    for (const [type, body] of [
      ['application/json', '{"state": {"$gt": ""}}'],
      ['application/json', '{'],
      [
        'multipart/form-data; boundary=x',
        '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--x--',
      ],
      ['text/xml', '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]><a>&e;</a>'],
    ] as const) {
      const response = await request(testApp.app).post('/report').set('Content-Type', type).send(body);
      expect(response.status).toBeLessThan(500);
      expectNoLeak(response, `POST /report as ${type}`);
    }
  });
});

describe('a database that cannot be reached', () => {
  it('answers every route with a translated 503 or a page that needs no database, never a trace', async () => {
    const unreachable = openDb('postgres://postgres@127.0.0.1:9/none', { maxConnections: 1 });
    // knex prints each refused connection to the console; the app's own log is what this checks.
    const quiet = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const app = createApp({
        config: loadConfig({ NODE_ENV: 'test', DATA_DIR: '/nonexistent' }),
        db: unreachable,
        reference,
        secrets: { receipt: Buffer.alloc(32, 1), session: Buffer.alloc(32, 2) },
        logger: createLogger({ level: 'silent' }),
      });
      const paths = [
        '/',
        '/map',
        '/map/states.svg',
        '/data',
        `/data/releases/${RELEASE}`,
        `/data/releases/${RELEASE}/by_state.csv`,
        '/api/v1/releases',
        '/codebook',
        '/methodology',
        '/moderate/login',
      ];
      for (const lang of ['en', 'es'] as const) {
        for (const path of paths.map((p) => (lang === 'es' ? `/es${p === '/' ? '/' : p}` : p))) {
          const response = await request(app).get(path);
          // The codebook and methodology come from the reference data in memory, and the sign-in form is
          // rendered before its session is saved: they may still answer.
          const needsDatabase = !/codebook|methodology|moderate/.test(path);
          const expected = needsDatabase ? [503] : [200, 503];
          expect({ path, ok: expected.includes(response.status) }).toEqual({ path, ok: true });
          expectNoLeak(response, path);
          if (!path.includes('/api/') && !path.endsWith('.svg') && !path.endsWith('.csv')) {
            expect(response.text).toContain(`<html lang="${lang}">`);
          }
        }
        const prefix = lang === 'es' ? '/es' : '';
        const form = await request(app).get(`${prefix}/report`).expect(200);
        const sent = await request(app)
          .post(`${prefix}/report`)
          .type('form')
          .send(encode({ ...validReport(), token: tokenOf(form.text) }));
        expect(sent.status).toBe(503);
        expect(sent.text).toContain(`<html lang="${lang}">`);
        expectNoLeak(sent, `${prefix}/report`);
        const status = await request(app)
          .post(`${prefix}/status`)
          .type('form')
          .send({ receipt: 'a b c d e f' });
        expect(status.status).toBe(503);
        expectNoLeak(status, `${prefix}/status`);
      }
      const api = await request(app).get('/es/api/v1/releases').expect(503);
      expect(api.body).toMatchObject({ error: { code: 'unavailable' } });
    } finally {
      quiet.mockRestore();
      await unreachable.destroy();
    }
  });
});

describe('SQL that fails', () => {
  it('answers a generic 500 with no SQL, and logs no SQL text either', async () => {
    // A schema the code does not expect: every query on releases fails with the statement in the message.
    await database.db.raw('alter table release_cells rename to release_cells_moved');
    await database.db.raw('alter table releases rename to releases_moved');
    try {
      const broken = await buildTestApp(database.db);
      for (const path of [
        '/',
        '/es/',
        '/data',
        '/es/data',
        '/map',
        `/data/releases/${RELEASE}`,
        '/api/v1/releases',
      ]) {
        const response = await request(broken.app).get(path);
        expect({ path, status: response.status }).toEqual({ path, status: 500 });
        expectNoLeak(response, path);
      }
      const logs = broken.logs();
      expect(logs).toContain('"msg":"request failed"');
      expect(logs).not.toMatch(/relation "|select .* from/i);
    } finally {
      await database.db.raw('alter table releases_moved rename to releases');
      await database.db.raw('alter table release_cells_moved rename to release_cells');
    }
  });
});
