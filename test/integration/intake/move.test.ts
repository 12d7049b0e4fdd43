import { Writable } from 'node:stream';
import request from 'supertest';
import { startIntakeMoveSchedule } from '../../../src/intake/move-schedule';
import { moveStagedSubmissions } from '../../../src/intake/move';
import { generateReceipt, hashReceipt } from '../../../src/intake/receipt';
import { insertStagedRows } from '../../../src/intake/staged-store';
import { STAGED_ROW_BYTES, sealStaged, stagedLookup, stagingKey } from '../../../src/intake/staging';
import { createLogger } from '../../../src/platform/logger';
import { checkWalSettings } from '../../../src/platform/wal-settings';
import { open, type DeskKeyPair } from '../../../src/reports/seal';
import type { TestDatabase } from '../../support/database';
import {
  buildIntakeApp,
  counts,
  incompleteReports,
  moveStaged,
  RECEIPT_SECRET,
  receiptOf,
  reportIdOf,
  setUpIntake,
  submitReport,
  tokenOf,
  validReport,
  type IntakeTestApp,
} from './support';

// Promise 1 against what PostgreSQL records by itself: a submission is staged as one opaque row and
// reaches the tables only with the daily move (src/intake/move.ts), on both engines.

let database: TestDatabase;
let testApp: IntakeTestApp;
let desk: DeskKeyPair;

beforeAll(async () => {
  ({ database, testApp, desk } = await setUpIntake({ intake: { rateLimits: false } }));
});
afterEach(() => moveStaged(database.db));
afterAll(() => database.destroy());

const NEXT_DAY = new Date('2026-11-28T00:00:05Z');

async function stageReport(narrative = ''): Promise<string> {
  return receiptOf((await submitReport(testApp.app, validReport({ narrative })).expect(200)).text);
}

async function stageMessage(receipt: string, message: string): Promise<void> {
  const page = await request(testApp.app).post('/status').type('form').send({ receipt }).expect(200);
  await request(testApp.app)
    .post('/status/messages')
    .type('form')
    .send({ receipt, token: tokenOf(page.text), message })
    .expect(200);
}

describe('a staged submission', () => {
  it('is one opaque row, a lookup key and a ciphertext of the same length whatever it holds', async () => {
    const columns = await database
      .db('information_schema.columns')
      .where({ table_schema: 'public', table_name: 'intake_staged' })
      .orderBy('column_name')
      .pluck('column_name');
    // Plus the id of the desk key the text inside was sealed to (issue 16: rotations re-seal by it),
    // the same on every row whatever it holds, as checked below.
    expect(columns).toEqual(['lookup', 'sealed', 'sealed_key_id']);
    const short = await stageReport();
    await stageReport('🌵'.repeat(5000));
    await stageMessage(short, 'A follow-up message.');
    const lengths: { n: number }[] = await database
      .db('intake_staged')
      .select(database.db.raw('octet_length(sealed)::int as n'));
    expect(lengths.map((row) => row.n)).toEqual([STAGED_ROW_BYTES, STAGED_ROW_BYTES, STAGED_ROW_BYTES]);
    const keyIds = await database.db('intake_staged').distinct('sealed_key_id').pluck('sealed_key_id');
    expect(keyIds).toHaveLength(1);
    expect(keyIds[0]).toEqual(expect.any(Number));
    expect(await counts(database.db)).toMatchObject({ staged: 3, reports: 0, receipts: 0, messages: 0 });
  });
});

describe('the daily move', () => {
  it("leaves today's submissions staged and moves them once the day is over", async () => {
    const receipt = await stageReport('Seen at the vigil.');
    await stageMessage(receipt, 'One more detail.');
    const today = await moveStagedSubmissions(database.db, {
      receiptSecret: RECEIPT_SECRET,
      today: new Date('2026-11-27T23:59:59Z'),
    });
    expect(today).toMatchObject({ reports: 0, messages: 0, waiting: 2 });
    expect(await reportIdOf(database.db, receipt)).toBeUndefined();
    const next = await moveStagedSubmissions(database.db, { receiptSecret: RECEIPT_SECRET, today: NEXT_DAY });
    expect(next).toEqual({ reports: 1, messages: 1, orphanMessages: 0, waiting: 0, unreadable: 0 });
    const id = await reportIdOf(database.db, receipt);
    const report = await database.db('reports').where({ id }).first();
    expect(await open(report.narrative_sealed as Buffer, desk)).toBe('Seen at the vigil.');
    const [dates] = (
      await database.db.raw(
        "select to_char(received_on, 'YYYY-MM-DD') as received from reports where id = ?",
        [id!],
      )
    ).rows;
    expect(dates).toEqual({ received: '2026-11-27' });
    expect(await database.db('report_messages').where({ report_id: id })).toHaveLength(1);
    expect(await counts(database.db)).toMatchObject({ staged: 0 });
    expect(await incompleteReports(database.db)).toBe(0);
  });

  it('moves a day larger than one page of staged rows, every one of them', async () => {
    const key = stagingKey(RECEIPT_SECRET);
    const receipts = Array.from({ length: 1100 }, () => generateReceipt());
    const rows = await Promise.all(
      receipts.map(async (receipt) => {
        const lookup = stagedLookup(receipt, 0, RECEIPT_SECRET);
        const sealed = await sealStaged(
          {
            kind: 'report',
            receivedOn: '2026-11-27',
            receiptHash: hashReceipt(receipt, RECEIPT_SECRET),
            reporterPublicKey: Buffer.alloc(32, 5),
            state: 'VT',
            fieldOffice: 'BOS',
            incidentMonth: '2026-03-01',
            targetRole: 'organizer',
            actionTypes: ['arrest'],
            activismTypes: ['protest'],
            evidenceTypes: ['none'],
            narrativeSealed: null,
          },
          lookup,
          key,
        );
        return { lookup, sealed };
      }),
    );
    await database.db.transaction((trx) => insertStagedRows(trx, rows));
    const before = await counts(database.db);
    const moved = await moveStagedSubmissions(database.db, {
      receiptSecret: RECEIPT_SECRET,
      today: NEXT_DAY,
    });
    expect(moved).toMatchObject({ reports: 1100, waiting: 0, unreadable: 0 });
    expect(await counts(database.db)).toMatchObject({ staged: 0, reports: before.reports + 1100 });
    expect(await reportIdOf(database.db, receipts[1099]!)).toBeDefined();
  }, 120_000);

  it('catches up at start: the schedule moves the staged submissions of past days at once', async () => {
    const receipt = await stageReport();
    const schedule = startIntakeMoveSchedule({
      db: database.db,
      receiptSecret: RECEIPT_SECRET,
      logger: createLogger({ level: 'silent' }),
      today: () => NEXT_DAY,
    });
    await schedule.ranOnce;
    await schedule.stop();
    expect(await reportIdOf(database.db, receipt)).toBeDefined();
    expect((await counts(database.db)).staged).toBe(0);
  });

  it('keeps rows another secret cannot open, logs only counts, and moves them with the right secret', async () => {
    const receipt = await stageReport();
    const lines: string[] = [];
    const logger = createLogger({
      level: 'info',
      destination: new Writable({
        write(chunk: Buffer, _encoding, callback) {
          lines.push(chunk.toString('utf8'));
          callback();
        },
      }),
    });
    const schedule = startIntakeMoveSchedule({
      db: database.db,
      receiptSecret: Buffer.alloc(32, 9),
      logger,
      today: () => NEXT_DAY,
    });
    await schedule.ranOnce;
    await schedule.stop();
    expect(await counts(database.db)).toMatchObject({ staged: 1, reports: expect.any(Number) as number });
    expect(lines.join('')).toContain('"unreadable":1');
    expect(lines.join('')).not.toMatch(/\d{2}:\d{2}/);
    expect(await reportIdOf(database.db, receipt)).toBeUndefined();
    await moveStaged(database.db);
    expect(await reportIdOf(database.db, receipt)).toBeDefined();
  });

  it('survives a restart of the app: a staged report opens on a new app and is moved', async () => {
    const receipt = await stageReport('Before the restart.');
    // A new app over the same database: nothing of the first one's memory is needed.
    const restarted = await buildIntakeApp(database.db, { intake: { rateLimits: false } });
    const page = await request(restarted.app).post('/status').type('form').send({ receipt }).expect(200);
    expect(page.text).toContain('<h2 id="status-heading">Received</h2>');
    await moveStaged(database.db);
    const id = await reportIdOf(database.db, receipt);
    const report = await database.db('reports').where({ id }).first();
    expect(await open(report.narrative_sealed as Buffer, desk)).toBe('Before the restart.');
  });

  it('drops nothing when the move fails: the transaction rolls back and every row stays staged', async () => {
    await stageReport();
    await stageReport();
    // The move fails half-way: receipts refuse every insert after the reports went in.
    const before = await counts(database.db);
    await database.db.raw(
      "create or replace function refuse_receipts() returns trigger language plpgsql as $$ begin raise exception 'refused'; end $$",
    );
    await database.db.raw(
      'create trigger refuse_receipts before insert on receipts for each row execute function refuse_receipts()',
    );
    try {
      await expect(moveStaged(database.db)).rejects.toThrow();
      expect(await counts(database.db)).toEqual(before);
    } finally {
      await database.db.raw('drop trigger refuse_receipts on receipts');
      await database.db.raw('drop function refuse_receipts()');
    }
    await moveStaged(database.db);
    expect(await counts(database.db)).toMatchObject({ staged: 0, reports: before.reports + 2 });
  });
});

describe('the start-up check of WAL settings', () => {
  it('reads track_commit_timestamp and archive_mode on this engine and warns about neither here', async () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'warn',
      destination: new Writable({
        write(chunk: Buffer, _encoding, callback) {
          lines.push(chunk.toString('utf8'));
          callback();
        },
      }),
    });
    expect(await checkWalSettings(database.db, logger)).toEqual([]);
    expect(lines).toEqual([]);
  });
});
