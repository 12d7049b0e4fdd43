import { readdirSync } from 'node:fs';
import path from 'node:path';
import knex, { type Knex } from 'knex';

export type Db = Knex;

const MIGRATIONS_DIR = path.resolve(__dirname, '../../migrations');

/** Opens a knex pool over the pg driver; the one code path for the server and the embedded database. */
export function openDb(url: string, options: { maxConnections?: number } = {}): Db {
  return knex({
    client: 'pg',
    connection: { connectionString: url, application_name: 'represalia' },
    pool: { min: 0, max: options.maxConnections ?? 10 },
    // Everything the app reads as a date is a calendar date: keep it a string, not a local-midnight Date.
    migrations: {
      migrationSource: new DirectoryMigrationSource(MIGRATIONS_DIR),
      tableName: 'knex_migrations',
    },
  });
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

/** Brings the schema up to date. */
export async function migrateToLatest(db: Db): Promise<void> {
  await db.migrate.latest();
}

/** True when every migration on disk has run. */
export async function migrationsCurrent(db: Db): Promise<boolean> {
  const [, pending] = (await db.migrate.list()) as [unknown[], unknown[]];
  return pending.length === 0;
}
