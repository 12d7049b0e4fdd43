import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import request from 'supertest';
import type { Db } from '../../src/platform/db';
import { createTestDatabase, type TestDatabase } from '../support/database';
import {
  canaryHeaders,
  addDeskKey,
  buildIntakeApp,
  encode,
  receiptOf,
  moveStaged,
  tokenOf,
  validReport,
  type IntakeTestApp,
} from '../integration/intake/support';
import { describeNeeding } from '../support/requirements';

// Promise 1 end to end on the machine's PostgreSQL server: a report sent with a unique user agent,
// forwarded address and referrer leaves none of them (nor its receipt, nor its sealed narrative) in the
// app's log, in the server's log for the run, or in a pg_dump of the database. And a statement that
// fails with report contents in it leaves nothing in the server log (src/platform/db.ts quietens each
// session). Only with DATABASE_URL on this machine: the embedded database (PGlite) writes no server log,
// and its in-process dump is covered by test/integration/intake/privacy.test.ts.

const exec = promisify(execFile);
const serverUrl = process.env.DATABASE_URL;
const local = serverUrl
  ? ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(new URL(serverUrl).hostname)
  : false;
const describeOnServer = describeNeeding(
  'server',
  Boolean(serverUrl && local),
  'it needs DATABASE_URL pointing at a PostgreSQL server on this machine, whose log file it reads',
);

let database: TestDatabase;
let testApp: IntakeTestApp;
let logFile: string;
let logStart: number;

/** The server's log file: the collector's current file, else the Debian cluster's stderr log. */
async function findServerLog(db: Db): Promise<string> {
  const current = (await db.raw('select pg_current_logfile() as file')).rows[0] as { file: string | null };
  if (current.file) {
    const dataDir = (await db.raw('show data_directory')).rows[0] as { data_directory: string };
    return path.resolve(dataDir.data_directory, current.file);
  }
  const dir = '/var/log/postgresql';
  const files = await Promise.all(
    (await readdir(dir))
      .filter((name) => name.endsWith('.log'))
      .map(async (name) => ({
        file: path.join(dir, name),
        mtime: (await stat(path.join(dir, name))).mtimeMs,
      })),
  );
  const newest = files.sort((a, b) => b.mtime - a.mtime)[0];
  if (!newest) throw new Error(`no PostgreSQL log found (pg_current_logfile() is null and ${dir} is empty)`);
  return newest.file;
}

/** What the server logged since this file started (read as root; the log is not world-readable). */
async function serverLogSinceStart(): Promise<string> {
  // stderr logging is written as it happens; a moment lets the last lines land.
  await new Promise((resolve) => setTimeout(resolve, 300));
  return (await readFile(logFile)).subarray(logStart).toString('utf8');
}

beforeAll(async () => {
  if (!serverUrl || !local) return;
  database = await createTestDatabase();
  await addDeskKey(database.db);
  // Debug logging and one trusted hop, so the app reads X-Forwarded-For and logs every request line.
  testApp = await buildIntakeApp(database.db, { env: { LOG_LEVEL: 'debug', TRUST_PROXY_HOPS: '1' } });
  logFile = await findServerLog(database.db);
  logStart = (await stat(logFile)).size;
});
afterAll(() => database?.destroy());

describeOnServer("the machine's PostgreSQL", () => {
  it('keeps the app sessions from logging failed statements, parameters or error details', async () => {
    const settings = (
      await database.db.raw(`select current_setting('log_min_error_statement') as errors,
        current_setting('log_min_messages') as messages, current_setting('log_statement') as statements,
        current_setting('log_min_duration_statement') as duration,
        current_setting('log_parameter_max_length') as parameters,
        current_setting('log_error_verbosity') as verbosity`)
    ).rows[0] as Record<string, string>;
    expect(settings).toEqual({
      errors: 'panic',
      messages: 'fatal',
      statements: 'none',
      duration: '-1',
      parameters: '0',
      verbosity: 'terse',
    });
  });

  it('writes no canary from a failing statement into the server log, while an unguarded session does', async () => {
    const guarded = `guarded${randomBytes(6).toString('hex')}`;
    const unguarded = `unguarded${randomBytes(6).toString('hex')}`;
    // Two failures that quote their input: a bad cast in the message, a foreign key in the DETAIL.
    await expect(database.db.raw('select ?::uuid', [guarded])).rejects.toThrow();
    await expect(
      database.db.raw(
        "insert into receipts (hash, report_id) values (convert_to(?, 'UTF8'), gen_random_uuid())",
        [guarded],
      ),
    ).rejects.toThrow();
    await expect(database.db.raw(`select '${guarded}'::int`)).rejects.toThrow();

    // The control: the same failure on a plain connection is logged, so this test reads the right file.
    const plain = new Client({ connectionString: database.url, application_name: 'represalia-log-control' });
    await plain.connect();
    try {
      await expect(plain.query('select $1::uuid', [unguarded])).rejects.toThrow();
    } finally {
      await plain.end();
    }
    const log = await serverLogSinceStart();
    expect(log).toContain(unguarded);
    expect(log).not.toContain(guarded);
  });

  it('finds none of a report’s request headers, receipt or narrative in the app log, the server log or a pg_dump', async () => {
    const { canary, address, headers } = canaryHeaders();
    const narrative = `narrative-${canary}`;
    const form = await request(testApp.app).get('/es/report').set(headers).expect(200);
    const sent = await request(testApp.app)
      .post('/es/report')
      .set(headers)
      .type('form')
      .send(encode({ ...validReport({ narrative }), token: tokenOf(form.text) }))
      .expect(200);
    const receipt = receiptOf(sent.text);
    const status = await request(testApp.app)
      .post('/status')
      .set(headers)
      .type('form')
      .send({ receipt })
      .expect(200);
    await request(testApp.app)
      .post('/status/messages')
      .set(headers)
      .type('form')
      .send({ receipt, token: tokenOf(status.text), message: `message-${canary}` })
      .expect(200);
    // A failure inside the app too: a receipt lookup made of hostile text.
    await request(testApp.app)
      .post('/status')
      .set(headers)
      .type('form')
      .send({ receipt: `${canary}'::uuid` })
      .expect(422);
    await moveStaged(database.db);
    expect(await database.db('reports').count({ n: '*' })).toEqual([{ n: '1' }]);

    const { stdout: dump } = await exec(
      'pg_dump',
      ['--no-owner', '--no-privileges', `--dbname=${database.url}`],
      {
        maxBuffer: 256 * 1024 * 1024,
        timeout: 60_000,
      },
    );
    expect(dump).toContain('COPY public.reports');
    const places = { app: testApp.logs(), server: await serverLogSinceStart(), dump };
    expect(places.app).toContain('"msg":"request"');
    const needles = [canary, address, receipt, 'Mozilla/5.0'];
    const found = Object.entries(places).flatMap(([where, text]) =>
      needles.filter((needle) => text.includes(needle)).map((needle) => `${where}: ${needle}`),
    );
    expect(found).toEqual([]);
  });
});
