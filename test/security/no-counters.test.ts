import type { Response } from 'supertest';
import request from 'supertest';
import {
  encode,
  moveStaged,
  receiptOf,
  setUpIntake,
  tokenOf,
  validReport,
  type IntakeTestApp,
} from '../integration/intake/support';
import type { TestDatabase } from '../support/database';

// Promise 6 on anonymous POSTs: no response carries a counter. A RateLimit header with "remaining" or
// "reset" (or a 429 saying "in 7 minutes") tells an observer when somebody else sent something; a count
// of minutes is a countdown, so a 429 says "later" and nothing more.

let database: TestDatabase;
let testApp: IntakeTestApp;

beforeAll(async () => {
  ({ database, testApp } = await setUpIntake({
    env: { TRUST_PROXY_HOPS: '1' },
    intake: { rateLimits: { windowMs: 60_000, perClient: { report: 1, status: 1, messages: 1 } } },
  }));
});
afterAll(async () => {
  await moveStaged(database.db);
  await database.destroy();
});

function expectNoCounter(response: Response, what: string): void {
  const counters = Object.keys(response.headers).filter((name) =>
    /ratelimit|retry-after|x-ratelimit/i.test(name),
  );
  expect({ what, counters }).toEqual({ what, counters: [] });
  if (response.status === 429) {
    const message = /<p class="lede">([^<]*)<\/p>/.exec(response.text)?.[1] ?? '';
    expect({ what, message }).toEqual({ what, message: expect.not.stringMatching(/\d/) as string });
    expect(message.length).toBeGreaterThan(10);
  }
}

describe.each(['en', 'es'] as const)('anonymous POST routes in %s', (lang) => {
  const prefix = lang === 'es' ? '/es' : '';
  const post = (path: string, body: string | Record<string, string>) =>
    request(testApp.app)
      .post(`${prefix}${path}`)
      .set('X-Forwarded-For', lang === 'es' ? '192.0.2.2' : '192.0.2.1')
      .type('form')
      .send(body);
  const freshToken = async () => tokenOf((await request(testApp.app).get(`${prefix}/report`)).text);

  it('carry no rate-limit header and no number in a 429, whatever the outcome', async () => {
    const seen: Record<string, Response> = {};
    seen.crossSite = await post('/report', 'a=b').set('Sec-Fetch-Site', 'cross-site');
    seen.reportInvalid = await post('/report', encode(validReport({ state: '' })));
    seen.reportAccepted = await post('/report', encode({ ...validReport(), token: await freshToken() }));
    seen.reportLimited = await post('/report', encode({ ...validReport(), token: await freshToken() }));
    const receipt = receiptOf(seen.reportAccepted.text);
    seen.statusFound = await post('/status', { receipt });
    seen.statusMiss = await post('/status', { receipt: 'no such words' });
    seen.statusLimited = await post('/status', { receipt: 'still no such words' });
    const token = tokenOf(seen.statusFound.text);
    seen.messageInvalid = await post('/status/messages', { receipt, token, message: ' ' });
    seen.messageSent = await post('/status/messages', { receipt, token, message: 'more' });
    seen.messageLimited = await post('/status/messages', {
      receipt,
      token: tokenOf(seen.statusFound.text),
      message: 'again',
    });
    seen.deskSignIn = await post('/moderate/login', { username: 'nobody', password: 'wrong' });
    expect(
      Object.fromEntries(Object.entries(seen).map(([name, response]) => [name, response.status])),
    ).toMatchObject({
      reportInvalid: 422,
      reportAccepted: 200,
      reportLimited: 429,
      statusFound: 200,
      statusMiss: 422,
      statusLimited: 429,
      messageInvalid: 422,
      messageSent: 200,
      messageLimited: 429,
      crossSite: 403,
    });
    for (const [name, response] of Object.entries(seen)) expectNoCounter(response, `${lang} ${name}`);
  });
});
