import fc from 'fast-check';
import request from 'supertest';
import { seedDemoCases } from '../../../seeds/demo-cases';
import { buildTestApp, type TestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { createModerator, csrfFrom, signIn } from '../../support/desk';

// Bad input gets a clear, translated 4xx, never a 500 and never half a change: fast-check sends hostile
// query strings to every public route of the record, and hostile forms to the desk as a signed-in admin.

let database: TestDatabase;
let testApp: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoCases(database.db, { NODE_ENV: 'test' });
  testApp = await buildTestApp(database.db);
});
afterAll(() => database.destroy());

const oddText = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    '',
    'WA',
    'wa',
    'unknown',
    'SEA',
    'arrest',
    '2024',
    '0',
    '-1',
    '1e9',
    '__proto__',
    '%00',
    '\u202e',
    'x'.repeat(300),
  ),
);
const KEYS = [
  'state',
  'office',
  'action',
  'year',
  'page',
  'view',
  'release',
  '__proto__',
  'constructor',
  'state[]',
];

// Percent-encodes every UTF-8 byte, so any string (lone surrogates included) can be sent.
const encode = (text: string) =>
  Array.from(Buffer.from(text, 'utf8'), (byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');

describe('hostile query strings on the public record', () => {
  it('get a page, a 400 or a 404, never a 500, in both languages', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          '/cases',
          '/cases.csv',
          '/api/v1/cases',
          '/cases/map',
          '/cases/map/states.svg',
          '/cases/1',
          '/cases/abc',
        ),
        fc.array(fc.tuple(fc.constantFrom(...KEYS), oddText), { maxLength: 4 }),
        fc.boolean(),
        async (route, pairs, spanish) => {
          const query = pairs.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');
          const response = await request(testApp.app).get(
            `${spanish ? '/es' : ''}${route}${query ? `?${query}` : ''}`,
          );
          expect([200, 400, 404]).toContain(response.status);
          if (response.status !== 200 && String(response.headers['content-type']).startsWith('text/html')) {
            expect(response.text).not.toMatch(/cases\.errors\.|public\.errors\./);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('hostile forms at the desk', () => {
  it('get a redirect, a 4xx with the form, or a 409, never a 500, and change nothing unless accepted', async () => {
    const agent = await signIn(testApp.app, database.db, await createModerator(database.db, 'admin'));
    const FIELDS = [
      'month',
      'state',
      'field_office',
      'action_types',
      'activism_types',
      'target_role',
      'summary_en',
      'summary_es',
      'source_0_url',
      'source_0_title',
      'source_0_kind',
      'source_0_published',
      'source_0_remove',
      'source_25_url',
      'version',
      'reason_en',
    ];
    const snapshot = async () => ({
      cases: await database.db('public_cases').select().orderBy('id'),
      sources: await database.db('public_case_sources').count({ n: '*' }),
      codes: await database.db('public_case_codes').count({ n: '*' }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          '/moderate/cases',
          '/moderate/cases/1',
          '/moderate/cases/1/retract',
          '/moderate/cases/2/reinstate',
        ),
        fc.array(
          fc.tuple(fc.constantFrom(...FIELDS), fc.oneof(oddText, fc.array(oddText, { maxLength: 3 }))),
          {
            maxLength: 8,
          },
        ),
        async (route, fields) => {
          const page = await agent.get('/moderate/cases/new').expect(200);
          const body = [
            `_csrf=${encode(csrfFrom(page.text))}`,
            ...fields.flatMap(([k, v]) =>
              (Array.isArray(v) ? v : [v]).map((value) => `${encode(k)}=${encode(value)}`),
            ),
          ].join('&');
          const before = await snapshot();
          const response = await agent.post(route).type('form').send(body);
          expect([303, 400, 404, 409, 413, 422]).toContain(response.status);
          if (response.status !== 303) expect(await snapshot()).toEqual(before);
        },
      ),
      { numRuns: 80 },
    );
  });
});
