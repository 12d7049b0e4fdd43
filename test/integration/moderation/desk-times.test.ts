import { createTestDatabase, type TestDatabase } from '../../support/database';
import { recordAudit } from '../../../src/audit/store';

// Moderators' clock times no finer than the minute: the audit trail and session expiries are the only
// clock times in the schema, and the schema refuses anything finer.

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.destroy());

describe('desk times', () => {
  it('records audit events to the minute, and refuses a finer time', async () => {
    await recordAudit(database.db, { moderatorId: null, action: 'test_event' });
    const [row] = (
      await database.db.raw(
        "select extract(second from occurred_at) as seconds from audit_events where action = 'test_event'",
      )
    ).rows as { seconds: string }[];
    expect(Number(row?.seconds)).toBe(0);
    await expect(
      database
        .db('audit_events')
        .insert({ action: 'fine', occurred_at: new Date('2026-11-27T10:11:12.345Z') }),
    ).rejects.toThrow(/audit_events_minute/);
  });

  it('refuses a session expiry finer than the minute', async () => {
    await expect(
      database.db('sessions').insert({
        sid_hash: 'x',
        data: '{}',
        idle_expires_at: new Date('2026-11-27T10:11:12Z'),
        absolute_expires_at: new Date('2026-11-27T18:11:00Z'),
      }),
    ).rejects.toThrow(/sessions_minute/);
  });
});
