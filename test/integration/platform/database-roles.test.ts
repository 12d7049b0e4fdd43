import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { loadConfig } from '../../../src/platform/config';
import { openDatabase } from '../../../src/platform/database';
import { openDb, type Db } from '../../../src/platform/db';
import { addDeskKey, buildIntakeApp, moveStaged, submitReport, validReport } from '../intake/support';
import { describeNeeding } from '../../support/requirements';

// Issue 10, item 8: docker-compose runs the app as a role without DDL or superuser, and the migrations as
// the schema's owner. The roles come from deploy/postgres/roles.psql, run here by psql exactly as the
// postgres image runs it, on the machine's server (roles are cluster-wide: unique names, dropped after).

const serverUrl = process.env.DATABASE_URL;
const psql = spawnSync('psql', ['--version']).status === 0;
const runs = Boolean(serverUrl) && psql;
const describeOnServer = describeNeeding(
  'server',
  runs,
  'it needs DATABASE_URL and psql (roles are cluster-wide)',
);

const ROOT = path.resolve(__dirname, '../../..');
const suffix = randomBytes(4).toString('hex');
const owner = `represalia_owner_${suffix}`;
const app = `represalia_app_${suffix}`;
const database = `represalia_roles_${suffix}`;
const ownerPassword = randomBytes(12).toString('hex');
const appPassword = randomBytes(12).toString('hex');

function urlAs(user: string, password: string): string {
  const url = new URL(serverUrl!);
  url.username = user;
  url.password = password;
  url.pathname = `/${database}`;
  return url.toString();
}

let admin: Db;
let ownerDb: Db;
let appDb: Db;

describeOnServer('the least-privilege database roles', () => {
  beforeAll(async () => {
    admin = openDb(serverUrl!, { maxConnections: 1 });
    await admin.raw('create database ??', [database]);
    const server = new URL(serverUrl!);
    const result = spawnSync(
      'psql',
      [
        '--no-psqlrc',
        '-h',
        server.hostname,
        '-p',
        server.port || '5432',
        '-U',
        decodeURIComponent(server.username) || 'postgres',
        '-d',
        database,
        '-v',
        `owner=${owner}`,
        '-v',
        `owner_password=${ownerPassword}`,
        '-v',
        `app=${app}`,
        '-v',
        `app_password=${appPassword}`,
        '-v',
        `db=${database}`,
        '-f',
        path.join(ROOT, 'deploy/postgres/roles.psql'),
      ],
      { encoding: 'utf8', env: { ...process.env, PGPASSWORD: decodeURIComponent(server.password) } },
    );
    if (result.status !== 0) throw new Error(`roles.psql failed: ${result.stderr}`);
    // The one-shot migrate service: the owner brings the schema up to date.
    const migrated = await openDatabase(
      loadConfig({ NODE_ENV: 'test', DATABASE_URL: urlAs(owner, ownerPassword) }),
    );
    await migrated.close();
    ownerDb = openDb(urlAs(owner, ownerPassword), { maxConnections: 2 });
    appDb = openDb(urlAs(app, appPassword), { maxConnections: 5 });
  }, 60_000);

  afterAll(async () => {
    try {
      await appDb?.destroy();
      await ownerDb?.destroy();
      await admin.raw('drop database if exists ?? with (force)', [database]);
      // The parameter grants are cluster-wide: DROP OWNED revokes them before the roles can go.
      for (const role of [app, owner]) {
        await admin.raw('drop owned by ??', [role]);
        await admin.raw('drop role ??', [role]);
      }
    } finally {
      await admin.destroy();
    }
  });

  const refusal = (work: Promise<unknown>) =>
    work.then(
      () => 'allowed',
      (error: { code?: string }) => error.code,
    );

  it('gives the application role rows and nothing else: no DDL, no superuser', async () => {
    const role = (
      await appDb.raw(
        'select rolsuper, rolcreatedb, rolcreaterole from pg_roles where rolname = current_user',
      )
    ).rows[0] as Record<string, boolean>;
    expect(role).toEqual({ rolsuper: false, rolcreatedb: false, rolcreaterole: false });
    expect(await refusal(appDb.raw('create table intruder (a int)'))).toBe('42501');
    expect(await refusal(appDb.raw('alter table reports add column intruder int'))).toBe('42501');
    expect(await refusal(appDb.raw('drop table desk_keys'))).toBe('42501');
    expect(
      await refusal(appDb.raw('create function intruder() returns int language sql as $$ select 1 $$')),
    ).toBe('42501');
    // The owner, who runs migrations, may.
    expect(await refusal(ownerDb.raw('create table allowed_here (a int)'))).toBe('allowed');
    await ownerDb.raw('drop table allowed_here');
    // The app may still turn its own statement logging off (promise 1 on the server).
    const quiet = (await appDb.raw("select has_parameter_privilege('log_min_error_statement', 'SET') as ok"))
      .rows[0] as { ok: boolean };
    expect(quiet.ok).toBe(true);
  });

  it('runs the portal as the application role once the owner has migrated: a report goes in', async () => {
    const opened = await openDatabase(
      loadConfig({ NODE_ENV: 'test', DATABASE_URL: urlAs(app, appPassword) }),
    );
    await opened.close();
    await addDeskKey(appDb);
    const intake = await buildIntakeApp(appDb, { intake: { rateLimits: false } });
    await submitReport(intake.app, validReport({ narrative: 'as the app role' })).expect(200);
    // The daily move runs as the app role too, though it may not TRUNCATE a table itself.
    await moveStaged(appDb);
    expect(Number((await appDb('reports').count({ n: '*' }).first())?.n)).toBe(1);
    expect(Number((await appDb('intake_staged').count({ n: '*' }).first())?.n)).toBe(0);
  });

  it('says who must migrate when migrations are pending and the role may not', async () => {
    const last = (await ownerDb('knex_migrations').orderBy('id', 'desc').first()) as Record<string, unknown>;
    await ownerDb('knex_migrations').where({ id: last.id }).del();
    try {
      await expect(
        openDatabase(loadConfig({ NODE_ENV: 'test', DATABASE_URL: urlAs(app, appPassword) })),
      ).rejects.toThrow(/may not change the schema: run `npm run migrate`[\s\S]*owner role/);
    } finally {
      await ownerDb('knex_migrations').insert(last);
    }
  });
});
