import fc from 'fast-check';
import request from 'supertest';
import type { TestDatabase } from '../../support/database';
import {
  counts,
  incompleteReports,
  moveStaged,
  tokenOf,
  validReport,
  type IntakeTestApp,
  setUpIntake,
} from './support';

// Promise 7: no request body can produce a 500 or leave half a report. fast-check sends valid forms
// with hostile changes (wrong types, arrays for scalars, huge and odd Unicode, prototype keys,
// duplicated fields) and raw bytes, and after each one the database holds exactly one new complete
// report (on a 200) or nothing new (on a 4xx).

let database: TestDatabase;
let testApp: IntakeTestApp;

beforeAll(async () => {
  ({ database, testApp } = await setUpIntake({ intake: { rateLimits: false } }));
});
afterAll(() => database.destroy());

const FIELDS = Object.keys(validReport());
const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf'];

// Percent-encodes every UTF-8 byte, so that any string (lone surrogates included) can be sent.
function encodeBytes(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
}
const encodeText = (text: string): string => encodeBytes(Buffer.from(text, 'utf8'));

const oddText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\u202e\u2066',
    '\ud800',
    '\udfff',
    '🌵'.repeat(2600),
    'é'.repeat(5001),
    'x'.repeat(20_000),
    '1e3',
    '-1',
    '13',
    '0',
    '2026.0',
    ' 2026',
    '٢٠٢٦',
    'NaN',
    'true',
    '[object Object]',
    'TX',
    'tx',
    'HOU',
    '48201',
    'yes',
    'YES',
    'organizer',
    'surveillance',
  ),
  fc.constantFrom(...PROTOTYPE_KEYS),
);
const anyKey = fc.oneof(
  fc.constantFrom(...FIELDS, ...PROTOTYPE_KEYS, 'token', 'state[]', 'action[0]', 'a[b][c]', ''),
  fc.string({ unit: 'binary', maxLength: 12 }),
);

type Change =
  | { op: 'drop'; key: string }
  | { op: 'set'; key: string; values: string[] }
  | { op: 'duplicate'; key: string }
  | { op: 'add'; key: string; value: string };

const change: fc.Arbitrary<Change> = fc.oneof(
  fc.record({ op: fc.constant('drop' as const), key: fc.constantFrom(...FIELDS) }),
  fc.record({
    op: fc.constant('set' as const),
    key: fc.constantFrom(...FIELDS),
    values: fc.array(oddText, { minLength: 0, maxLength: 4 }),
  }),
  fc.record({ op: fc.constant('duplicate' as const), key: fc.constantFrom(...FIELDS) }),
  fc.record({ op: fc.constant('add' as const), key: anyKey, value: oddText }),
);

function applyChanges(pairs: [string, string][], changes: Change[]): [string, string][] {
  let result = [...pairs];
  for (const item of changes) {
    if (item.op === 'drop') result = result.filter(([key]) => key !== item.key);
    if (item.op === 'set') {
      result = result.filter(([key]) => key !== item.key);
      result.push(...item.values.map((value): [string, string] => [item.key, value]));
    }
    if (item.op === 'duplicate') result.push(...result.filter(([key]) => key === item.key));
    if (item.op === 'add') result.push([item.key, item.value]);
  }
  return result;
}

function pairsOf(body: Record<string, string | string[]>): [string, string][] {
  return Object.entries(body).flatMap(([key, value]) =>
    (Array.isArray(value) ? value : [value]).map((item): [string, string] => [key, item]),
  );
}

async function expectOneOrNone(status: number, before: Awaited<ReturnType<typeof counts>>): Promise<void> {
  expect(status === 200 || (status >= 400 && status < 500)).toBe(true);
  const added = status === 200 ? 1 : 0;
  expect((await counts(database.db)).staged).toBe(before.staged + added);
  await moveStaged(database.db);
  const after = await counts(database.db);
  expect(after.reports).toBe(before.reports + added);
  expect(after.receipts).toBe(before.receipts + added);
  expect(await incompleteReports(database.db)).toBe(0);
}

describe('POST /report with hostile bodies', () => {
  it('answers only 200 or 4xx to valid forms with random changes, and stores one complete report or none', async () => {
    let accepted = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(change, { maxLength: 5 }), fc.boolean(), async (changes, spanish) => {
        const prefix = spanish ? '/es' : '';
        const token = tokenOf((await request(testApp.app).get(`${prefix}/report`)).text);
        const pairs = applyChanges([...pairsOf(validReport()), ['token', token]], changes);
        const body = pairs.map(([key, value]) => `${encodeText(key)}=${encodeText(value)}`).join('&');
        const before = await counts(database.db);
        const response = await request(testApp.app).post(`${prefix}/report`).type('form').send(body);
        if (response.status === 200) accepted += 1;
        else refused += 1;
        await expectOneOrNone(response.status, before);
      }),
      { numRuns: 150 },
    );
    // Both outcomes were exercised, or the property proved little.
    expect(accepted).toBeGreaterThan(5);
    expect(refused).toBeGreaterThan(5);
  });

  it('answers only 4xx to raw bytes under any content type, and stores nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 400 }),
        fc.constantFrom(
          'application/x-www-form-urlencoded',
          'application/x-www-form-urlencoded; charset=iso-8859-1',
          'application/x-www-form-urlencoded; charset=utf-16',
          'application/json',
          'multipart/form-data; boundary=x',
          'text/plain',
        ),
        fc.constantFrom('/report', '/es/report', '/status', '/es/status/messages', '/status/messages'),
        async (bytes, contentType, path) => {
          const before = await counts(database.db);
          const response = await request(testApp.app)
            .post(path)
            .set('Content-Type', contentType)
            .send(Buffer.from(bytes));
          expect(response.status).toBeGreaterThanOrEqual(400);
          expect(response.status).toBeLessThan(500);
          expect(await counts(database.db)).toEqual(before);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('answers 413, not 500, to a body over the size limit and to too many fields', async () => {
    const before = await counts(database.db);
    await request(testApp.app)
      .post('/report')
      .type('form')
      .send(`narrative=${'x'.repeat(70_000)}`)
      .expect(413);
    await request(testApp.app)
      .post('/report')
      .type('form')
      .send(Array.from({ length: 250 }, (_, index) => `action=${index}`).join('&'))
      .expect(413);
    expect(await counts(database.db)).toEqual(before);
  });
});

describe('POST /status and /status/messages with hostile bodies', () => {
  it('answers only 200 or 4xx to random receipts and messages, and stores no message without a real receipt', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom('receipt', 'message', 'token', ...PROTOTYPE_KEYS), oddText), {
          maxLength: 6,
        }),
        fc.constantFrom('/status', '/status/messages', '/es/status/messages'),
        async (pairs, path) => {
          const before = await counts(database.db);
          const body = pairs.map(([key, value]) => `${encodeText(key)}=${encodeText(value)}`).join('&');
          const response = await request(testApp.app).post(path).type('form').send(body);
          expect(response.status).toBeGreaterThanOrEqual(400);
          expect(response.status).toBeLessThan(500);
          expect(await counts(database.db)).toEqual(before);
        },
      ),
      { numRuns: 120 },
    );
  });
});
