// What PostgreSQL's own WAL says about when reports arrived: `DATABASE_URL=postgres://… npx tsx
// bench/wal-times.ts` (needs pg_waldump and read access to the server's data directory, e.g. as root on
// a development machine). Creates a scratch database, sends REPORTS reports through the app a little
// apart, runs the daily move if this version of the code has one, then reads the WAL written meanwhile
// with pg_waldump and prints, per table, which transactions wrote it and when each committed, and an
// hour-by-hour count of the commit times a seized WAL would show. Evidence for docs/threat-model.md.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createApp } from '../src/app';
import { loadConfig } from '../src/platform/config';
import { migrateToLatest, openDb, type Db } from '../src/platform/db';
import { createLogger } from '../src/platform/logger';
import { generateDeskKeyPair } from '../src/reports/seal';
import { loadReference } from '../src/reference/store';

const REPORTS = Number(process.env.REPORTS ?? 6);
const GAP_MS = Number(process.env.GAP_MS ?? 400);
const TABLES = ['reports', 'receipts', 'report_codes', 'report_messages', 'intake_staged'];

async function send(origin: string): Promise<void> {
  const form = await (await fetch(`${origin}/report`)).text();
  const token = /name="token" value="([^"]+)"/.exec(form)?.[1] ?? '';
  const body = new URLSearchParams([
    ['token', token],
    ['state', 'VT'],
    ['month', '3'],
    ['year', '2026'],
    ['action', 'surveillance'],
    ['activism', 'organizing'],
    ['role', 'organizer'],
    ['evidence', 'personal_account'],
    ['narrative', 'Followed after the vigil.'],
    ['consent', 'yes'],
  ]);
  const response = await fetch(`${origin}/report`, { method: 'POST', body });
  if (response.status !== 200) throw new Error(`POST /report answered ${response.status}`);
}

// The daily move, when this version of the code has one (the bench also runs on older trees).
async function moveIfAny(db: Db, secret: Buffer): Promise<boolean> {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { moveStagedSubmissions } = require('../src/intake/move') as typeof import('../src/intake/move');
    await moveStagedSubmissions(db, { receiptSecret: secret, today: new Date(), all: true });
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === 'MODULE_NOT_FOUND') return false;
    throw error;
  }
}

async function main(serverUrl: string): Promise<void> {
  const name = `represalia_wal_${randomBytes(4).toString('hex')}`;
  const admin = openDb(serverUrl, { maxConnections: 1 });
  await admin.raw('create database ??', [name]);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = openDb(url.toString(), { maxConnections: 4 });
  try {
    await migrateToLatest(db);
    const desk = await generateDeskKeyPair();
    await db('desk_keys').insert({ public_key: Buffer.from(desk.publicKey), created_on: '2026-11-01' });
    const secret = randomBytes(32);
    const app = createApp({
      config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: '/nonexistent' }),
      db,
      reference: await loadReference(db),
      secrets: { receipt: secret, session: randomBytes(32) },
      logger: createLogger({ level: 'silent' }),
      intake: { rateLimits: false },
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    // File node of each table (and of its TOAST table), taken before and after: TRUNCATE in the move
    // gives the staging table new files, and the staged rows went into the old ones.
    const nodes = new Map<string, string>();
    const noteNodes = async () => {
      for (const table of TABLES) {
        const found = await db.raw(
          `select pg_relation_filenode(c.oid)::text as node,
                  (select pg_relation_filenode(c.reltoastrelid))::text as toast
             from pg_class c where c.oid = to_regclass(?)`,
          [table],
        );
        const row = found.rows[0] as { node: string | null; toast: string | null } | undefined;
        if (row?.node) nodes.set(row.node, table);
        if (row?.toast) nodes.set(row.toast, table);
      }
    };
    await noteNodes();
    const lsn = async () =>
      ((await db.raw('select pg_current_wal_lsn()::text as l')).rows[0] as { l: string }).l;
    const start = await lsn();
    for (let i = 0; i < REPORTS; i += 1) {
      await send(origin);
      await new Promise((resolve) => setTimeout(resolve, GAP_MS));
    }
    const sent = await lsn();
    const moved = await moveIfAny(db, secret);
    const afterMove = await lsn();
    server.close();
    await db.raw('checkpoint');
    const end = await lsn();

    await noteNodes();
    const dataDir = ((await db.raw('show data_directory')).rows[0] as { data_directory: string })
      .data_directory;
    const version = (
      (await db.raw("select current_setting('server_version_num')::int / 10000 as v")).rows[0] as {
        v: number;
      }
    ).v;
    const waldump = `/usr/lib/postgresql/${version}/bin/pg_waldump`;
    if (!existsSync(waldump)) throw new Error(`${waldump} not found`);
    const dump = execFileSync(waldump, ['-p', `${dataDir}/pg_wal`, '-s', start, '-e', end], {
      maxBuffer: 512 * 1024 * 1024,
      encoding: 'utf8',
    });
    const touched = new Map<string, Set<string>>();
    const commits = new Map<string, string>();
    for (const line of dump.split('\n')) {
      const tx = /tx:\s+(\d+)/.exec(line)?.[1];
      if (!tx || tx === '0') continue;
      const commit = /desc: COMMIT (\S+ \S+)/.exec(line)?.[1];
      if (commit) commits.set(tx, commit);
      for (const match of line.matchAll(/rel \d+\/\d+\/(\d+)/g)) {
        const table = nodes.get(match[1] ?? '') ?? (/Heap|Btree/.test(line) ? 'other' : undefined);
        if (!table || table === 'other') continue;
        touched.set(table, (touched.get(table) ?? new Set()).add(tx));
      }
    }
    console.log(
      `${REPORTS} reports sent ${GAP_MS} ms apart; daily move: ${moved ? 'ran' : 'none in this version'}`,
    );
    const diff = async (a: string, b: string) =>
      Number(
        ((await db.raw('select pg_wal_lsn_diff(?, ?)::bigint as d', [b, a])).rows[0] as { d: string }).d,
      );
    console.log(
      `WAL written: ${Math.round((await diff(start, sent)) / REPORTS)} bytes per report while sending` +
        (moved
          ? `, ${Math.round((await diff(sent, afterMove)) / REPORTS)} bytes per report by the move`
          : ''),
    );
    const perHour = new Map<string, number>();
    for (const table of TABLES) {
      const txs = [...(touched.get(table) ?? [])].filter((tx) => commits.has(tx));
      const times = txs.map((tx) => commits.get(tx) ?? '?').sort();
      console.log(
        `${table}: written by ${txs.length} transaction(s); commit times: ${times.join(', ') || '-'}`,
      );
    }
    const arrivals = new Set(moved ? (touched.get('intake_staged') ?? []) : (touched.get('reports') ?? []));
    const stagedCommits = [...commits].filter(
      ([tx]) => arrivals.has(tx) && !touched.get('reports')?.has(tx) === moved,
    );
    for (const [, time] of stagedCommits) {
      const hour = time.slice(11, 13);
      perHour.set(hour, (perHour.get(hour) ?? 0) + 1);
    }
    console.log(
      `hour by hour, commit times in the WAL of transactions that wrote ${moved ? 'an opaque staged row' : 'a report'}: ` +
        [...perHour].map(([hour, count]) => `${hour}:00-${hour}:59 ${count}`).join('; '),
    );
  } finally {
    await db.destroy();
    await admin.raw('drop database if exists ?? with (force)', [name]);
    await admin.destroy();
  }
}

if (!process.env.DATABASE_URL) {
  process.stderr.write(
    'Set DATABASE_URL to a PostgreSQL server (the bench creates and drops its own database).\n',
  );
  process.exit(1);
}
void main(process.env.DATABASE_URL);
