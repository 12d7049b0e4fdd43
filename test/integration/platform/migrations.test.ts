import { migrateToLatest, migrationsCurrent } from '../../../src/platform/db';
import { createTestDatabase, type TestDatabase } from '../../support/database';

// Every start migrates. On a database that is up to date that must cost one read, not knex's checks and
// its lock (which it takes and frees even with nothing to run); and whatever is not plainly up to date
// must still reach knex, which runs what is pending or refuses a history it does not recognise.

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.destroy());

/** The lock row's transaction id: it changes whenever anyone updates the row, as knex's lock does. */
async function lockRowVersion(): Promise<string> {
  const { rows } = await database.db.raw<{ rows: { xmin: string }[] }>(
    'select xmin::text from knex_migrations_lock',
  );
  return rows.map((row) => row.xmin).join();
}

describe('migrateToLatest', () => {
  it('leaves an up-to-date database untouched: not even the migration lock is taken', async () => {
    expect(await migrationsCurrent(database.db)).toBe(true);
    const before = await lockRowVersion();
    expect(before).not.toBe('');
    await migrateToLatest(database.db);
    expect(await lockRowVersion()).toBe(before);
  });

  it("is measured against knex's own latest(), which does take the lock with nothing to run", async () => {
    // Without this, the check above could pass because knex never touches the row at all.
    const before = await lockRowVersion();
    await database.db.migrate.latest();
    expect(await lockRowVersion()).not.toBe(before);
  });

  it('refuses, through knex, a history naming a migration this code does not have', async () => {
    await database.db('knex_migrations').insert({
      name: '29991231235959_from_a_newer_version',
      batch: 999,
      migration_time: new Date(0),
    });
    await expect(migrateToLatest(database.db)).rejects.toThrow(/corrupt/i);
    await database.db('knex_migrations').where({ batch: 999 }).delete();
  });
});
