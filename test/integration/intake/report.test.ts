import request from 'supertest';
import { hashReceipt, normalizeReceipt } from '../../../src/intake/receipt';
import { open, type DeskKeyPair } from '../../../src/reports/seal';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import {
  buildIntakeApp,
  counts,
  encode,
  incompleteReports,
  moveStaged,
  RECEIPT_SECRET,
  receiptOf,
  reportIdOf,
  submitReport,
  tokenOf,
  validReport,
  type IntakeTestApp,
  setUpIntake,
} from './support';

let database: TestDatabase;
let testApp: IntakeTestApp;
let desk: DeskKeyPair;

beforeAll(async () => {
  ({ database, testApp, desk } = await setUpIntake({ intake: { rateLimits: false } }));
});
afterAll(() => database.destroy());

/** The report a receipt leads to once the daily move has run. */
async function movedReportId(receipt: string): Promise<string | undefined> {
  await moveStaged(database.db);
  return reportIdOf(database.db, receipt);
}

describe('GET /report', () => {
  it('shows the form in English with the privacy box, the code lists and a form token', async () => {
    const response = await request(testApp.app).get('/report').expect(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(response.text).toContain('<html lang="en">');
    expect(response.text).toContain('What we store and who can read it');
    expect(response.text).toContain('Surveillance or monitoring');
    expect(response.text).toContain('Being followed, photographed or recorded');
    expect(response.text).toMatch(/<legend>What was done<\/legend>/);
    expect(response.text).toContain('<option value="">I don&#x27;t know</option>');
    expect(response.text).toContain('<optgroup label="Texas">');
    expect(tokenOf(response.text)).toMatch(/^[A-Za-z0-9_-]{70,}$/);
    expect(await counts(database.db)).toMatchObject({ reports: 0 });
  });

  it('shows the form in Spanish with labels and hints from the code lists', async () => {
    const response = await request(testApp.app).get('/es/report').expect(200);
    expect(response.text).toContain('<html lang="es">');
    expect(response.text).toContain('Qué guardamos y quién puede leerlo');
    expect(response.text).toContain('Vigilancia o monitoreo');
    expect(response.text).toContain('<option value="1">enero</option>');
    expect(response.text).toContain('Carolina del Norte');
    expect(response.text).toContain('action="/es/report"');
  });

  it('offers years from this year back to 2000 and no later', async () => {
    const response = await request(testApp.app).get('/report').expect(200);
    expect(response.text).toContain('<option value="2026">2026</option>');
    expect(response.text).toContain('<option value="2000">2000</option>');
    expect(response.text).not.toContain('<option value="2027">');
    expect(response.text).not.toContain('<option value="1999">');
  });
});

describe('POST /report', () => {
  it('stages a valid English report as one opaque row, answers 200 with the receipt, and the move stores it in one piece', async () => {
    const before = await counts(database.db);
    const response = await submitReport(testApp.app, validReport()).expect(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(response.headers.location).toBeUndefined();
    const receipt = receiptOf(response.text);
    expect(receipt.split('-')).toHaveLength(8);
    // Acknowledged once staged: nothing is in the report tables until the daily move.
    expect(await counts(database.db)).toEqual({ ...before, staged: before.staged + 1 });
    expect(await reportIdOf(database.db, receipt)).toBeUndefined();
    const id = await movedReportId(receipt);
    expect(id).toBeDefined();
    const report = await database.db('reports').where({ id }).first();
    expect(report).toMatchObject({
      status: 'pending',
      state: 'VT',
      // Vermont has one office, so "I don't know" is settled.
      field_office: 'BOS',
      target_role: 'organizer',
      consent_to_count: true,
      narrative_sealed: null,
    });
    const [dates] = (
      await database.db.raw(
        "select to_char(incident_month, 'YYYY-MM-DD') as month, to_char(received_on, 'YYYY-MM-DD') as received from reports where id = ?",
        [id!],
      )
    ).rows;
    expect(dates).toEqual({ month: '2026-03-01', received: '2026-11-27' });
    const codes = await database.db('report_codes').where({ report_id: id }).orderBy(['kind', 'code']);
    expect(codes.map((row: { kind: string; code: string }) => `${row.kind}:${row.code}`)).toEqual([
      'action_type:arrest',
      'action_type:surveillance',
      'activism_type:organizing',
      'evidence_type:personal_account',
    ]);
    expect(await counts(database.db)).toEqual({
      ...before,
      staged: 0,
      reports: before.reports + 1,
      codes: before.codes + 4,
      receipts: before.receipts + 1,
    });
    // No report id is ever shown to the reporter.
    expect(response.text).not.toContain(id);
  });

  it('stores a Spanish report with its narrative sealed to the desk key, never in plain text', async () => {
    const narrative = 'Nos siguieron después de la vigilia frente al centro de detención. ñandú 🌵';
    const response = await submitReport(testApp.app, validReport({ state: 'AZ', narrative }), 'es').expect(
      200,
    );
    expect(response.text).toContain('<html lang="es">');
    expect(response.text).toContain('Su comprobante');
    const id = await movedReportId(receiptOf(response.text));
    const row = (await database.db('reports').where({ id }).first()) as {
      narrative_sealed: Buffer;
      field_office: string;
    };
    expect(row.field_office).toBe('PHO');
    expect(row.narrative_sealed).toBeInstanceOf(Buffer);
    expect(row.narrative_sealed.toString('latin1')).not.toContain('vigilia');
    expect(row.narrative_sealed.includes(Buffer.from('vigilia', 'utf8'))).toBe(false);
    expect(await open(row.narrative_sealed, desk)).toBe(narrative);
  });

  it('stores only a keyed hash of the receipt, which matches the receipt typed in any case with spaces', async () => {
    const response = await submitReport(testApp.app, validReport()).expect(200);
    const receipt = receiptOf(response.text);
    await moveStaged(database.db);
    const stored = await database.db('receipts').select('hash');
    const expected = hashReceipt(
      normalizeReceipt(receipt.toUpperCase().replaceAll('-', '  '))!,
      RECEIPT_SECRET,
    );
    expect(stored.some((row: { hash: Buffer }) => row.hash.equals(expected))).toBe(true);
    const words = Buffer.from(receipt, 'utf8');
    expect(stored.some((row: { hash: Buffer }) => row.hash.includes(words))).toBe(false);
  });

  it('works out the field office from a Texas county and does not store the county', async () => {
    // 48201 is Harris County, in the Houston office's area.
    const response = await submitReport(testApp.app, validReport({ state: 'TX', county: '48201' })).expect(
      200,
    );
    const id = await movedReportId(receiptOf(response.text));
    const row = await database.db('reports').where({ id }).first();
    expect(row.field_office).toBe('HOU');
    expect(JSON.stringify(row)).not.toContain('48201');
  });

  it('keeps "I don\'t know" as no office when the state is split between offices', async () => {
    const response = await submitReport(testApp.app, validReport({ state: 'CA' })).expect(200);
    const id = await movedReportId(receiptOf(response.text));
    expect((await database.db('reports').where({ id }).first()).field_office).toBeNull();
  });

  it('re-renders the form in English with 422, the answers kept and each error next to its field', async () => {
    const before = await counts(database.db);
    const response = await submitReport(
      testApp.app,
      validReport({ state: '', action: [], narrative: 'kept words', role: 'journalist', consent: '' }),
    ).expect(422);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.text).toContain('id="state-error">Choose the state or territory where it happened.');
    expect(response.text).toContain('id="action-error">Choose at least one thing that was done.');
    expect(response.text).toContain('id="consent-error">Tick this box');
    expect(response.text).toContain('>kept words</textarea>');
    expect(response.text).toMatch(/id="role-journalist" name="role" value="journalist" checked/);
    expect(response.text).toMatch(
      /id="evidence-personal_account" name="evidence" value="personal_account" checked/,
    );
    expect(response.text).toContain('<option value="3" selected>');
    expect(await counts(database.db)).toEqual(before);
  });

  it('re-renders the form in Spanish when the state is missing', async () => {
    const before = await counts(database.db);
    const response = await submitReport(testApp.app, validReport({ state: '' }), 'es').expect(422);
    expect(response.text).toContain('<html lang="es">');
    expect(response.text).toContain('id="state-error">Elija el estado o territorio donde pasó.');
    expect(response.text).toContain('Revise sus respuestas');
    expect(await counts(database.db)).toEqual(before);
  });

  it.each([
    [
      'a month in the future',
      { month: '12', year: '2026' },
      'month-error',
      'between January 2000 and this month',
    ],
    [
      'a year before 2000',
      { month: '12', year: '1999' },
      'year-error',
      'between January 2000 and this month',
    ],
    [
      'an office that does not cover the state',
      { state: 'VT', field_office: 'PHO' },
      'field_office-error',
      'does not cover the state',
    ],
    [
      'a county of another state',
      { state: 'CA', county: '48201' },
      'county-error',
      'not in the state you chose',
    ],
    [
      'an office that does not cover the county',
      { state: 'TX', county: '48201', field_office: 'DAL' },
      'field_office-error',
      'does not cover the county',
    ],
    [
      'an unknown action code',
      { action: ['surveillance', 'teleportation'] },
      'action-error',
      'Choose at least one thing',
    ],
    ['two target roles', { role: ['organizer', 'member'] }, 'role-error', 'Choose who was targeted'],
    [
      'a narrative over 5,000 characters',
      { narrative: '€'.repeat(5001) },
      'narrative-error',
      'at most 5,000 characters',
    ],
    ['a filled honeypot', { website: 'http://spam.example' }, 'website-error', 'must stay empty'],
  ])('refuses %s with 422 and stores nothing', async (_name, overrides, errorId, message) => {
    const before = await counts(database.db);
    const response = await submitReport(testApp.app, validReport(overrides)).expect(422);
    expect(response.text).toMatch(new RegExp(`id="${errorId}">[^<]*${message}`));
    expect(await counts(database.db)).toEqual(before);
  });

  it('accepts a narrative of exactly 5,000 characters outside the Basic Multilingual Plane', async () => {
    const narrative = '🌵'.repeat(5000);
    const response = await submitReport(testApp.app, validReport({ narrative })).expect(200);
    const id = await movedReportId(receiptOf(response.text));
    const row = await database.db('reports').where({ id }).first();
    expect(await open(row.narrative_sealed as Buffer, desk)).toBe(narrative);
  });

  it('accepts a form token only once, and keeps the answers when it is sent again', async () => {
    const form = await request(testApp.app).get('/report').expect(200);
    const body = encode({ ...validReport(), token: tokenOf(form.text) });
    await request(testApp.app).post('/report').type('form').send(body).expect(200);
    const before = await counts(database.db);
    const again = await request(testApp.app).post('/report').type('form').send(body).expect(422);
    expect(again.text).toContain('This form was already sent once');
    expect(again.text).toContain('<option value="VT" selected>');
    expect(tokenOf(again.text)).not.toBe(tokenOf(form.text));
    expect(await counts(database.db)).toEqual(before);
  });

  it('refuses a missing, forged or expired form token with 422 and a fresh token', async () => {
    const before = await counts(database.db);
    const missing = await request(testApp.app)
      .post('/report')
      .type('form')
      .send(encode(validReport()))
      .expect(422);
    expect(missing.text).toContain('This form was open for a long time');
    const form = await request(testApp.app).get('/report').expect(200);
    const forged = tokenOf(form.text).slice(0, -2) + (tokenOf(form.text).endsWith('AA') ? 'BA' : 'AA');
    await request(testApp.app)
      .post('/report')
      .type('form')
      .send(encode({ ...validReport(), token: forged }))
      .expect(422);
    const later = await buildIntakeApp(database.db, {
      intake: { rateLimits: false },
      now: () => new Date(Date.now() + 3 * 60 * 60_000),
    });
    const expired = await request(later.app)
      .post('/report')
      .type('form')
      .send(encode({ ...validReport(), token: tokenOf(form.text) }))
      .expect(422);
    expect(expired.text).toContain('This form was open for a long time');
    expect(await counts(database.db)).toEqual(before);
  });

  it('refuses a post from another site with a translated 403 and stores nothing', async () => {
    const before = await counts(database.db);
    const form = await request(testApp.app).get('/es/report').expect(200);
    const body = encode({ ...validReport(), token: tokenOf(form.text) });
    const crossSite = await request(testApp.app)
      .post('/es/report')
      .set('Sec-Fetch-Site', 'cross-site')
      .type('form')
      .send(body)
      .expect(403);
    expect(crossSite.text).toContain('Este formulario solo se puede enviar desde este sitio');
    await request(testApp.app)
      .post('/report')
      .set('Origin', 'https://evil.example')
      .type('form')
      .send(body)
      .expect(403);
    expect(await counts(database.db)).toEqual(before);
    // Our own pages send Origin: null under no-referrer; Sec-Fetch-Site decides.
    await request(testApp.app)
      .post('/es/report')
      .set('Sec-Fetch-Site', 'same-origin')
      .set('Origin', 'null')
      .type('form')
      .send(body)
      .expect(200);
  });

  it('answers 503 and stores nothing while no desk key exists', async () => {
    const empty = await createTestDatabase();
    try {
      const app = (await buildIntakeApp(empty.db, { intake: { rateLimits: false } })).app;
      const response = await submitReport(app, validReport({ narrative: 'words' })).expect(503);
      expect(response.text).toContain('moderation desk is not set up yet');
      expect(await counts(empty.db)).toEqual({ staged: 0, reports: 0, codes: 0, receipts: 0, messages: 0 });
    } finally {
      await empty.destroy();
    }
  });

  it('leaves no incomplete report behind after all of the above', async () => {
    await moveStaged(database.db);
    expect(await incompleteReports(database.db)).toBe(0);
    expect((await counts(database.db)).reports).toBeGreaterThan(5);
  });
});
