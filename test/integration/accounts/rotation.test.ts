import { randomBytes } from 'node:crypto';
/* eslint-disable @typescript-eslint/no-unsafe-argument -- knex rows are untyped in tests */
import request from 'supertest';
import { deskKeyFingerprint } from '../../../src/accounts/desk-keys';
import { insertStagedUnderKey } from '../../../src/intake/staged-store';
import { generateDeskKeyPair, open, type DeskKeyPair } from '../../../src/reports/seal';
import { createDeskRotation } from '../../../src/accounts/rotation';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { buildReport, insertReport, sealNarrative } from '../../support/factories';
import {
  createModerator,
  csrfFrom,
  FIXED_TODAY,
  signIn,
  TEST_SESSION_SECRET,
  testAccounts,
} from '../../support/desk';
import {
  buildIntakeApp,
  encode,
  moveStaged,
  receiptOf,
  submitReport,
  tokenOf,
  validReport,
  type IntakeTestApp,
} from '../intake/support';

// Issue 16, item 4: offboarding. An admin disables a moderator (their sessions end at once) and rotates
// the desk key; intake seals to the new key from then on, even while the rotation runs; stored and
// staged text is re-sealed to it in the background; the old key is destroyed only when nothing is sealed
// to it any more, and the disabled account keeps no copy of either key.

let database: TestDatabase;
let testApp: IntakeTestApp;
type Account = Awaited<ReturnType<typeof createModerator>>;
let admin: Account;

beforeAll(async () => {
  database = await createTestDatabase();
  testApp = await buildIntakeApp(database.db, { intake: { rateLimits: false } });
  admin = await createModerator(database.db, 'admin');
});
afterAll(() => database.destroy());

const db = () => database.db;

/** The desk key an account's password opens, through the real sign-in check. */
async function deskOf(account: Account): Promise<{ id: number; pair: DeskKeyPair } | null> {
  const checked = await testAccounts(db()).checkPassword(account.username, account.password);
  return checked.ok ? checked.desk : null;
}

/** A moderator added by the admin with desk access, whose password is then their own. */
async function addModerator(): Promise<Account> {
  const accounts = testAccounts(db());
  const adminDesk = await deskOf(admin);
  const name = `mod${Math.random().toString(36).slice(2, 10)}`;
  const added = await accounts.addModerator(admin.id, { username: name, role: 'moderator' }, adminDesk);
  if (!added.ok) throw new Error(added.problem);
  await db()('moderators').where({ id: added.id }).update({ must_change_password: false });
  // First sign-in with the password: the account's own key pair is already there from addModerator.
  return { id: added.id, username: name, password: added.oneTimePassword };
}

async function fileReport(narrative: string): Promise<string> {
  const response = await submitReport(testApp.app, validReport({ narrative })).expect(200);
  return receiptOf(response.text);
}

async function sendMessage(receipt: string, message: string): Promise<void> {
  const page = await request(testApp.app).post('/status').type('form').send({ receipt }).expect(200);
  await request(testApp.app)
    .post('/status/messages')
    .type('form')
    .send(encode({ receipt, token: tokenOf(page.text), message }))
    .expect(200);
}

async function rotationFinished(timeoutMs = 30_000): Promise<Record<string, unknown>> {
  const started = Date.now();
  for (;;) {
    const row = await db()('desk_key_rotations').orderBy('id', 'desc').first();
    if (row?.finished_on) return row as Record<string, unknown>;
    if (Date.now() - started > timeoutMs) throw new Error('the rotation did not finish');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Every row holding text sealed to the desk key, with the key id it records. */
async function sealedRows(): Promise<{ sealed: Buffer; keyId: number | null }[]> {
  const narratives = await db()('reports')
    .whereNotNull('narrative_sealed')
    .select('narrative_sealed as sealed', 'narrative_key_id as keyId');
  const messages = await db()('report_messages')
    .where({ direction: 'from_reporter' })
    .select('body_sealed as sealed', 'body_key_id as keyId');
  return [...narratives, ...messages] as { sealed: Buffer; keyId: number | null }[];
}

async function postRotate(agent: ReturnType<typeof request.agent>) {
  const page = await agent.get('/moderate/desk-key').expect(200);
  return agent
    .post('/moderate/admin/desk-key/rotate')
    .type('form')
    .send({ _csrf: csrfFrom(page.text) });
}

describe('offboarding with a desk key rotation', () => {
  it('ends a disabled moderator’s sessions at once, and re-seals everything to a new key while reports keep arriving', async () => {
    const stays = await addModerator();
    const leaves = await addModerator();
    const oldDesk = (await deskOf(admin))!;
    // Text sealed before: moved reports and a reporter's message, a staged report, a report from before key ids.
    const receipt = await fileReport('Before the rotation: they followed me home.');
    await fileReport('A second narrative, moved before the rotation.');
    await moveStaged(db());
    await sendMessage(receipt, 'A follow-up from the reporter, moved before.');
    await moveStaged(db());
    await fileReport('Staged, not moved, when the key is rotated.');
    const seededId = await insertReport(
      db(),
      buildReport({
        narrativeSealed: await sealNarrative('Seeded without a key id.', oldDesk.pair.publicKey),
      }),
    );
    expect((await db()('reports').where({ id: seededId }).first()).narrative_key_id).toBeNull();

    const adminAgent = await signIn(testApp.app, db(), admin);
    const staysAgent = await signIn(testApp.app, db(), stays);
    const leavesAgent = await signIn(testApp.app, db(), leaves);
    await leavesAgent.get('/moderate').expect(200);

    // Disabling ends the leaver's session with the very next request.
    const list = await adminAgent.get('/moderate/admin/moderators').expect(200);
    await adminAgent
      .post(`/moderate/admin/moderators/${leaves.id}/status`)
      .type('form')
      .send({ _csrf: csrfFrom(list.text), disabled: 'true' })
      .expect(303);
    await leavesAgent.get('/moderate').expect(303);

    // The rotation, with reports and messages arriving at the same moment and right after.
    const during = Array.from({ length: 6 }, (_, index) => `Sent during the rotation, number ${index}.`);
    const [rotated] = await Promise.all([
      postRotate(adminAgent),
      ...during.map((text) => fileReport(text)),
      sendMessage(receipt, 'A message sent during the rotation.'),
    ]);
    expect(rotated.status).toBe(200);
    expect(rotated.text).toContain('given to 2 active accounts');
    const after = await fileReport('Sent after the rotation.');
    const rotation = await rotationFinished();
    await moveStaged(db());
    await sendMessage(after, 'A message after the rotation, still staged.');

    const keys = await db()('desk_keys').orderBy('id');
    const oldKey = keys.find((key) => key.id === oldDesk.id);
    const newKey = keys[keys.length - 1];
    expect(oldKey.retired_on).not.toBeNull();
    expect(oldKey.destroyed_on).not.toBeNull();
    expect(rotation).toMatchObject({
      from_key_id: oldDesk.id,
      to_key_id: newKey.id,
      old_private_sealed: null,
    });
    expect(rotation.unreadable).toBe(0);

    // None sealed to the destroyed key; every narrative and message opens with the new one, and the
    // new key is what the remaining moderator's own password now opens.
    const newDesk = (await deskOf(stays))!;
    expect(newDesk.id).toBe(newKey.id);
    expect(Buffer.from(newDesk.pair.publicKey).equals(newKey.public_key)).toBe(true);
    const rows = await sealedRows();
    expect(rows.length).toBe(3 + 6 + 1 + 1 + 2);
    for (const row of rows) {
      expect(row.keyId).toBe(newKey.id);
      await expect(open(row.sealed, newDesk.pair)).resolves.toEqual(expect.any(String));
      await expect(open(row.sealed, oldDesk.pair)).rejects.toThrow();
    }
    const texts = await Promise.all(rows.map((row) => open(row.sealed, newDesk.pair)));
    expect(texts).toEqual(expect.arrayContaining([...during, 'Seeded without a key id.']));
    expect(
      Number((await db()('intake_staged').whereNot({ sealed_key_id: newKey.id }).count({ n: '*' }))[0]!.n),
    ).toBe(0);

    // No copy of the old key is left in an account, and the leaver holds nothing at all.
    const accounts = await db()('moderators').select(
      'id',
      'wrapped_desk_key',
      'desk_key_id',
      'desk_key_sealed',
    );
    for (const account of accounts) {
      expect(account.desk_key_id === null || account.desk_key_id === newKey.id).toBe(true);
    }
    const leaver = accounts.find((account) => account.id === leaves.id);
    expect(leaver).toMatchObject({ wrapped_desk_key: null, desk_key_id: null, desk_key_sealed: null });
    expect(await deskOf(leaves)).toBeNull();

    // Other sessions carried the old key: they ended; the remaining moderator signs in and reads.
    await staysAgent.get('/moderate').expect(303);
    const again = await signIn(testApp.app, db(), stays);
    const reportPage = await again.get(`/moderate/reports/${seededId}`).expect(200);
    expect(reportPage.text).toContain('Seeded without a key id.');

    // The desk shows the current fingerprint and the history, in both languages.
    const fingerprint = deskKeyFingerprint(newKey.public_key);
    const page = await again.get('/moderate/desk-key').expect(200);
    expect(page.text).toContain(fingerprint);
    expect(page.text).toContain(deskKeyFingerprint(oldKey.public_key));
    expect(page.text).toContain('private half is destroyed');
    const spanish = await again.get('/es/moderate/desk-key').expect(200);
    expect(spanish.text).toContain('la mitad privada de la clave anterior está destruida');

    // Intake refuses the destroyed key even to a writer that read it before, stores nothing for it, and
    // stages under the new key; the actions are in the audit log.
    const staged = (keyId: number) =>
      insertStagedUnderKey(db(), { lookup: randomBytes(32), sealed: randomBytes(64), sealedKeyId: keyId });
    const stagedBefore = await db()('intake_staged').count({ n: '*' });
    expect(await staged(oldDesk.id)).toBe('key_destroyed');
    expect(await db()('intake_staged').count({ n: '*' })).toEqual(stagedBefore);
    expect(await staged(newKey.id)).toBe('staged');
    await db()('intake_staged').where({ sealed_key_id: newKey.id }).delete();
    const actions = await db()('audit_events').pluck('action');
    expect(actions).toEqual(
      expect.arrayContaining(['moderator_disabled', 'desk_key_rotated', 'desk_key_destroyed']),
    );
  });

  it('refuses a moderator (403), a form without its CSRF token (403), and a second rotation while one runs', async () => {
    const moderator = await addModerator();
    const agent = await signIn(testApp.app, db(), moderator);
    const before = await db()('desk_keys').count({ n: '*' });
    const page = await agent.get('/moderate/desk-key').expect(200);
    expect(page.text).not.toContain('/moderate/admin/desk-key/rotate');
    await agent
      .post('/moderate/admin/desk-key/rotate')
      .type('form')
      .send({ _csrf: csrfFrom(page.text) })
      .expect(403);
    const adminAgent = await signIn(testApp.app, db(), admin);
    await adminAgent.post('/moderate/admin/desk-key/rotate').type('form').send({}).expect(403);
    await adminAgent
      .post('/moderate/admin/desk-key/rotate')
      .type('form')
      .send({ _csrf: 'forged' })
      .expect(403);
    expect(await db()('desk_keys').count({ n: '*' })).toEqual(before);
    // An unfinished rotation (its job stopped) blocks the next one with a translated 409.
    await db()('desk_key_rotations').insert({
      from_key_id: ((await db()('desk_keys').max('id as id').first()) as { id: number }).id,
      // The first key is nobody's successor (to_key_id is unique).
      to_key_id: ((await db()('desk_keys').min('id as id').first()) as { id: number }).id,
      started_on: '2026-11-27',
    });
    const conflict = await postRotate(adminAgent);
    expect(conflict.status).toBe(409);
    expect(conflict.text).toContain('A rotation is still sealing stored text again');
    await db()('desk_key_rotations').whereNull('finished_on').del();
    expect(await db()('desk_keys').count({ n: '*' })).toEqual(before);
  });

  it('gives the new key only to moderator keys this server made: a public key swapped in the database gets nothing', async () => {
    const target = await addModerator();
    const planted = await generateDeskKeyPair();
    await db()('moderators')
      .where({ id: target.id })
      .update({ key_public: Buffer.from(planted.publicKey) });
    const adminAgent = await signIn(testApp.app, db(), admin);
    const response = await postRotate(adminAgent);
    expect(response.status).toBe(200);
    expect(response.text).toContain(target.username);
    await rotationFinished();
    const row = await db()('moderators').where({ id: target.id }).first();
    expect(row).toMatchObject({ desk_key_sealed: null, desk_key_id: null, wrapped_desk_key: null });
    // The new key still authenticates, and a row planted after it is still refused by intake.
    const plantedDesk = await generateDeskKeyPair();
    await db()('desk_keys').insert({
      public_key: Buffer.from(plantedDesk.publicKey),
      created_on: '2026-11-28',
    });
    await submitReport(testApp.app, validReport({ narrative: 'To a planted key?' })).expect(503);
    await db()('desk_keys')
      .where({ public_key: Buffer.from(plantedDesk.publicKey) })
      .del();
    await submitReport(testApp.app, validReport({ narrative: 'To the real key.' })).expect(200);
  });

  it('resumes re-sealing after the process that started it stopped, at the next desk request holding the new key', async () => {
    await fileReport('Waiting for a job that stopped.');
    await moveStaged(db());
    // A rotation whose job never ran here: as if the process had stopped right after the commit.
    const stopped = { start: () => undefined, isRunning: () => false, settled: () => Promise.resolve() };
    const rotation = createDeskRotation({
      db: db(),
      sessionSecret: TEST_SESSION_SECRET,
      today: () => FIXED_TODAY,
      job: stopped,
    });
    const outcome = await rotation.rotate(admin.id, 'no-session-kept', await deskOf(admin));
    expect(outcome.ok).toBe(true);
    const pending = await db()('desk_key_rotations').orderBy('id', 'desc').first();
    expect(pending.finished_on).toBeNull();
    expect(pending.old_private_sealed).not.toBeNull();
    const newKeyId = pending.to_key_id as number;
    expect(
      Number(
        (await db()('reports').where({ narrative_key_id: pending.from_key_id }).count({ n: '*' }))[0]!.n,
      ),
    ).toBeGreaterThan(0);

    // The admin signs in (their own key opens the new desk key) and opens the desk: the job starts again.
    const agent = await signIn(testApp.app, db(), admin);
    await agent.get('/moderate/desk-key').expect(200);
    const finished = await rotationFinished();
    expect(finished.id).toBe(pending.id);
    const desk = (await deskOf(admin))!;
    expect(desk.id).toBe(newKeyId);
    for (const row of await sealedRows()) {
      expect(row.keyId).toBe(newKeyId);
      await expect(open(row.sealed, desk.pair)).resolves.toEqual(expect.any(String));
    }
  });

  it('refuses an admin whose own account could not keep the new key, changing nothing', async () => {
    const agent = await signIn(testApp.app, db(), admin);
    // As for a session begun before accounts had key pairs of their own.
    await db()('moderators').where({ id: admin.id }).update({ key_authenticator: null });
    const before = await db()('desk_keys').count({ n: '*' });
    const refused = await postRotate(agent);
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('Sign out and in again');
    expect(await db()('desk_keys').count({ n: '*' })).toEqual(before);
    // Signing in again gives the account its key pair back, and the desk key with it.
    expect((await deskOf(admin))?.id).toEqual(expect.any(Number));
    expect((await db()('moderators').where({ id: admin.id }).first()).key_authenticator).not.toBeNull();
  });
});
