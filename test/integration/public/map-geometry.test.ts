import { buildMapGeometry } from '../../../src/maps';
import { loadMapGeometry } from '../../../src/maps/prebuilt';
import { toMapReference } from '../../../src/maps/reference';
import type { MapReference } from '../../../src/maps/types';
import { loadReference } from '../../../src/reference/store';
import { createTestDatabase, type TestDatabase } from '../../support/database';

// The prebuilt map geometry is an optimization, never a second source of truth: it must be exactly what
// the app would build from the reference data in its database, and is ignored the moment it is not.

let database: TestDatabase;
let reference: MapReference;

beforeAll(async () => {
  database = await createTestDatabase();
  reference = toMapReference(await loadReference(database.db));
});
afterAll(() => database.destroy());

describe('the prebuilt map geometry', () => {
  it('fits the reference data the migrations load (if not: npm run maps:build)', () => {
    const loaded = loadMapGeometry(reference);
    expect(loaded.prebuilt).toBe(true);
    expect(loaded.geometry).toEqual(buildMapGeometry(reference));
  });

  it('is not used once the reference data differs from what it was built from', () => {
    const renamed: MapReference = {
      ...reference,
      fieldOffices: reference.fieldOffices.map((o, i) =>
        i === 0 ? { ...o, name: `${o.name} (renamed)` } : o,
      ),
    };
    const loaded = loadMapGeometry(renamed);
    expect(loaded.prebuilt).toBe(false);
    expect(loaded.geometry.offices[0]!.name).toBe(`${reference.fieldOffices[0]!.name} (renamed)`);
  });

  it('is built on the spot when the file is missing', () => {
    const loaded = loadMapGeometry(reference, '/nonexistent/geometry.prebuilt.json');
    expect(loaded.prebuilt).toBe(false);
    expect(loaded.geometry.states).toHaveLength(51);
  });
});
