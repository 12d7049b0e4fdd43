/* eslint-disable @typescript-eslint/no-unsafe-argument -- knex rows are untyped in tests */
import request from 'supertest';
import {
  confirmDeskKey,
  createDeskKey,
  deskKeyFingerprint,
  deskKeyStatus,
} from '../../../src/accounts/desk-keys';
import { translate } from '../../../src/platform/i18n';
import { generateDeskKeyPair, open, type DeskKeyPair } from '../../../src/reports/seal';
import { buildTestApp } from '../../support/app';
import type { TestDatabase } from '../../support/database';
import { createModerator, signIn, TEST_SESSION_SECRET } from '../../support/desk';
import {
  encode,
  receiptOf,
  moveStaged,
  reportIdOf,
  SESSION_SECRET,
  setUpIntake,
  submitReport,
  tokenOf,
  validReport,
  type IntakeTestApp,
} from '../intake/support';

// Issue 10, item 5: intake seals only to an authenticated desk key. A row written straight into
// desk_keys (as a compelled database provider could) is never used; intake answers a translated 503,
// stores nothing, and the operator gets one log line without request data.

let database: TestDatabase;
let testApp: IntakeTestApp;
let desk: DeskKeyPair;
const secrets = { session: SESSION_SECRET };

beforeAll(async () => {
  ({ database, testApp, desk } = await setUpIntake({ intake: { rateLimits: false } }));
});
afterAll(() => database.destroy());

/** Row counts of every table in the schema: "nothing is stored" whatever table intake writes to. */
async function everyTableCount(): Promise<Record<string, number>> {
  const tables = (await database
    .db('information_schema.tables')
    .where({ table_schema: 'public', table_type: 'BASE TABLE' })
    .pluck('table_name')) as string[];
  const result: Record<string, number> = {};
  for (const table of tables.filter((name) => !name.startsWith('knex_'))) {
    result[table] = Number((await database.db(table).count({ n: '*' }).first())?.n ?? 0);
  }
  return result;
}

/** Writes a desk key the way an attacker with only database access would: one plain row. */
async function plantKey(): Promise<DeskKeyPair> {
  const pair = await generateDeskKeyPair();
  await database
    .db('desk_keys')
    .insert({ public_key: Buffer.from(pair.publicKey), created_on: '2026-11-28' });
  return pair;
}

const deskKeyLines = () =>
  testApp
    .logs()
    .split('\n')
    .filter((line) => line.includes('desk_key'));

describe('a desk key written straight into the database', () => {
  it('is never used: intake answers a translated 503, stores nothing, and tells the operator once', async () => {
    // Intake works on the authenticated key first.
    await submitReport(testApp.app, validReport({ narrative: 'before the planted key' })).expect(200);
    await plantKey();
    const before = await everyTableCount();

    const english = await submitReport(testApp.app, validReport({ narrative: 'planted canary' })).expect(503);
    expect(english.text).toContain(translate('en', 'intake.unavailable'));
    const spanish = await submitReport(testApp.app, validReport(), 'es').expect(503);
    expect(spanish.text).toContain(translate('es', 'intake.unavailable'));
    expect(english.headers['cache-control']).toBe('no-store');
    expect(await everyTableCount()).toEqual(before);

    // One line for the operator, saying what to do, and nothing about the requests that met it.
    const lines = deskKeyLines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('desk_key_unauthenticated');
    expect(lines[0]).toContain('desk-key:confirm');
    expect(lines[0]).not.toMatch(/report|POST|route|requestId|method/);
    // No reference is shown to the reporter for an error nobody logged against it.
    expect(english.text).not.toContain(translate('en', 'errors.reference').split('{id}')[0]!);
  });

  it('is refused with a valid authenticator copied from another row, and a real key swapped under one is too', async () => {
    const [original, planted] = (await database.db('desk_keys').orderBy('id')).slice(-2);
    await database
      .db('desk_keys')
      .where({ id: planted.id })
      .update({ authenticator: original.authenticator });
    expect((await deskKeyStatus(database.db, secrets)).state).toBe('unauthenticated');
    await submitReport(testApp.app, validReport()).expect(503);

    await database.db('desk_keys').where({ id: planted.id }).del();
    expect((await deskKeyStatus(database.db, secrets)).state).toBe('authenticated');
    const swapped = await generateDeskKeyPair();
    await database
      .db('desk_keys')
      .where({ id: original.id })
      .update({ public_key: Buffer.from(swapped.publicKey) });
    expect((await deskKeyStatus(database.db, secrets)).state).toBe('unauthenticated');
    await submitReport(testApp.app, validReport()).expect(503);
    await database
      .db('desk_keys')
      .where({ id: original.id })
      .update({ public_key: Buffer.from(desk.publicKey) });
    await submitReport(testApp.app, validReport()).expect(200);
  });

  it('is refused for follow-up messages too', async () => {
    const receipt = receiptOf((await submitReport(testApp.app, validReport()).expect(200)).text);
    await plantKey();
    const before = await everyTableCount();
    const status = await request(testApp.app).post('/status').type('form').send({ receipt }).expect(200);
    await request(testApp.app)
      .post('/status/messages')
      .type('form')
      .send(encode({ receipt, message: 'a follow-up', token: tokenOf(status.text) }))
      .expect(503);
    expect(await everyTableCount()).toEqual(before);
  });

  it('opens intake once confirmed against a fingerprint from outside the database, and not before', async () => {
    const newest = (await database.db('desk_keys').orderBy('id', 'desc').first()) as { public_key: Buffer };
    const wrong = deskKeyFingerprint((await generateDeskKeyPair()).publicKey);
    expect(await confirmDeskKey(database.db, secrets, { fingerprint: wrong })).toEqual({
      ok: false,
      problem: 'mismatch',
    });
    await submitReport(testApp.app, validReport()).expect(503);
    const fingerprint = deskKeyFingerprint(newest.public_key).toUpperCase().replace(/ /g, '');
    const confirmed = await confirmDeskKey(database.db, secrets, { fingerprint });
    expect(confirmed).toMatchObject({ ok: true, already: false });
    expect(await database.db('audit_events').where({ action: 'desk_key_confirmed' })).toHaveLength(1);
    await submitReport(testApp.app, validReport()).expect(200);
    // Under another server's SESSION_SECRET the same row is not authenticated.
    expect((await deskKeyStatus(database.db, { session: Buffer.alloc(32, 7) })).state).toBe(
      'unauthenticated',
    );
  });
});

describe('keys the app creates', () => {
  it('are authenticated as they are stored, and intake seals to them', async () => {
    const pair = await generateDeskKeyPair();
    await createDeskKey(database.db, SESSION_SECRET, pair.publicKey, '2026-11-29');
    expect(await deskKeyStatus(database.db, secrets)).toMatchObject({ state: 'authenticated' });
    const receipt = receiptOf(
      (await submitReport(testApp.app, validReport({ narrative: 'sealed to the new key' })).expect(200)).text,
    );
    await moveStaged(database.db);
    const row = await database
      .db('reports')
      .where({ id: await reportIdOf(database.db, receipt) })
      .first();
    expect(await open(row.narrative_sealed, pair)).toBe('sealed to the new key');
  });
});

describe('the desk', () => {
  it('shows the fingerprint of the key intake seals to beside the one the moderator holds, and warns when they differ', async () => {
    // A database of its own: the first admin creates the desk key.
    const own = await setUpIntake();
    try {
      await own.database.db('desk_keys').del();
      const admin = await createModerator(own.database.db, 'admin');
      const app = (await buildTestApp(own.database.db)).app;
      const agent = await signIn(app, own.database.db, admin);
      const key = (await own.database.db('desk_keys').orderBy('id', 'desc').first()) as {
        public_key: Buffer;
      };
      const fingerprint = deskKeyFingerprint(key.public_key);
      for (const path of ['/moderate/password', '/moderate/admin/moderators', '/es/moderate/password']) {
        const page = await agent.get(path).expect(200);
        expect(page.text.split(fingerprint)).toHaveLength(3); // intake's and the held one
        expect(page.text).not.toContain('class="desk-error"');
      }
      expect((await agent.get('/moderate/password')).text).toContain('confirmed by this server');

      // A newer authenticated key this admin does not hold (a rotation that skipped them, or a rollback
      // seen from the other side): every desk page says so.
      const other = await generateDeskKeyPair();
      await createDeskKey(own.database.db, TEST_SESSION_SECRET, other.publicKey, '2026-11-29');
      const queue = await agent.get('/moderate').expect(200);
      expect(queue.text).toContain(translate('en', 'accounts.desk_key.held_differs'));
      const spanish = await agent.get('/es/moderate').expect(200);
      expect(spanish.text).toContain(translate('es', 'accounts.desk_key.held_differs'));
    } finally {
      await own.database.destroy();
    }
  });
});
