import { readdirSync } from 'node:fs';
import path from 'node:path';
import knex, { type Knex } from 'knex';

export type Db = Knex;

const MIGRATIONS_DIR = path.resolve(__dirname, '../../migrations');

const MIGRATIONS_TABLE = 'knex_migrations';

/** Opens a knex pool over the pg driver; the one code path for the server and the embedded database. */
export function openDb(url: string, options: { maxConnections?: number } = {}): Db {
  return knex({
    client: 'pg',
    connection: { connectionString: url, application_name: 'represalia' },
    pool: { min: 0, max: options.maxConnections ?? 10, afterCreate: quietServerLog },
    migrations: {
      migrationSource: MIGRATION_SOURCE,
      tableName: MIGRATIONS_TABLE,
    },
  });
}

// Promise 1 on the database server: a failing statement's text, its parameters and an error's DETAIL can
// quote report contents into the server log, which the operator's log shipping may copy anywhere. Each
// session turns that logging off for itself when the role may (a superuser, or PostgreSQL 15+ `GRANT SET
// ON PARAMETER`); otherwise the statement is a no-op and docs/threat-model.md says what the DBA sets.
// Per session rather than `ALTER ROLE` in a migration: it needs no change to a role other databases on a
// shared server use, and it holds on every copy of a database (CREATE DATABASE … TEMPLATE drops role and
// database settings). PGlite accepts and ignores these settings: it writes no server log.
export const QUIET_SERVER_LOG_SQL = `select ${[
  ['log_min_error_statement', 'panic'],
  ['log_min_messages', 'fatal'],
  ['log_statement', 'none'],
  ['log_min_duration_statement', '-1'],
  ['log_parameter_max_length', '0'],
  ['log_error_verbosity', 'terse'],
]
  .map(
    ([name, value]) =>
      `case when has_parameter_privilege('${name}', 'SET') then set_config('${name}', '${value}', false) end`,
  )
  .join(', ')}`;

function quietServerLog(
  connection: PgConnection,
  done: (error: Error | null, connection: PgConnection) => void,
): void {
  connection.query(QUIET_SERVER_LOG_SQL, (error) => done(error ?? null, connection));
}

interface PgConnection {
  query(sql: string, callback: (error: Error | null) => void): void;
}

/**
 * Lists migrations from the folder and loads each with require(), which works the same under tsx, jest
 * and compiled JavaScript (knex's own loader uses import(), which jest cannot follow).
 */
class DirectoryMigrationSource implements Knex.MigrationSource<string> {
  constructor(private readonly dir: string) {}

  getMigrations(): Promise<string[]> {
    const files = readdirSync(this.dir)
      .filter((file) => /^\d{14}_[a-z0-9_]+\.(ts|js)$/.test(file) && !file.endsWith('.d.ts'))
      .sort();
    return Promise.resolve(files);
  }

  getMigrationName(file: string): string {
    // Name without extension, so a compiled deployment (.js) sees the same history as development (.ts).
    return file.replace(/\.(ts|js)$/, '');
  }

  getMigration(file: string): Promise<Knex.Migration> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return Promise.resolve(require(path.join(this.dir, file)) as Knex.Migration);
  }
}

const MIGRATION_SOURCE = new DirectoryMigrationSource(MIGRATIONS_DIR);

/**
 * Brings the schema up to date. Most starts find nothing to run, and one read of the history says so
 * (about 10 ms on the embedded database, where knex's latest() spends 110–170 ms checking and locking its
 * tables: DESIGN section 7 gives a restart 3 s). Anything else (a new database, pending migrations, a
 * history naming a migration this code does not have) goes to knex, which runs them or says what is wrong.
 */
export async function migrateToLatest(db: Db): Promise<void> {
  const ran = await ranMigrations(db).catch((error: { code?: unknown }) => {
    if (error.code === UNDEFINED_TABLE) return undefined;
    throw error;
  });
  const expected = await expectedMigrations();
  if (ran?.size === expected.length && expected.every((name) => ran.has(name))) return;
  await db.migrate.latest();
}

// PostgreSQL's code for a missing relation: a database no migration has run on has no history table.
const UNDEFINED_TABLE = '42P01';

/**
 * True when every migration on disk has run. One read of the history table: /healthz asks this on every
 * probe, and knex's migrate.list() would re-read the folder, check (and create) its tables and take the
 * lock row each time. The folder cannot change under a running process, so it is listed once.
 */
export async function migrationsCurrent(db: Db): Promise<boolean> {
  const ran = await ranMigrations(db);
  return (await expectedMigrations()).every((name) => ran.has(name));
}

async function ranMigrations(db: Db): Promise<Set<string>> {
  return new Set(await db(MIGRATIONS_TABLE).pluck<string[]>('name'));
}

let expected: Promise<string[]> | undefined;
function expectedMigrations(): Promise<string[]> {
  expected ??= MIGRATION_SOURCE.getMigrations().then((files) =>
    files.map((file) => MIGRATION_SOURCE.getMigrationName(file)),
  );
  return expected;
}
