import { migrateToLatest, openDb } from '../src/platform/db';
import { seedDemo } from '../seeds/demo';
import { seedDemoReleases } from '../seeds/demo-releases';
import { listReleases, loadReleaseCells } from '../src/releases/store';
async function main() {
  const admin = openDb('postgres://postgres@127.0.0.1:5432/postgres', { maxConnections: 1 });
  await admin.raw('drop database if exists wt17_demo with (force)'); await admin.raw('create database wt17_demo'); await admin.destroy();
  const db = openDb('postgres://postgres@127.0.0.1:5432/wt17_demo', { maxConnections: 5 });
  await migrateToLatest(db);
  await seedDemo(db, { NODE_ENV: 'development' });
  const t = performance.now();
  const n = await seedDemoReleases(db, { NODE_ENV: 'development', DISCLOSURE_THRESHOLD: 11 });
  console.log('demo releases', n, Math.round(performance.now() - t), 'ms');
  for (const r of await listReleases(db)) {
    const cells = await loadReleaseCells(db, r.id);
    const pub = (t: string) => cells.filter((c) => c.table === t && c.status === 'published').length;
    console.log(r.label, 'published', cells.filter((c) => c.status === 'published').length, 'of', cells.length, 'states', pub('by_state'), 'offices', pub('by_field_office'), 'national', cells.find((c) => c.table === 'national_total'));
  }
  await db.destroy();
}
void main();
