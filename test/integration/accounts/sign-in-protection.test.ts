import request from 'supertest';
import { issueLoginToken } from '../../../src/accounts/login-form';
import { translate } from '../../../src/platform/i18n';
import { buildTestApp, type TestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { createModerator, csrfFrom, signIn, TEST_SESSION_SECRET } from '../../support/desk';

// Issue 10, items 4 and 8: nobody can lock a moderator out, and the desk writes no session row and sets
// no cookie before a password is accepted, while its sign-in form stays protected against CSRF.

let database: TestDatabase;
let testApp: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  testApp = await buildTestApp(database.db, { TRUST_PROXY_HOPS: '1' });
});
afterAll(() => database.destroy());

const sessionRows = async () => Number((await database.db('sessions').count({ n: '*' }).first())?.n ?? 0);

/** One sign-in attempt from a given address (the test app trusts one proxy hop). */
async function attempt(
  app: TestApp,
  address: string,
  username: string,
  password: string,
  prefix = '',
): Promise<request.Response> {
  const login = await request(app.app).get(`${prefix}/moderate/login`).set('X-Forwarded-For', address);
  return request(app.app)
    .post(`${prefix}/moderate/login`)
    .set('X-Forwarded-For', address)
    .type('form')
    .send({ _csrf: csrfFrom(login.text), username, password });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('anonymous visits to the desk', () => {
  it('write no session row and set no cookie, on the sign-in page and everywhere else', async () => {
    const before = await sessionRows();
    for (const path of [
      '/moderate/login',
      '/es/moderate/login',
      '/moderate',
      '/es/moderate',
      '/moderate/login/code',
      '/moderate/password',
      '/moderate/admin/moderators',
      '/moderate/admin/audit',
      '/moderate/releases',
      '/moderate/no-such-page',
    ]) {
      const response = await request(testApp.app).get(path);
      expect([path, response.headers['set-cookie']]).toEqual([path, undefined]);
    }
    expect(await sessionRows()).toBe(before);
  });

  it('write none for a refused or wrong sign-in either', async () => {
    const account = await createModerator(database.db, 'moderator');
    const before = await sessionRows();
    const wrong = await attempt(testApp, '192.0.2.50', account.username, 'not the password at all');
    expect(wrong.status).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    expect(await sessionRows()).toBe(before);
  });
});

describe('the sign-in form without a session', () => {
  it('refuses a POST from another site, however valid its token', async () => {
    const account = await createModerator(database.db, 'moderator');
    const login = await request(testApp.app).get('/moderate/login');
    const forged = await request(testApp.app)
      .post('/moderate/login')
      .set('Sec-Fetch-Site', 'cross-site')
      .type('form')
      .send({ _csrf: csrfFrom(login.text), username: account.username, password: account.password })
      .expect(403);
    expect(forged.text).toContain('This form has expired');
    const spanish = await request(testApp.app)
      .post('/es/moderate/login')
      .set('Origin', 'https://attacker.example')
      .type('form')
      .send({ _csrf: csrfFrom(login.text), username: account.username, password: account.password })
      .expect(403);
    expect(spanish.text).toContain('Este formulario caducó');
  });

  it('refuses a forged or expired token, and takes a fresh one from our own page', async () => {
    const account = await createModerator(database.db, 'moderator');
    const send = (token: string) =>
      request(testApp.app)
        .post('/moderate/login')
        .set('Sec-Fetch-Site', 'same-origin')
        .type('form')
        .send({ _csrf: token, username: account.username, password: account.password });
    const stale = issueLoginToken(TEST_SESSION_SECRET, new Date(Date.now() - 3 * 3600_000));
    const foreign = issueLoginToken(Buffer.alloc(32, 9), new Date());
    await send(stale).expect(403);
    await send(foreign).expect(403);
    await send(`${stale.slice(0, -2)}AA`).expect(403);
    await send(issueLoginToken(TEST_SESSION_SECRET, new Date())).expect(303);
  });
});

describe('the sign-in limiter', () => {
  it('ten addresses × five wrong passwords do not keep the moderator from an address it signed in from', async () => {
    const account = await createModerator(database.db, 'moderator');
    const home = '203.0.113.10';
    // The moderator signed in from home before (password and second factor).
    await signInFrom(home, account);
    for (let bot = 0; bot < 10; bot++) {
      for (let guess = 0; guess < 5; guess++) {
        const response = await attempt(testApp, `198.51.100.${bot}`, account.username, `wrong ${guess}`);
        expect(response.status).toBe(401);
      }
    }
    // The account is under attack: an address it never signed in from is held back…
    expect((await attempt(testApp, '192.0.2.200', account.username, account.password)).status).toBe(429);
    // …and each attacking address has used its free failures…
    expect((await attempt(testApp, '198.51.100.3', account.username, 'wrong again')).status).toBe(429);
    // …but the moderator, from home, signs in.
    const home2 = await attempt(testApp, home, account.username, account.password);
    expect(home2.status).toBe(303);
    expect(home2.headers.location).toBe('/moderate/login/code');
    // Promise 1: no address in the log.
    expect(testApp.logs()).not.toMatch(/198\.51\.100\.|203\.0\.113\.10/);
  });

  it('records success at the password step: it ends that address’s run of failures', async () => {
    const account = await createModerator(database.db, 'moderator');
    const address = '203.0.113.20';
    for (let guess = 0; guess < 4; guess++)
      expect((await attempt(testApp, address, account.username, `typo ${guess}`)).status).toBe(401);
    expect((await attempt(testApp, address, account.username, account.password)).status).toBe(303);
    // Five fresh free failures after the success, not one.
    for (let guess = 0; guess < 5; guess++)
      expect((await attempt(testApp, address, account.username, `typo ${guess}`)).status).toBe(401);
    expect((await attempt(testApp, address, account.username, account.password)).status).toBe(429);
  });

  it('applies growing delays, and says so in both languages without a count or a time', async () => {
    const account = await createModerator(database.db, 'moderator');
    const address = '203.0.113.30';
    for (let guess = 0; guess < 5; guess++)
      expect((await attempt(testApp, address, account.username, `wrong ${guess}`)).status).toBe(401);
    const english = await attempt(testApp, address, account.username, account.password);
    expect(english.status).toBe(429);
    const spanish = await attempt(testApp, address, account.username, account.password, '/es');
    expect(spanish.status).toBe(429);
    expect(english.text).toContain('Sign-in is paused');
    expect(spanish.text).toContain('El acceso está en pausa');
    for (const [page, lang] of [
      [english, 'en'],
      [spanish, 'es'],
    ] as const) {
      // No number in what it says: neither how many attempts were made nor how long to wait.
      const message = translate(lang, 'accounts.login.throttled');
      expect(message).not.toMatch(/\d/);
      expect(page.text).toContain(message);
      expect(Object.keys(page.headers).filter((name) => /retry-after|ratelimit/i.test(name))).toEqual([]);
    }
    // The first wait is a second; the next failure doubles it.
    await sleep(1100);
    expect((await attempt(testApp, address, account.username, 'wrong 6')).status).toBe(401);
    expect((await attempt(testApp, address, account.username, account.password)).status).toBe(429);
    await sleep(1100);
    expect((await attempt(testApp, address, account.username, account.password)).status).toBe(429);
    await sleep(1000);
    expect((await attempt(testApp, address, account.username, account.password)).status).toBe(303);
  }, 20_000);
});

/** A full sign-in (password and second factor) from one address. */
async function signInFrom(
  address: string,
  account: { id: number; username: string; password: string },
): Promise<void> {
  const agent = await signIn(testApp.app, database.db, account, '', { 'X-Forwarded-For': address });
  await agent.get('/moderate').set('X-Forwarded-For', address).expect(200);
}
