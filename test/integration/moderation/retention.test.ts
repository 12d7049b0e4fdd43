import { runRetention } from '../../../src/moderation/retention';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { buildReport, insertReport } from '../../support/factories';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.destroy());

// A fixed clock: 2026-11-27, 90 days → everything decided on or before 2026-08-29 has expired.
const TODAY = new Date('2026-11-27T00:00:00Z');
const narrative = Buffer.alloc(1 + 48 + 512, 1);

async function withMessage(id: string): Promise<void> {
  await database.db('report_messages').insert({
    report_id: id,
    position: 1,
    direction: 'from_reporter',
    body_sealed: Buffer.alloc(600, 2),
    sent_on: '2026-03-01',
  });
}

describe('runRetention (promise 8)', () => {
  it('deletes narratives and messages 90 days after the final decision and rejected reports whole, keeping the rest', async () => {
    const expiredApproved = await insertReport(
      database.db,
      buildReport({ status: 'approved', decisionOn: '2026-08-29', narrativeSealed: narrative }),
    );
    const freshApproved = await insertReport(
      database.db,
      buildReport({ status: 'approved', decisionOn: '2026-08-30', narrativeSealed: narrative }),
    );
    const expiredDuplicate = await insertReport(
      database.db,
      buildReport({
        status: 'duplicate',
        decisionReason: 'duplicate',
        decisionOn: '2026-01-10',
        narrativeSealed: narrative,
      }),
    );
    const expiredRejected = await insertReport(
      database.db,
      buildReport({
        status: 'rejected',
        decisionReason: 'spam',
        decisionOn: '2026-08-01',
        narrativeSealed: narrative,
      }),
    );
    const freshRejected = await insertReport(
      database.db,
      buildReport({
        status: 'rejected',
        decisionReason: 'spam',
        decisionOn: '2026-11-01',
        narrativeSealed: narrative,
      }),
    );
    const oldPending = await insertReport(
      database.db,
      buildReport({ status: 'pending', receivedOn: '2025-01-01', narrativeSealed: narrative }),
    );
    for (const id of [expiredApproved, freshApproved, expiredDuplicate, expiredRejected, oldPending])
      await withMessage(id);

    const result = await runRetention(database.db, { today: TODAY, days: 90 });
    expect(result).toMatchObject({
      cutoff: '2026-08-29',
      rejectedDeleted: 1,
      narrativesDeleted: 2,
      messagesDeleted: 2,
    });

    const rows = await database
      .db('reports')
      .whereIn('id', [
        expiredApproved,
        freshApproved,
        expiredDuplicate,
        expiredRejected,
        freshRejected,
        oldPending,
      ]);
    const byId = new Map(rows.map((row) => [row.id, row]));
    expect(byId.has(expiredRejected)).toBe(false);
    expect(byId.get(expiredApproved).narrative_sealed).toBeNull();
    expect(byId.get(expiredDuplicate).narrative_sealed).toBeNull();
    expect(byId.get(freshApproved).narrative_sealed).not.toBeNull();
    expect(byId.get(freshRejected).narrative_sealed).not.toBeNull();
    expect(byId.get(oldPending).narrative_sealed).not.toBeNull();
    // Coded fields of approved reports stay: releases count them.
    expect(byId.get(expiredApproved).state).toBe('VT');
    expect(await database.db('report_codes').where({ report_id: expiredApproved })).not.toHaveLength(0);
    expect(await database.db('report_codes').where({ report_id: expiredRejected })).toHaveLength(0);
    const messages = await database.db('report_messages').pluck('report_id');
    expect(messages.sort()).toEqual([freshApproved, oldPending].sort());

    // Idempotent: a second run the same day deletes nothing more.
    expect(await runRetention(database.db, { today: TODAY, days: 90 })).toMatchObject({
      rejectedDeleted: 0,
      narrativesDeleted: 0,
      messagesDeleted: 0,
    });
    // The next day, the report decided on 2026-08-30 expires.
    const next = await runRetention(database.db, { today: new Date('2026-11-28T00:00:00Z'), days: 90 });
    expect(next).toMatchObject({ cutoff: '2026-08-30', narrativesDeleted: 1, messagesDeleted: 1 });
  });

  it('honours a configured number of days and prunes expired sessions', async () => {
    const id = await insertReport(
      database.db,
      buildReport({ status: 'approved', decisionOn: '2026-11-20', narrativeSealed: narrative }),
    );
    await database.db('sessions').insert({
      sid_hash: 'a'.repeat(64),
      data: '{}',
      idle_expires_at: new Date('2026-11-26T00:00:00Z'),
      absolute_expires_at: new Date('2026-11-27T08:00:00Z'),
    });
    const result = await runRetention(database.db, {
      today: TODAY,
      days: 7,
      now: new Date('2026-11-27T00:00:00Z'),
    });
    expect(result.sessionsDeleted).toBe(1);
    expect((await database.db('reports').where({ id }).first()).narrative_sealed).toBeNull();
    expect(await database.db('sessions').where({ sid_hash: 'a'.repeat(64) })).toHaveLength(0);
  });
});
