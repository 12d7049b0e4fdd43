// Release publishing at scale on a real Postgres, through the service as the desk and the CLI use it: 1,000,000
// approved synthetic reports generated in SQL, then for each of two releases the SQL atoms, suppression, the
// independent gate and the insert, each timed. Also the demo seed and its two releases, which the first
// `npm start` builds. Budgets (DESIGN section 7): 30 s per release at 1M reports, both demo releases in 60 s.
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/release.ts [reports]
// It creates and drops its own database on that server; without DATABASE_URL it runs on embedded PGlite.
import { randomBytes } from 'node:crypto';
import { migrateToLatest, openDb, type Db } from '../src/platform/db';
import { startEmbeddedDatabase } from '../src/platform/embedded-db';
import { createReleases } from '../src/releases/service';
import { loadReference } from '../src/reference/store';
import { seedDemo } from '../seeds/demo';
import { DEMO_RELEASES } from '../seeds/demo-releases';

const REPORTS = Number(process.argv[2] ?? 1_000_000);

async function timed<T>(label: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await run();
  console.log(`  ${label.padEnd(44)} ${((performance.now() - started) / 1000).toFixed(2)} s`);
  return result;
}

// Approved reports spread over every valid state × office pair (office null where the state is split),
// months since 2015, one target role and one to three codes of each other kind, all in set-based SQL.
async function generateReports(db: Db, count: number): Promise<void> {
  await db.raw(`
    create temporary table pairs as
      select row_number() over () - 1 as i, state, office from (
        select state, office from field_office_areas
        union all select distinct state, null from field_office_areas where not whole_state
      ) p;
    create temporary table kinds as select kind, array_agg(code order by position) as codes from codes group by kind;`);
  await db.raw(
    `insert into reports (status, state, field_office, incident_month, target_role, consent_to_count, received_on, decision_on)
     select 'approved', p.state, p.office, m.month, (select codes[1 + (g % array_length(codes, 1))] from kinds where kind = 'target_role'),
            true, m.month + 20, m.month + 40
       from generate_series(1, ?) g
       join pairs p on p.i = (hashint4(g) & 2147483647) % (select count(*) from pairs)
       cross join lateral (select (date '2015-01-01' + ((hashint4(g * 7) & 2147483647) % 138) * interval '1 month')::date as month) m`,
    [count],
  );
  await db.raw(`
    insert into report_codes (report_id, kind, code)
    select distinct r.id, k.kind, k.codes[1 + ((hashtext(r.id::text || k.kind || n) & 2147483647) % array_length(k.codes, 1))]
      from reports r cross join kinds k cross join generate_series(1, 2) n
     where k.kind <> 'target_role' and (n = 1 or hashtext(r.id::text || n) % 3 = 0)`);
  await db.raw('analyze');
}

/** Publishes releases in order through the service (SQL atoms, suppression, the independent gate, the insert). */
async function scenario(
  name: string,
  db: Db,
  fill: () => Promise<void>,
  drafts: readonly { label: string; cutoff: string; publishedOn: string }[],
): Promise<void> {
  console.log(`\n${name}`);
  await timed('generate reports', fill);
  const reference = await loadReference(db);
  const releases = createReleases({
    db,
    reference,
    threshold: 11,
    today: () => new Date('2026-11-27T00:00:00Z'),
  });
  const started = performance.now();
  for (const { publishedOn, ...draft } of drafts) {
    const { release, build } = await timed(
      `release ${draft.label}: publish (atoms, suppression, gate, insert)`,
      () => releases.publish(draft, { publishedOn }),
    );
    const { loss, timings, stats } = build;
    console.log(
      `  ${release.label}: atoms ${(timings.atomsMs / 1000).toFixed(2)} s, suppression ${(timings.buildMs / 1000).toFixed(2)} s ` +
        `(${stats.rounds} rounds, ${stats.solves} LP solves), gate ${(timings.gateMs / 1000).toFixed(2)} s; ${build.cells.length} cells, ` +
        `${build.cells.filter((c) => c.status === 'published').length} published; information loss ${loss.withheld} of ${loss.publishable} ` +
        `(${((100 * loss.withheld) / Math.max(1, loss.publishable)).toFixed(1)} %), one-dimensional ${loss.oneDimension.withheld} of ${loss.oneDimension.publishable}; ` +
        `national total ${loss.nationalTotalPublished ? 'published' : 'WITHHELD'}; gate ${build.verdict.ok ? 'passed' : 'FAILED'}`,
    );
  }
  console.log(`  ALL RELEASES: ${((performance.now() - started) / 1000).toFixed(2)} s`);
}

async function withDatabase(run: (db: Db) => Promise<void>): Promise<void> {
  const server = process.env.DATABASE_URL;
  if (!server) {
    const embedded = await startEmbeddedDatabase();
    const db = openDb(embedded.url, { maxConnections: 1 });
    await migrateToLatest(db);
    try {
      await run(db);
    } finally {
      await db.destroy();
      await embedded.stop();
    }
    return;
  }
  const name = `represalia_bench_${randomBytes(4).toString('hex')}`;
  const admin = openDb(server, { maxConnections: 1 });
  await admin.raw('create database ??', [name]);
  const url = new URL(server);
  url.pathname = `/${name}`;
  const db = openDb(url.toString(), { maxConnections: 4 });
  try {
    await migrateToLatest(db);
    await run(db);
  } finally {
    await db.destroy();
    await admin.raw('drop database if exists ?? with (force)', [name]);
    await admin.destroy();
  }
}

async function main(): Promise<void> {
  await withDatabase((db) =>
    scenario(
      'demo (the seed: 3,200 reports, about 2,500 approved)',
      db,
      () => seedDemo(db, { NODE_ENV: 'development' }).then(() => undefined),
      DEMO_RELEASES,
    ),
  );
  await withDatabase((db) =>
    scenario(`${REPORTS.toLocaleString('en-US')} approved reports`, db, () => generateReports(db, REPORTS), [
      { label: '2025-Q4', cutoff: '2025-12-31', publishedOn: '2026-01-20' },
      { label: '2026-Q3', cutoff: '2026-09-30', publishedOn: '2026-10-20' },
    ]),
  );
  console.log(`\nRSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
}

void main();
