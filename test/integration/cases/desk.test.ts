import request from 'supertest';
import { buildTestApp, type TestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { createModerator, csrfFrom, signIn } from '../../support/desk';

// The desk's page for the public record: admins add, edit, retract and reinstate one case at a time,
// each change audited with the same function as every desk action; nobody else can, and no form
// without this session's CSRF token changes anything.

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

const validForm = (overrides: Record<string, string | string[]> = {}) => ({
  month: '2025-03',
  state: 'WA',
  field_office: '',
  action_types: ['surveillance', 'arrest'],
  activism_types: 'protest',
  target_role: 'organizer',
  summary_en: 'Synthetic example: followed after a vigil.',
  summary_es: 'Ejemplo sintético: seguida después de una vigilia.',
  source_0_url: 'https://example.org/desk/1',
  source_0_title: 'Example Daily: followed',
  source_0_publisher: 'Example Daily',
  source_0_published: '2025-04-02',
  source_0_kind: 'news',
  ...overrides,
});

async function csrf(path = '/moderate/cases/new'): Promise<string> {
  return csrfFrom((await agent.get(path).expect(200)).text);
}

async function snapshot() {
  return {
    cases: await database.db('public_cases').select().orderBy('id'),
    sources: await database.db('public_case_sources').select().orderBy('id'),
    audit: (await database.db('audit_events').whereLike('action', 'case%').count({ n: '*' }))[0],
  };
}

async function addCase(overrides: Record<string, string | string[]> = {}): Promise<number> {
  const response = await agent
    .post('/moderate/cases')
    .type('form')
    .send({ _csrf: await csrf(), ...validForm(overrides) })
    .expect(303);
  return Number(/\/moderate\/cases\/(\d+)\?done=added$/.exec(response.headers.location as string)![1]);
}

describe('who may use the desk page', () => {
  const ROUTES: Array<['get' | 'post', string]> = [
    ['get', '/moderate/cases'],
    ['get', '/moderate/cases/new'],
    ['post', '/moderate/cases'],
    ['get', '/moderate/cases/1'],
    ['post', '/moderate/cases/1'],
    ['post', '/moderate/cases/1/retract'],
    ['post', '/moderate/cases/1/reinstate'],
  ];
  let caseId: number;
  beforeAll(async () => {
    caseId = await addCase({ source_0_url: 'https://example.org/desk/guarded' });
  });
  const withId = (p: string) => p.replace('/1', `/${caseId}`);

  it.each(ROUTES.flatMap(([m, p]) => [[m, p] as const, [m, `/es${p}`] as const]))(
    'sends someone signed out from %s %s to the login page, changing nothing',
    async (method, p) => {
      const before = await snapshot();
      const response = await request(testApp.app)
        [method](withId(p))
        .type('form')
        .send({ ...validForm(), version: '1', reason_en: 'x' });
      expect(response.status).toBe(303);
      expect(response.headers.location).toBe(p.startsWith('/es') ? '/es/moderate/login' : '/moderate/login');
      expect(await snapshot()).toEqual(before);
    },
  );

  it.each(ROUTES)(
    'refuses a moderator who is not an admin on %s %s with a 403, changing nothing',
    async (method, p) => {
      const moderator = await signIn(
        testApp.app,
        database.db,
        await createModerator(database.db, 'moderator'),
      );
      const token = csrfFrom((await moderator.get('/moderate').expect(200)).text);
      const before = await snapshot();
      const response = await moderator[method](withId(p))
        .type('form')
        .send({ _csrf: token, ...validForm(), version: '1', reason_en: 'x' });
      expect(response.status).toBe(403);
      expect(await snapshot()).toEqual(before);
    },
  );

  it("refuses an admin form without this session's CSRF token, changing nothing", async () => {
    const before = await snapshot();
    for (const [p, body] of [
      ['/moderate/cases', validForm({ source_0_url: 'https://example.org/csrf' })],
      [`/moderate/cases/${caseId}/retract`, { version: '1', reason_en: 'no token' }],
      [`/moderate/cases/${caseId}`, { ...validForm(), version: '1', _csrf: 'forged' }],
    ] as const) {
      await agent.post(p).type('form').send(body).expect(403);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('shows admins the page in the desk navigation, and moderators not', async () => {
    expect((await agent.get('/moderate').expect(200)).text).toContain('href="/moderate/cases"');
    const moderator = await signIn(testApp.app, database.db, await createModerator(database.db, 'moderator'));
    expect((await moderator.get('/moderate').expect(200)).text).not.toContain('href="/moderate/cases"');
  });
});

describe('adding a case', () => {
  it('stores the case, fills the office the state settles, and audits it with the admin and the case number only', async () => {
    const id = await addCase();
    const stored = await database.db('public_cases').where({ id }).first();
    expect(stored).toMatchObject({
      state: 'WA',
      field_office: 'SEA',
      summary_en: 'Synthetic example: followed after a vigil.',
    });
    const audit = await database
      .db('audit_events')
      .where({ action: 'case_added' })
      .orderBy('id', 'desc')
      .first();
    expect(audit).toMatchObject({
      moderator_id: admin.id,
      report_id: null,
      detail: { case: String(id), sources: '1' },
    });
    expect(JSON.stringify(audit.detail)).not.toContain('vigil');
    const page = await agent.get(`/moderate/cases/${id}?done=added`).expect(200);
    expect(page.text).toContain('The case was added.');
    expect((await request(testApp.app).get(`/cases/${id}`).expect(200)).text).toContain(
      'Example Daily: followed',
    );
  });

  it("re-renders the form with every problem, in the page's language, keeping what was typed and saving nothing", async () => {
    const before = await snapshot();
    const response = await agent
      .post('/es/moderate/cases')
      .type('form')
      .send({
        _csrf: await csrf('/es/moderate/cases/new'),
        ...validForm({ summary_en: '', source_0_url: 'http://example.org/insecure', month: '2040-01' }),
      })
      .expect(422);
    expect(response.text).toContain('El caso no se guardó.');
    expect(response.text).toContain('El mes no puede estar en el futuro.');
    expect(response.text).toContain('Fuente 1: Solo se aceptan enlaces seguros');
    expect(response.text).toContain('Este dato es obligatorio.');
    expect(response.text).toContain('value="http://example.org/insecure"');
    expect(response.text).toContain('Ejemplo sintético: seguida después de una vigilia.');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a link another case already cites for the same month and state, naming that case', async () => {
    const first = await addCase({ source_0_url: 'https://example.org/desk/shared' });
    const response = await agent
      .post('/moderate/cases')
      .type('form')
      .send({
        _csrf: await csrf(),
        ...validForm({ source_0_url: 'https://example.org/desk/shared', summary_en: 'Another.' }),
      })
      .expect(422);
    expect(response.text).toContain(`Case ${first} already cites this link for the same month and state.`);
  });

  it('answers a forged form (a repeated single field, a bad version) with a 400, changing nothing', async () => {
    const before = await snapshot();
    await agent
      .post('/moderate/cases')
      .type('form')
      .send({ _csrf: await csrf(), ...validForm({ state: ['WA', 'TX'] }) })
      .expect(400);
    const id = await database.db('public_cases').max({ id: 'id' }).first();
    await agent
      .post(`/moderate/cases/${String(id!.id)}`)
      .type('form')
      .send({ _csrf: await csrf(), ...validForm(), version: 'one' })
      .expect(400);
    expect(await snapshot()).toEqual(before);
  });
});

describe('editing, retracting and reinstating a case', () => {
  let id: number;
  beforeAll(async () => {
    id = await addCase({ source_0_url: 'https://example.org/desk/edit' });
  });

  it('saves an edit, adds a source through the blank row and removes another, auditing the fields changed', async () => {
    const page = await agent.get(`/moderate/cases/${id}`).expect(200);
    await agent
      .post(`/moderate/cases/${id}`)
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        version: '1',
        ...validForm({
          summary_en: 'Synthetic example: corrected.',
          source_0_url: 'https://example.org/desk/edit',
        }),
        source_1_url: 'https://example.org/desk/second',
        source_1_title: 'Second source',
        source_1_kind: 'court_record',
      })
      .expect(303);
    const edited = await database.db('public_case_sources').where({ case_id: id }).orderBy('position');
    expect(edited.map((s: { url: string }) => s.url)).toEqual([
      'https://example.org/desk/edit',
      'https://example.org/desk/second',
    ]);
    const audit = await database
      .db('audit_events')
      .where({ action: 'case_edited' })
      .orderBy('id', 'desc')
      .first();
    expect(audit.detail).toEqual({ case: String(id), fields: ['summary_en', 'sources'] });

    const again = await agent.get(`/moderate/cases/${id}`).expect(200);
    await agent
      .post(`/moderate/cases/${id}`)
      .type('form')
      .send({
        _csrf: csrfFrom(again.text),
        version: '2',
        ...validForm({
          summary_en: 'Synthetic example: corrected.',
          source_0_url: 'https://example.org/desk/edit',
          source_0_remove: 'on',
        }),
        source_1_url: 'https://example.org/desk/second',
        source_1_title: 'Second source',
        source_1_kind: 'court_record',
      })
      .expect(303);
    const left = await database.db('public_case_sources').where({ case_id: id });
    expect(left.map((s: { url: string }) => s.url)).toEqual(['https://example.org/desk/second']);
  });

  it('answers a stale form with a 409 and the current case, saving nothing from it', async () => {
    const before = await snapshot();
    const response = await agent
      .post(`/moderate/cases/${id}`)
      .type('form')
      .send({ _csrf: await csrf(), version: '1', ...validForm({ summary_en: 'Stale overwrite.' }) })
      .expect(409);
    expect(response.text).toContain('Someone else changed this case meanwhile.');
    expect(response.text).toContain('Synthetic example: corrected.');
    expect(await snapshot()).toEqual(before);
  });

  it('needs a reason to retract', async () => {
    const before = await snapshot();
    const response = await agent
      .post(`/moderate/cases/${id}/retract`)
      .type('form')
      .send({ _csrf: await csrf(), version: '3', reason_en: '  ' })
      .expect(422);
    expect(response.text).toContain('This is required.');
    expect(await snapshot()).toEqual(before);
  });

  it('retracts with a reason: the case stays public, marked retracted, and leaves the map', async () => {
    await agent
      .post(`/moderate/cases/${id}/retract`)
      .type('form')
      .send({
        _csrf: await csrf(),
        version: '3',
        reason_en: 'The source describes another incident.',
        reason_es: 'La fuente describe otro incidente.',
      })
      .expect(303);
    const audit = await database.db('audit_events').where({ action: 'case_retracted' }).first();
    expect(audit).toMatchObject({ moderator_id: admin.id, detail: { case: String(id) } });
    const en = (await request(testApp.app).get(`/cases/${id}`).expect(200)).text;
    expect(en).toContain('Retracted on November 27, 2026:');
    expect(en).toContain('The source describes another incident.');
    const es = (await request(testApp.app).get(`/es/cases?state=WA`).expect(200)).text;
    expect(es).toContain('La fuente describe otro incidente.');
    const json = (await request(testApp.app).get('/api/v1/cases?state=WA').expect(200)).body as {
      cases: { id: number; status: string; retraction: unknown }[];
    };
    expect(json.cases.find((c) => c.id === id)).toMatchObject({
      status: 'retracted',
      retraction: { on: '2026-11-27', reason: { en: 'The source describes another incident.' } },
    });
  });

  it('reinstates a case retracted by mistake, audited', async () => {
    const page = await agent.get(`/moderate/cases/${id}`).expect(200);
    expect(page.text).toContain('Undo the retraction');
    await agent
      .post(`/moderate/cases/${id}/reinstate`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), version: '4' })
      .expect(303);
    expect((await database.db('public_cases').where({ id }).first()).retracted_on).toBeNull();
    expect(await database.db('audit_events').where({ action: 'case_reinstated' }).first()).toMatchObject({
      moderator_id: admin.id,
    });
  });

  it('lists the cases for the desk and shows the audit rows in the audit log', async () => {
    const list = await agent.get('/moderate/cases').expect(200);
    expect(list.text).toContain(`href="/moderate/cases/${id}"`);
    const log = await agent.get('/moderate/admin/audit').expect(200);
    for (const action of [
      'Added a public case',
      'Edited a public case',
      'Retracted a public case',
      'Undid a public case&#x27;s retraction',
    ]) {
      expect(log.text).toContain(action);
    }
  });

  it('answers an unknown or malformed case number with a 404', async () => {
    await agent.get('/moderate/cases/999999').expect(404);
    await agent.get('/moderate/cases/abc').expect(404);
  });
});
