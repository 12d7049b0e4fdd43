import request from 'supertest';
import { buildTestApp, type TestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { buildReport, insertReport, sealNarrative } from '../../support/factories';
import {
  createModerator,
  csrfFrom,
  deskPublicKey,
  signIn,
  testAccounts,
  totpCode,
  totpSecretOf,
} from '../../support/desk';

let database: TestDatabase;
let testApp: TestApp;
let admin: { id: number; username: string; password: string };
let agent: Awaited<ReturnType<typeof signIn>>;

beforeAll(async () => {
  database = await createTestDatabase();
  testApp = await buildTestApp(database.db);
  admin = await createModerator(database.db, 'admin');
  agent = await signIn(testApp.app, database.db, admin);
});
afterAll(() => database.destroy());

async function csrf(path = '/moderate/admin/moderators'): Promise<string> {
  return csrfFrom((await agent.get(path).expect(200)).text);
}

describe('the first admin (moderator:create)', () => {
  it('created the desk key pair: public half in desk_keys, private half only wrapped', async () => {
    const keys = await database.db('desk_keys');
    expect(keys).toHaveLength(1);
    const row = await database.db('moderators').where({ id: admin.id }).first();
    expect(row.desk_key_id).toBe(keys[0].id);
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(row.must_change_password).toBe(false);
  });

  it('later command-line accounts get a one-time password and no desk access', async () => {
    const created = await testAccounts(database.db).createFromCommandLine({
      username: 'cli-second',
      role: 'admin',
    });
    expect(created).toMatchObject({ ok: true, generated: true, deskKey: 'none' });
    expect(created.ok && created.password).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){4}$/);
    const row = await database.db('moderators').where({ username: 'cli-second' }).first();
    expect([row.wrapped_desk_key, row.must_change_password]).toEqual([null, true]);
    expect(await database.db('desk_keys')).toHaveLength(1);
  });

  it('refuses short and common passwords from standard input', async () => {
    await expect(
      testAccounts(database.db).createFromCommandLine({
        username: 'short-one',
        role: 'moderator',
        password: 'short',
      }),
    ).resolves.toEqual({ ok: false, problem: 'too_short' });
    await expect(
      testAccounts(database.db).createFromCommandLine({
        username: 'common-one',
        role: 'moderator',
        password: 'qwerty123456',
      }),
    ).resolves.toEqual({ ok: false, problem: 'common' });
    expect(await database.db('moderators').whereIn('username', ['short-one', 'common-one'])).toHaveLength(0);
  });

  it('refuses an invalid or taken username as a value, writing nothing', async () => {
    const accounts = testAccounts(database.db);
    const before = await database.db('moderators').count({ n: '*' }).first();
    await expect(
      accounts.createFromCommandLine({ username: 'No Spaces', role: 'moderator' }),
    ).resolves.toEqual({
      ok: false,
      problem: 'username_invalid',
    });
    await expect(
      accounts.createFromCommandLine({ username: 'cli-second', role: 'moderator' }),
    ).resolves.toEqual({
      ok: false,
      problem: 'username_taken',
    });
    expect(await database.db('moderators').count({ n: '*' }).first()).toEqual(before);
  });
});

describe('POST /moderate/admin/moderators', () => {
  it('adds a moderator with a one-time password, wraps the desk key for them, and the newcomer reads narratives after changing it', async () => {
    const narrativeId = await insertReport(
      database.db,
      buildReport({
        narrativeSealed: await sealNarrative('shared desk canary', await deskPublicKey(database.db)),
      }),
    );
    const response = await agent
      .post('/moderate/admin/moderators')
      .type('form')
      .send({ _csrf: await csrf(), username: 'newcomer', role: 'moderator' })
      .expect(200);
    const password = /<code>([a-z2-9-]{24})<\/code>/.exec(response.text)?.[1];
    expect(password).toBeDefined();
    const row = await database.db('moderators').where({ username: 'newcomer' }).first();
    expect(row.wrapped_desk_key).not.toBeNull();
    expect(row.must_change_password).toBe(true);
    expect(
      await database
        .db('audit_events')
        .where({ action: 'moderator_added', subject_moderator_id: row.id, moderator_id: admin.id }),
    ).toHaveLength(1);

    const newcomer = await signIn(testApp.app, database.db, {
      id: row.id,
      username: 'newcomer',
      password: password!,
    });
    const forced = await newcomer.get('/moderate').expect(303);
    expect(forced.headers.location).toBe('/moderate/password');
    const page = await newcomer.get('/moderate/password').expect(200);
    const common = await newcomer
      .post('/moderate/password')
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        current: password,
        password: 'password1234',
        confirm: 'password1234',
      })
      .expect(422);
    expect(common.text).toContain('common passwords');
    const mine = 'a fresh passphrase that is long';
    await newcomer
      .post('/moderate/password')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), current: password, password: mine, confirm: mine })
      .expect(303);
    const narrative = await newcomer.get(`/moderate/reports/${narrativeId}`).expect(200);
    expect(narrative.text).toContain('shared desk canary');

    // The re-wrapped key opens with the new password at the next sign-in, too.
    const again = await signIn(testApp.app, database.db, {
      id: row.id,
      username: 'newcomer',
      password: mine,
    });
    expect((await again.get(`/moderate/reports/${narrativeId}`).expect(200)).text).toContain(
      'shared desk canary',
    );
  });

  it('refuses a taken username with 422', async () => {
    const response = await agent
      .post('/moderate/admin/moderators')
      .type('form')
      .send({ _csrf: await csrf(), username: admin.username, role: 'moderator' })
      .expect(422);
    expect(response.text).toContain('That username is taken.');
  });
});

describe('managing accounts', () => {
  it('resets an account: new one-time password with desk access, second factor cleared, sessions ended', async () => {
    const target = await createModerator(database.db, 'moderator');
    const theirs = await signIn(testApp.app, database.db, target);
    const response = await agent
      .post(`/moderate/admin/moderators/${target.id}/reset`)
      .type('form')
      .send({ _csrf: await csrf() })
      .expect(200);
    expect(response.text).toMatch(/<code>[a-z2-9-]{24}<\/code>/);
    const row = await database.db('moderators').where({ id: target.id }).first();
    expect([row.totp_enrolled, row.totp_secret_sealed, row.must_change_password]).toEqual([
      false,
      null,
      true,
    ]);
    expect(row.wrapped_desk_key).not.toBeNull();
    await theirs.get('/moderate').expect(303);
  });

  it('changes a role and disables an account, ending its sessions, and refuses to demote the last admin', async () => {
    const target = await createModerator(database.db, 'moderator');
    const theirs = await signIn(testApp.app, database.db, target);
    await agent
      .post(`/moderate/admin/moderators/${target.id}/role`)
      .type('form')
      .send({ _csrf: await csrf(), role: 'admin' })
      .expect(303);
    expect((await database.db('moderators').where({ id: target.id }).first()).role).toBe('admin');
    await agent
      .post(`/moderate/admin/moderators/${target.id}/status`)
      .type('form')
      .send({ _csrf: await csrf(), disabled: 'true' })
      .expect(303);
    expect((await database.db('moderators').where({ id: target.id }).first()).disabled).toBe(true);
    await theirs.get('/moderate').expect(303);
    // A disabled account cannot sign in.
    const login = await request.agent(testApp.app).get('/moderate/login');
    const fresh = request.agent(testApp.app);
    const page = await fresh.get('/moderate/login');
    await fresh
      .post('/moderate/login')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), username: target.username, password: target.password })
      .expect(401);
    expect(login.status).toBe(200);
    await agent
      .post(`/moderate/admin/moderators/${admin.id}/role`)
      .type('form')
      .send({ _csrf: await csrf(), role: 'moderator' })
      .expect(403);
    const actions = await database
      .db('audit_events')
      .where({ subject_moderator_id: target.id })
      .pluck('action');
    expect(actions).toEqual(expect.arrayContaining(['role_changed', 'moderator_disabled']));
  });

  it('lists accounts and the audit log in both languages, without report content', async () => {
    const id = await insertReport(
      database.db,
      buildReport({
        narrativeSealed: await sealNarrative('audit canary text', await deskPublicKey(database.db)),
      }),
    );
    await agent.get(`/moderate/reports/${id}`).expect(200);
    const english = await agent.get('/moderate/admin/audit').expect(200);
    expect(english.text).toContain('Opened a report');
    expect(english.text).toContain(id);
    expect(english.text).not.toContain('audit canary text');
    const spanish = await agent.get('/es/moderate/admin/moderators').expect(200);
    expect(spanish.text).toContain('Moderadores');
    expect(spanish.text).toContain(admin.username);
    const dump = JSON.stringify(await database.db('audit_events').select('*'));
    expect(dump).not.toContain('audit canary');
  });
});

describe('second factor codes', () => {
  it('accept the next step once but never an earlier one', async () => {
    const account = await createModerator(database.db, 'moderator');
    const secret = await totpSecretOf(database.db, account.id);
    const accounts = testAccounts(database.db);
    const invalid = { ok: false, problem: 'invalid' };
    expect(await accounts.checkCode(account.id, totpCode(secret, 1))).toEqual({ ok: true });
    expect(await accounts.checkCode(account.id, totpCode(secret, 1))).toEqual(invalid);
    expect(await accounts.checkCode(account.id, totpCode(secret, 0))).toEqual(invalid);
    expect(await accounts.checkCode(account.id, '000000')).toEqual(invalid);
  });
});
