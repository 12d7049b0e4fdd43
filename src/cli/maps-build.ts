import { migrateToLatest, openDb } from '../platform/db';
import { startEmbeddedDatabase } from '../platform/embedded-db';
import { toMapReference } from '../maps/reference';
import { writePrebuiltBoundaries, writePrebuiltGeometry } from '../maps/prebuilt';
import { loadReference } from '../reference/store';

// `npm run maps:build`: rebuilds src/maps/geometry.prebuilt.json and boundaries.prebuilt.json
// after the reference data or the atlas changes (a test says when). The reference is read the way the app
// reads it, from a database migrated from reference/*.csv: a throwaway in-memory one, so no configured
// database is touched.
async function main(): Promise<void> {
  const embedded = await startEmbeddedDatabase();
  const db = openDb(embedded.url, { maxConnections: 1 });
  try {
    await migrateToLatest(db);
    const reference = toMapReference(await loadReference(db));
    writePrebuiltGeometry(reference);
    process.stdout.write('wrote src/maps/geometry.prebuilt.json\n');
    // The same geometry as data, for /data/boundaries/*.geojson.
    writePrebuiltBoundaries(reference);
    process.stdout.write('wrote src/maps/boundaries.prebuilt.json\n');
  } finally {
    await db.destroy();
    await embedded.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
