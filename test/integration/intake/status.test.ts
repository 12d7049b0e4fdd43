import request from 'supertest';
import { generateReceipt } from '../../../src/intake/receipt';
import { open, seal, type DeskKeyPair } from '../../../src/reports/seal';
import { insertReportMessage } from '../../../src/reports/store';
import type { TestDatabase } from '../../support/database';
import {
  counts,
  moveStaged,
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
  await database.db('releases').insert([
    { label: '2026-Q2', cutoff: '2026-06-30', threshold: 11, published_on: '2026-07-10' },
    { label: '2026-Q3', cutoff: '2026-09-30', threshold: 11, published_on: '2026-10-10' },
  ]);
});
afterAll(() => database.destroy());

/** Files a report through the form, runs the daily move, and returns its receipt and id. */
async function fileReport(): Promise<{ receipt: string; id: string }> {
  const response = await submitReport(testApp.app, validReport()).expect(200);
  const receipt = receiptOf(response.text);
  await moveStaged(database.db);
  const id = await reportIdOf(database.db, receipt);
  if (!id) throw new Error('report not stored');
  return { receipt, id };
}

/** As the moderation desk does: seals a question to the key stored with the receipt. */
async function askReporter(id: string, question: string): Promise<void> {
  const { reporter_public_key: key } = await database.db('receipts').where({ report_id: id }).first();
  const bodySealed = await seal(question, new Uint8Array(key as Buffer));
  await database.db.transaction((trx) =>
    insertReportMessage(trx, { reportId: id, direction: 'to_reporter', bodySealed, sentOn: '2026-11-20' }),
  );
  await database.db('reports').where({ id }).update({ status: 'needs_info' });
}

function openStatus(receipt: string, lang: 'en' | 'es' = 'en') {
  return request(testApp.app)
    .post(lang === 'es' ? '/es/status' : '/status')
    .type('form')
    .send({ receipt });
}

describe('GET /status', () => {
  it('asks for the receipt in each language, with no cookie and no caching', async () => {
    const english = await request(testApp.app).get('/status').expect(200);
    expect(english.text).toContain('<label for="receipt">Receipt</label>');
    expect(english.headers['cache-control']).toBe('no-store');
    expect(english.headers['set-cookie']).toBeUndefined();
    const spanish = await request(testApp.app).get('/es/status').expect(200);
    expect(spanish.text).toContain('Escriba las ocho palabras de su comprobante');
    expect(spanish.text).toContain('action="/es/status"');
  });
});

describe('POST /status', () => {
  it('opens a new report as received, with the receipt typed in capitals with spaces', async () => {
    const { receipt } = await fileReport();
    const typed = `  ${receipt.toUpperCase().replaceAll('-', '   ')}\n`;
    const response = await openStatus(typed).expect(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.text).toContain('<h2 id="status-heading">Received</h2>');
    expect(response.text).toContain('We received your report on November 27, 2026.');
    expect(response.text).toContain('No messages yet.');
    const spanish = await openStatus(receipt, 'es').expect(200);
    expect(spanish.text).toContain('Recibimos su reporte el 27 de noviembre de 2026.');
  });

  it('opens a report that waits for the daily move as received, and the same once it is moved', async () => {
    const response = await submitReport(testApp.app, validReport()).expect(200);
    const receipt = receiptOf(response.text);
    const waiting = await openStatus(receipt).expect(200);
    expect(waiting.text).toContain('<h2 id="status-heading">Received</h2>');
    expect(waiting.text).toContain('We received your report on November 27, 2026.');
    expect(waiting.text).toContain('Reports reach the moderators the day after they are sent');
    expect(waiting.text).toContain('action="/status/messages"');
    expect((await openStatus(receipt, 'es').expect(200)).text).toContain(
      'Recibimos su reporte el 27 de noviembre de 2026.',
    );
    expect(await reportIdOf(database.db, receipt)).toBeUndefined();
    await moveStaged(database.db);
    expect(await reportIdOf(database.db, receipt)).toBeDefined();
    const moved = await openStatus(receipt).expect(200);
    const statusOf = (html: string) => /<section class="intake-status[\s\S]*?<\/section>/.exec(html)?.[0];
    expect(statusOf(moved.text)).toBe(statusOf(waiting.text));
  });

  it("shows the moderator's question to the holder of the receipt, though the database holds it sealed", async () => {
    const { receipt, id } = await fileReport();
    await askReporter(id, 'Which month exactly? ¿Fue en marzo?');
    const stored = await database.db('report_messages').where({ report_id: id }).first();
    expect((stored.body_sealed as Buffer).includes(Buffer.from('Which month'))).toBe(false);
    await expect(open(stored.body_sealed as Buffer, desk)).rejects.toThrow();
    const response = await openStatus(receipt).expect(200);
    expect(response.text).toContain('We need more information');
    expect(response.text).toContain('Question from a moderator, November 20, 2026');
    expect(response.text).toContain('Which month exactly? ¿Fue en marzo?');
    expect(response.text).toContain('action="/status/messages"');
    // Another receipt cannot read it.
    const other = await fileReport();
    expect((await openStatus(other.receipt).expect(200)).text).not.toContain('Which month exactly');
  });

  it('says from which release an approved report is counted: the first whose cutoff is on or after the decision', async () => {
    const { receipt, id } = await fileReport();
    await database.db('reports').where({ id }).update({ status: 'approved', decision_on: '2026-07-15' });
    const response = await openStatus(receipt).expect(200);
    expect(response.text).toContain('Counted from release 2026-Q3 on');
    expect((await openStatus(receipt, 'es').expect(200)).text).toContain(
      'Contado desde la publicación 2026-Q3',
    );
    await database.db('reports').where({ id }).update({ decision_on: '2026-06-30' });
    expect((await openStatus(receipt).expect(200)).text).toContain('Counted from release 2026-Q2 on');
  });

  it('says an approved report will be counted in the next release when none covers it yet', async () => {
    const { receipt, id } = await fileReport();
    await database.db('reports').where({ id }).update({ status: 'approved', decision_on: '2026-11-02' });
    const response = await openStatus(receipt).expect(200);
    expect(response.text).toContain('It will be counted in the next release');
    expect(response.text).not.toContain('2026-Q3');
    expect(response.text).not.toContain('action="/status/messages"');
  });

  it('says a rejected report is not counted, with the reason, in Spanish', async () => {
    const { receipt, id } = await fileReport();
    await database
      .db('reports')
      .where({ id })
      .update({ status: 'rejected', decision_on: '2026-11-03', decision_reason: 'not_retaliation' });
    const response = await openStatus(receipt, 'es').expect(200);
    expect(response.text).toContain('No se cuenta');
    expect(response.text).toContain(
      'No describía una represalia de las autoridades migratorias por activismo.',
    );
  });

  it('says a duplicate is not counted separately', async () => {
    const { receipt, id } = await fileReport();
    await database
      .db('reports')
      .where({ id })
      .update({ status: 'duplicate', decision_on: '2026-11-03', decision_reason: 'duplicate' });
    expect((await openStatus(receipt).expect(200)).text).toContain('Not counted separately');
  });

  it('answers a wrong receipt with the same generic page whether it is malformed or unknown', async () => {
    await fileReport();
    const unknown = await openStatus(generateReceipt()).expect(422);
    const malformed = await openStatus('not a receipt').expect(422);
    const empty = await request(testApp.app).post('/status').type('form').send('receipt[]=x').expect(422);
    expect(unknown.text).toContain('We could not open a report with these words.');
    expect(malformed.text).toBe(unknown.text);
    expect(empty.text).toBe(unknown.text);
    expect(unknown.headers['cache-control']).toBe('no-store');
  });

  it('runs the same queries for a malformed receipt, an unknown one and a real one', async () => {
    const { receipt } = await fileReport();
    const queriesFor = async (typed: string): Promise<string[]> => {
      const seen: string[] = [];
      const listener = (query: { sql: string }) => seen.push(query.sql);
      database.db.on('query', listener);
      await openStatus(typed);
      database.db.removeListener('query', listener);
      return seen;
    };
    const real = await queriesFor(receipt);
    expect(real.length).toBeGreaterThanOrEqual(2);
    expect(await queriesFor(generateReceipt())).toEqual(real);
    expect(await queriesFor('hello')).toEqual(real);
  });
});

describe('POST /status/messages', () => {
  async function statusPage(receipt: string, lang: 'en' | 'es' = 'en') {
    return openStatus(receipt, lang).expect(200);
  }
  function sendMessage(fields: Record<string, string>, lang: 'en' | 'es' = 'en') {
    return request(testApp.app)
      .post(lang === 'es' ? '/es/status/messages' : '/status/messages')
      .type('form')
      .send(fields);
  }

  it("adds the reporter's message sealed to the desk key and shows it as sent, without its content", async () => {
    const { receipt, id } = await fileReport();
    await askReporter(id, 'Was anyone else there?');
    const page = await statusPage(receipt, 'es');
    const text = 'Sí, dos compañeras de la organización.';
    const response = await sendMessage({ receipt, token: tokenOf(page.text), message: text }, 'es').expect(
      200,
    );
    expect(response.text).toContain('Su mensaje se envió.');
    expect(response.text).toContain('Usted envió un mensaje el 27 de noviembre de 2026');
    expect(response.text).not.toContain(text);
    // Staged like a report until the daily move, then appended to the thread.
    expect(await database.db('report_messages').where({ report_id: id })).toHaveLength(1);
    await moveStaged(database.db);
    const rows = await database.db('report_messages').where({ report_id: id }).orderBy('position');
    expect(rows.map((row: { direction: string }) => row.direction)).toEqual(['to_reporter', 'from_reporter']);
    expect((rows[1].body_sealed as Buffer).includes(Buffer.from('compañeras'))).toBe(false);
    expect(await open(rows[1].body_sealed as Buffer, desk)).toBe(text);
    const [sentOn] = (
      await database.db.raw("select to_char(sent_on, 'YYYY-MM-DD') as d from report_messages where id = ?", [
        rows[1].id,
      ])
    ).rows;
    expect(sentOn.d).toBe('2026-11-27');
  });

  it('re-renders the status page with 422 when the message is empty, and stores nothing', async () => {
    const { receipt } = await fileReport();
    const page = await statusPage(receipt);
    const before = await counts(database.db);
    const response = await sendMessage({ receipt, token: tokenOf(page.text), message: '   ' }).expect(422);
    expect(response.text).toContain('id="message-error">Write a message before sending.');
    expect(await counts(database.db)).toEqual(before);
  });

  it('accepts a message form token only once', async () => {
    const { receipt, id } = await fileReport();
    const page = await statusPage(receipt);
    const fields = { receipt, token: tokenOf(page.text), message: 'More details.' };
    await sendMessage(fields).expect(200);
    const again = await sendMessage(fields).expect(422);
    expect(again.text).toContain('This message form was already sent once');
    await moveStaged(database.db);
    expect(await database.db('report_messages').where({ report_id: id })).toHaveLength(1);
  });

  it('refuses a message to a closed report with 409 and stores nothing', async () => {
    const { receipt, id } = await fileReport();
    const page = await statusPage(receipt);
    await database.db('reports').where({ id }).update({ status: 'approved', decision_on: '2026-11-05' });
    const response = await sendMessage({ receipt, token: tokenOf(page.text), message: 'Late detail' }).expect(
      409,
    );
    expect(response.text).toContain('This report is closed');
    expect((await counts(database.db)).staged).toBe(0);
    expect(await database.db('report_messages').where({ report_id: id })).toHaveLength(0);
  });

  it('answers a wrong receipt with the generic page and stores nothing', async () => {
    const { receipt } = await fileReport();
    const page = await statusPage(receipt);
    const before = await counts(database.db);
    const response = await sendMessage({
      receipt: generateReceipt(),
      token: tokenOf(page.text),
      message: 'x',
    }).expect(422);
    expect(response.text).toContain('We could not open a report with these words.');
    expect(await counts(database.db)).toEqual(before);
  });

  it('refuses a message from another site with 403', async () => {
    const { receipt, id } = await fileReport();
    const page = await statusPage(receipt);
    await request(testApp.app)
      .post('/status/messages')
      .set('Sec-Fetch-Site', 'same-site')
      .type('form')
      .send({ receipt, token: tokenOf(page.text), message: 'forged' })
      .expect(403);
    expect((await counts(database.db)).staged).toBe(0);
    expect(await database.db('report_messages').where({ report_id: id })).toHaveLength(0);
  });

  it('keeps the messages sent before and after the move in the order they were sent', async () => {
    const response = await submitReport(testApp.app, validReport()).expect(200);
    const receipt = receiptOf(response.text);
    const send = async (message: string) => {
      const page = await statusPage(receipt);
      return sendMessage({ receipt, token: tokenOf(page.text), message }).expect(200);
    };
    await send('first, while the report waits');
    const page = await send('second, while the report waits');
    expect(page.text.match(/You sent a message on November 27, 2026/g)).toHaveLength(2);
    await moveStaged(database.db);
    await send('third, after the move');
    expect((await statusPage(receipt)).text.match(/You sent a message/g)).toHaveLength(3);
    await moveStaged(database.db);
    const id = await reportIdOf(database.db, receipt);
    const rows = await database.db('report_messages').where({ report_id: id }).orderBy('position');
    const texts = await Promise.all(rows.map((row: { body_sealed: Buffer }) => open(row.body_sealed, desk)));
    expect(texts).toEqual([
      'first, while the report waits',
      'second, while the report waits',
      'third, after the move',
    ]);
    expect(rows.map((row: { position: number }) => row.position)).toEqual([1, 2, 3]);
  });

  it('asks the reporter to wait for tomorrow once a day of waiting messages is full, with 429 and nothing stored', async () => {
    const { receipt } = await fileReport();
    for (let sent = 0; sent < 20; sent += 1) {
      const page = await statusPage(receipt);
      await sendMessage({ receipt, token: tokenOf(page.text), message: `detail ${sent}` }).expect(200);
    }
    const before = await counts(database.db);
    const page = await statusPage(receipt, 'es');
    const full = await sendMessage({ receipt, token: tokenOf(page.text), message: 'one more' }, 'es').expect(
      429,
    );
    expect(full.text).toContain('Envíelo mañana');
    expect(full.text).toContain('>one more</textarea>');
    expect(await counts(database.db)).toEqual(before);
    await moveStaged(database.db);
  });
});
