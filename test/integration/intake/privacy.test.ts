import request from 'supertest';
import type { TestDatabase } from '../../support/database';
import {
  canaryHeaders,
  buildIntakeApp,
  encode,
  moveStaged,
  receiptOf,
  reportIdOf,
  submitReport,
  tokenOf,
  validReport,
  type IntakeTestApp,
  setUpIntake,
} from './support';

// Promise 1 and 2 for the reporter's routes: nothing from the request but the form's fields reaches the
// database or the logs, and no anonymous route sets a cookie.

let database: TestDatabase;
let testApp: IntakeTestApp;

beforeAll(async () => {
  // Debug logging and one trusted proxy hop: the app reads X-Forwarded-For, and logs every request line.
  ({ database, testApp } = await setUpIntake({ env: { LOG_LEVEL: 'debug', TRUST_PROXY_HOPS: '1' } }));
});
afterAll(() => database.destroy());

/** Every text-like and bytea column of every table, searched for each needle; returns the hits. */
async function findInDatabase(needles: string[]): Promise<string[]> {
  const columns: { table_name: string; column_name: string; data_type: string }[] = (
    await database.db.raw(
      `select table_name, column_name, data_type from information_schema.columns
        where table_schema = 'public'
          and data_type in ('text', 'character varying', 'character', 'bytea', 'json', 'jsonb', 'inet', 'cidr', 'USER-DEFINED', 'ARRAY')`,
    )
  ).rows;
  expect(columns.some((column) => column.table_name === 'reports' && column.data_type === 'bytea')).toBe(
    true,
  );
  expect(columns.some((column) => column.table_name === 'receipts')).toBe(true);
  const hits: string[] = [];
  for (const { table_name: table, column_name: column, data_type: type } of columns) {
    for (const needle of needles) {
      const found =
        type === 'bytea'
          ? await database.db.raw('select 1 from ?? where position(convert_to(?, ?) in ??) > 0 limit 1', [
              table,
              needle,
              'UTF8',
              column,
            ])
          : await database.db.raw('select 1 from ?? where ??::text ilike ? limit 1', [
              table,
              column,
              `%${needle}%`,
            ]);
      if (found.rows.length > 0) hits.push(`${table}.${column}: ${needle}`);
    }
  }
  return hits;
}

describe('a report sent with a unique user agent, forwarded address and referrer', () => {
  it('leaves none of them in the logs or in any column of any table', async () => {
    const { canary, address, headers } = canaryHeaders();
    const form = await request(testApp.app).get('/es/report').set(headers).expect(200);
    const sent = await request(testApp.app)
      .post('/es/report')
      .set(headers)
      .type('form')
      .send(
        encode({
          ...validReport({ narrative: 'Una descripción sin datos personales.' }),
          token: tokenOf(form.text),
        }),
      )
      .expect(200);
    const receipt = receiptOf(sent.text);
    const status = await request(testApp.app)
      .post('/es/status')
      .set(headers)
      .type('form')
      .send({ receipt })
      .expect(200);
    await request(testApp.app)
      .post('/es/status/messages')
      .set(headers)
      .type('form')
      .send({ receipt, token: tokenOf(status.text), message: 'Un detalle más.' })
      .expect(200);
    await request(testApp.app)
      .post('/status')
      .set(headers)
      .type('form')
      .send({ receipt: 'wrong words' })
      .expect(422);

    // While staged, and again once moved into the tables.
    expect(await findInDatabase([canary, address, receipt, 'Mozilla'])).toEqual([]);
    await moveStaged(database.db);
    const id = await reportIdOf(database.db, receipt);
    expect(await database.db('report_messages').where({ report_id: id })).toHaveLength(1);
    const logs = testApp.logs();
    expect(logs).toContain('"msg":"request"');
    for (const needle of [canary, address, receipt]) expect(logs).not.toContain(needle);
    expect(await findInDatabase([canary, address, receipt, 'Mozilla'])).toEqual([]);
  });
});

describe('cookies', () => {
  it('are never set by any intake route, in either language', async () => {
    const app = (await buildIntakeApp(database.db)).app;
    for (const lang of ['en', 'es'] as const) {
      const prefix = lang === 'es' ? '/es' : '';
      const responses = [
        await request(app).get(`${prefix}/report`),
        await request(app)
          .post(`${prefix}/report`)
          .type('form')
          .send(encode(validReport({ state: '' }))),
        await submitReport(app, validReport(), lang).expect(200),
        await request(app).get(`${prefix}/status`),
        await request(app).post(`${prefix}/status`).type('form').send({ receipt: 'nothing here' }),
        await request(app)
          .post(`${prefix}/status/messages`)
          .type('form')
          .send({ receipt: 'x', message: 'y' }),
        await request(app)
          .post(`${prefix}/report`)
          .set('Sec-Fetch-Site', 'cross-site')
          .type('form')
          .send('a=b'),
      ];
      const first = responses[2]!;
      const status = await request(app)
        .post(`${prefix}/status`)
        .type('form')
        .send({ receipt: receiptOf(first.text) });
      responses.push(status);
      responses.push(
        await request(app)
          .post(`${prefix}/status/messages`)
          .type('form')
          .send({ receipt: receiptOf(first.text), token: tokenOf(status.text), message: 'hola' }),
      );
      expect(responses.map((response) => response.status)).toEqual([
        200, 422, 200, 200, 422, 422, 403, 200, 200,
      ]);
      for (const response of responses) {
        expect(response.headers['set-cookie']).toBeUndefined();
        expect(response.headers['cache-control']).toBe('no-store');
      }
    }
  });
});

describe('free-text fields a reporter types', () => {
  // Browsers' cloud spellcheck ("enhanced spell check") sends typed text to a third party, and autofill
  // stores it on the device: both are off on every field a reporter types into.
  function fieldsOf(html: string): string[] {
    return [...html.matchAll(/<textarea\b[^>]*>|<input\b[^>]*type="text"[^>]*>/g)].map((match) => match[0]);
  }

  it('turn off spellcheck and autocomplete on the form, the receipt box and the message box, in both languages', async () => {
    const receipt = receiptOf((await submitReport(testApp.app, validReport()).expect(200)).text);
    const pages = [
      (await request(testApp.app).get('/report')).text,
      (await request(testApp.app).get('/es/report')).text,
      (await request(testApp.app).get('/status')).text,
      (await request(testApp.app).get('/es/status')).text,
      (await request(testApp.app).post('/status').type('form').send({ receipt })).text,
      (await request(testApp.app).post('/es/status').type('form').send({ receipt })).text,
    ];
    const fields = pages.flatMap(fieldsOf);
    expect(fields.filter((field) => field.includes('id="narrative"'))).toHaveLength(2);
    expect(fields.filter((field) => field.includes('id="message"'))).toHaveLength(2);
    expect(fields.filter((field) => field.includes('id="receipt"'))).toHaveLength(2);
    for (const field of fields) {
      expect(field).toContain('spellcheck="false"');
      expect(field).toContain('autocomplete="off"');
    }
    await moveStaged(database.db);
  });
});
