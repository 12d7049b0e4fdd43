/* eslint-disable @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return -- knex rows are untyped in tests */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { decryptWith, serverKey } from '../../../src/accounts/keys';
import { seal } from '../../../src/reports/seal';
import { insertReportMessage } from '../../../src/reports/store';
import { buildTestApp, type TestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { buildReport, insertReport, sealNarrative } from '../../support/factories';
import { createModerator, csrfFrom, deskPublicKey, signIn } from '../../support/desk';

let database: TestDatabase;
let testApp: TestApp;
let admin: { id: number; username: string; password: string };
let agent: Awaited<ReturnType<typeof signIn>>;

beforeAll(async () => {
  database = await createTestDatabase();
  testApp = await buildTestApp(database.db);
  // The first admin creates the desk key pair; narratives below are sealed to it.
  admin = await createModerator(database.db, 'admin');
  agent = await signIn(testApp.app, database.db, admin);
});
afterAll(() => database.destroy());

const report = (id: string) => database.db('reports').where({ id }).first();
const auditFor = (id: string) => database.db('audit_events').where({ report_id: id }).orderBy('id');

async function formOf(path: string): Promise<{ csrf: string; version: string; html: string }> {
  const page = await agent.get(path).expect(200);
  return {
    csrf: csrfFrom(page.text),
    version: /name="version" value="(\d+)"/.exec(page.text)?.[1] ?? '',
    html: page.text,
  };
}

describe('GET /moderate (the queue)', () => {
  it('lists pending and needs_info reports oldest first, and filters by status, state and office', async () => {
    const older = await insertReport(
      database.db,
      buildReport({ receivedOn: '2026-01-05', state: 'GA', fieldOffice: 'ATL' }),
    );
    const newer = await insertReport(
      database.db,
      buildReport({ receivedOn: '2026-03-05', state: 'GA', fieldOffice: 'ATL', status: 'needs_info' }),
    );
    const approved = await insertReport(
      database.db,
      buildReport({
        receivedOn: '2026-01-01',
        state: 'GA',
        fieldOffice: 'ATL',
        status: 'approved',
        decisionOn: '2026-02-01',
      }),
    );
    const page = (await agent.get('/moderate?state=GA').expect(200)).text;
    expect(page.indexOf(older)).toBeGreaterThan(-1);
    expect(page.indexOf(older)).toBeLessThan(page.indexOf(newer));
    expect(page).not.toContain(approved);
    const waiting = (await agent.get('/moderate?status=needs_info&state=GA&office=ATL').expect(200)).text;
    expect(waiting).toContain(newer);
    expect(waiting).not.toContain(older);
    const spanish = await agent.get('/es/moderate?state=GA').expect(200);
    expect(spanish.text).toContain('Cola de revisión');
    expect(spanish.text).toContain('Georgia');
    await agent.get('/moderate?status=approved').expect(400);
    await agent.get('/moderate?state=georgia').expect(400);
  });
});

describe('GET /moderate/reports/:id', () => {
  it('shows coded fields, the narrative opened with the session desk key, and the thread', async () => {
    const key = await deskPublicKey(database.db);
    const id = await insertReport(
      database.db,
      buildReport({ narrativeSealed: await sealNarrative('They followed me after the vigil.', key) }),
    );
    await database.db.transaction((trx) =>
      insertReportMessage(trx, {
        reportId: id,
        direction: 'from_reporter',
        bodySealed: Buffer.alloc(0),
        sentOn: '2026-02-04',
      }).then(async () => {
        await trx('report_messages')
          .where({ report_id: id })
          .update({ body_sealed: await seal('One more detail.', key) });
      }),
    );
    const page = await agent.get(`/moderate/reports/${id}`).expect(200);
    expect(page.text).toContain('They followed me after the vigil.');
    expect(page.text).toContain('One more detail.');
    expect(page.text).toContain('Vermont');
    expect(page.headers['cache-control']).toBe('no-store');
    const audit = await auditFor(id);
    expect(audit.map((row) => row.action)).toEqual(['report_viewed']);
    expect(JSON.stringify(audit)).not.toContain('vigil');
  });

  it('answers 404, not data, for decided reports, a random UUID and a malformed id', async () => {
    const approved = await insertReport(
      database.db,
      buildReport({ status: 'approved', decisionOn: '2026-02-01' }),
    );
    const rejected = await insertReport(
      database.db,
      buildReport({ status: 'rejected', decisionReason: 'spam', decisionOn: '2026-02-01' }),
    );
    for (const path of [
      `/moderate/reports/${approved}`,
      `/moderate/reports/${rejected}`,
      `/moderate/reports/${randomUUID()}`,
      '/moderate/reports/1%27%20or%201=1',
    ]) {
      const response = await agent.get(path).expect(404);
      expect(response.text).not.toContain('Vermont');
    }
  });
});

describe('decisions', () => {
  it('approves with a decision date from deps.today and an audit row', async () => {
    const id = await insertReport(database.db, buildReport());
    const form = await formOf(`/moderate/reports/${id}`);
    await agent
      .post(`/moderate/reports/${id}/approve`)
      .type('form')
      .send({ _csrf: form.csrf, version: form.version })
      .expect(303);
    const row = await report(id);
    expect(row.status).toBe('approved');
    expect(row.version).toBe(2);
    expect(new Date(row.decision_on).toISOString().slice(0, 10)).toBe('2026-11-27');
    expect((await auditFor(id)).map((event) => [event.action, event.moderator_id])).toContainEqual([
      'approved',
      admin.id,
    ]);
  });

  it('rejects with a reason, and refuses an unknown reason with 400', async () => {
    const id = await insertReport(database.db, buildReport());
    const form = await formOf(`/moderate/reports/${id}`);
    await agent
      .post(`/moderate/reports/${id}/reject`)
      .type('form')
      .send({ _csrf: form.csrf, version: form.version, reason: 'boring' })
      .expect(400);
    expect((await report(id)).status).toBe('pending');
    await agent
      .post(`/moderate/reports/${id}/reject`)
      .type('form')
      .send({ _csrf: form.csrf, version: form.version, reason: 'not_retaliation' })
      .expect(303);
    const row = await report(id);
    expect([row.status, row.decision_reason]).toEqual(['rejected', 'not_retaliation']);
    const event = (await auditFor(id)).find((e) => e.action === 'rejected');
    expect(event.detail).toEqual({ reason: 'not_retaliation' });
  });

  it('marks a duplicate of another report, refusing itself and unknown ids', async () => {
    const original = await insertReport(
      database.db,
      buildReport({ status: 'approved', decisionOn: '2026-02-01' }),
    );
    const id = await insertReport(database.db, buildReport());
    const form = await formOf(`/moderate/reports/${id}`);
    const self = await agent
      .post(`/moderate/reports/${id}/duplicate`)
      .type('form')
      .send({ _csrf: form.csrf, version: form.version, duplicate_of: id })
      .expect(422);
    expect(self.text).toContain('cannot be a duplicate of itself');
    await agent
      .post(`/moderate/reports/${id}/duplicate`)
      .type('form')
      .send({ _csrf: form.csrf, version: form.version, duplicate_of: randomUUID() })
      .expect(422);
    await agent
      .post(`/moderate/reports/${id}/duplicate`)
      .type('form')
      .send({ _csrf: form.csrf, version: form.version, duplicate_of: original })
      .expect(303);
    const row = await report(id);
    expect([row.status, row.duplicate_of, row.decision_reason]).toEqual(['duplicate', original, 'duplicate']);
  });

  it('corrects coded fields, audited by field name only', async () => {
    const id = await insertReport(database.db, buildReport());
    const form = await formOf(`/moderate/reports/${id}`);
    await agent
      .post(`/moderate/reports/${id}/codes`)
      .type('form')
      .send(
        `_csrf=${form.csrf}&version=${form.version}&state=TX&field_office=HOU&month=2025-07&role=journalist&action=arrest&action=detention&activism=protest&evidence=court_record`,
      )
      .expect(303);
    const row = await report(id);
    expect([row.state, row.field_office, row.target_role, row.version, row.status]).toEqual([
      'TX',
      'HOU',
      'journalist',
      2,
      'pending',
    ]);
    const codes = await database
      .db('report_codes')
      .where({ report_id: id, kind: 'action_type' })
      .orderBy('code')
      .pluck('code');
    expect(codes).toEqual(['arrest', 'detention']);
    const event = (await auditFor(id)).find((e) => e.action === 'codes_corrected');
    expect(event.detail.fields).toEqual([
      'state',
      'field_office',
      'incident_month',
      'target_role',
      'action_types',
      'activism_types',
    ]);
    expect(JSON.stringify(event.detail)).not.toMatch(/TX|HOU|journalist|arrest/);
  });

  it('refuses a field office that does not cover the state with 422 and keeps the report', async () => {
    const id = await insertReport(database.db, buildReport());
    const form = await formOf(`/es/moderate/reports/${id}`);
    const response = await agent
      .post(`/es/moderate/reports/${id}/codes`)
      .type('form')
      .send(
        `_csrf=${form.csrf}&version=${form.version}&state=VT&field_office=HOU&month=2025-07&role=journalist&action=arrest`,
      )
      .expect(422);
    expect(response.text).toContain('Esa oficina de campo no cubre el estado.');
    expect((await report(id)).version).toBe(1);
  });

  it.each([
    ['2099-12', 'Enter a month as YYYY-MM, between January 2000 and this month.'],
    ['1999-12', 'Enter a month as YYYY-MM, between January 2000 and this month.'],
    ['2026-12', 'Enter a month as YYYY-MM, between January 2000 and this month.'],
  ])('refuses incident month %s, as intake does, with 422 and keeps the report', async (month, message) => {
    const id = await insertReport(database.db, buildReport());
    const form = await formOf(`/moderate/reports/${id}`);
    const response = await agent
      .post(`/moderate/reports/${id}/codes`)
      .type('form')
      .send(
        `_csrf=${form.csrf}&version=${form.version}&state=TX&field_office=HOU&month=${month}&role=journalist&action=arrest&activism=protest&evidence=none`,
      )
      .expect(422);
    expect(response.text).toContain(message);
    expect((await report(id)).version).toBe(1);
  });

  it('asks the reporter a question sealed to the receipt key, moving the report to needs_info', async () => {
    const id = await insertReport(database.db, buildReport());
    await database.db('receipts').insert({
      hash: Buffer.alloc(32, 7),
      report_id: id,
      reporter_public_key: Buffer.from(await deskPublicKey(database.db)),
    });
    const form = await formOf(`/moderate/reports/${id}`);
    await agent
      .post(`/moderate/reports/${id}/question`)
      .type('form')
      .send({ _csrf: form.csrf, version: form.version, question: 'Which month was it?' })
      .expect(303);
    expect((await report(id)).status).toBe('needs_info');
    const messages = await database.db('report_messages').where({ report_id: id });
    expect(messages.map((m) => m.direction)).toEqual(['to_reporter']);
    expect(Buffer.from(messages[0].body_sealed).toString('latin1')).not.toContain('Which month');
    expect(JSON.stringify(await auditFor(id))).not.toContain('Which month');
  });

  it('gives the stale form 409 with the current state, never overwriting the other edit', async () => {
    const id = await insertReport(database.db, buildReport());
    const stale = await formOf(`/moderate/reports/${id}`);
    await agent
      .post(`/moderate/reports/${id}/codes`)
      .type('form')
      .send(
        `_csrf=${stale.csrf}&version=${stale.version}&state=GA&field_office=ATL&month=2026-01&role=organizer&action=surveillance&activism=protest&evidence=none`,
      )
      .expect(303);
    const conflict = await agent
      .post(`/moderate/reports/${id}/approve`)
      .type('form')
      .send({ _csrf: stale.csrf, version: stale.version })
      .expect(409);
    expect(conflict.text).toContain('Someone else changed this report');
    expect(conflict.text).toContain('Georgia');
    expect(conflict.text).toContain('name="version" value="2"');
    const row = await report(id);
    expect([row.status, row.state, row.version]).toEqual(['pending', 'GA', 2]);
  });

  it('approves a batch from the queue, all or none', async () => {
    const first = await insertReport(database.db, buildReport({ state: 'OR', fieldOffice: 'SEA' }));
    const second = await insertReport(database.db, buildReport({ state: 'OR', fieldOffice: 'SEA' }));
    const queue = await agent.get('/moderate?state=OR').expect(200);
    const csrf = csrfFrom(queue.text);
    await database.db('reports').where({ id: second }).update({ version: 5 });
    const conflict = await agent
      .post('/moderate/approve')
      .type('form')
      .send(`_csrf=${csrf}&report=${first}:1&report=${second}:1`)
      .expect(409);
    expect(conflict.text).toContain('none were approved');
    expect((await report(first)).status).toBe('pending');
    await agent
      .post('/moderate/approve')
      .type('form')
      .send(`_csrf=${csrf}&report=${first}:1&report=${second}:5`)
      .expect(303);
    expect([(await report(first)).status, (await report(second)).status]).toEqual(['approved', 'approved']);
    expect((await agent.get('/moderate?state=OR')).text).not.toContain(first);
  });

  it('answers a forged batch with 400, never a 500, and approves nothing (property)', async () => {
    const target = await insertReport(database.db, buildReport({ state: 'OR', fieldOffice: 'SEA' }));
    const csrf = csrfFrom((await agent.get('/moderate?state=OR').expect(200)).text);
    const forged = fc.oneof(
      // Shapes that pass a loose "36 characters, colon, digits" check but are no uuid or int4.
      fc.constantFrom(
        '------------------------------------:1',
        `${target}:9999999999`,
        `${target}:0`,
        `${target}:`,
      ),
      fc.constantFrom(target, `${target}:1:1`, `:${target}`, `${target.toUpperCase()}:-1`),
      fc.string({ maxLength: 40 }).map((text) => `${target.slice(0, 30)}${text}`),
      fc.string({ unit: 'binary', maxLength: 50 }),
    );
    await fc.assert(
      fc.asyncProperty(forged, async (value) => {
        const response = await agent
          .post('/moderate/approve')
          .type('form')
          .send({ _csrf: csrf, report: value });
        expect(response.status).toBe(400);
      }),
      { numRuns: 60 },
    );
    expect((await report(target)).status).toBe('pending');
  });
});

describe('promise 5: the desk key', () => {
  it('with the database and the server secrets but no moderator password, narratives stay unreadable', async () => {
    const key = await deskPublicKey(database.db);
    const id = await insertReport(
      database.db,
      buildReport({ narrativeSealed: await sealNarrative('secret narrative canary', key) }),
    );
    await agent.get(`/moderate/reports/${id}`).expect(200);
    // Everything an attacker who seized the server would hold: every table, and SESSION_SECRET.
    const everything = JSON.stringify(
      await Promise.all(
        ['moderators', 'sessions', 'desk_keys', 'reports', 'audit_events'].map((table) =>
          database.db(table).select('*'),
        ),
      ),
    );
    expect(everything).not.toContain('secret narrative canary');
    const secret = Buffer.alloc(32, 2);
    const sessions = await database.db('sessions').whereNotNull('moderator_id');
    expect(sessions.length).toBeGreaterThan(0);
    for (const session of sessions) {
      const data = typeof session.data === 'string' ? JSON.parse(session.data) : session.data;
      expect(data.deskKey).toBeDefined();
      const sealed = Buffer.from(data.deskKey, 'base64');
      // The session key needs the session id, which the database holds only as a hash.
      for (const guess of [session.sid_hash, '', String(session.moderator_id)]) {
        expect(
          await decryptWith(serverKey(secret, 'session-desk-key', guess), sealed, 'desk-key'),
        ).toBeNull();
      }
    }
    // And the wrapped key in moderators needs the password (tested with a wrong one in the unit tests).
    const row = await database.db('moderators').where({ id: admin.id }).first();
    expect(row.wrapped_desk_key).not.toBeNull();
    expect(Buffer.from(row.wrapped_desk_key).includes(Buffer.from(key))).toBe(false);
  });

  it('shows a locked narrative to a moderator whose account holds no desk key', async () => {
    const key = await deskPublicKey(database.db);
    const id = await insertReport(
      database.db,
      buildReport({ narrativeSealed: await sealNarrative('locked canary', key) }),
    );
    const latecomer = await createModerator(database.db, 'moderator');
    const theirs = await signIn(testApp.app, database.db, latecomer);
    const page = await theirs.get(`/moderate/reports/${id}`).expect(200);
    expect(page.text).not.toContain('locked canary');
    expect(page.text).toContain('Your session holds no desk key');
  });
});
