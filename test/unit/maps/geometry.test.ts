import { geoAlbersUsa } from 'd3-geo';
import { buildMapGeometry } from '../../../src/maps/geometry';
import type { MapGeometry, MapReference } from '../../../src/maps/types';
import { pathContains, pathNear, ringsOf } from './path-geometry';
import { loadMapReference } from './reference-fixture';

let reference: MapReference;
let geometry: MapGeometry;

beforeAll(() => {
  reference = loadMapReference();
  geometry = buildMapGeometry(reference);
});

const shape = (list: readonly { key: string; d: string }[], key: string): string => {
  const found = list.find((s) => s.key === key);
  if (!found) throw new Error(`no shape for ${key}`);
  return found.d;
};

describe('buildMapGeometry', () => {
  it('draws every state and DC from the albers atlas, and no territory there', () => {
    const expected = reference.states.filter((s) => s.type !== 'territory').map((s) => s.usps);
    expect(expected).toHaveLength(51);
    expect(geometry.states.map((s) => s.key).sort()).toEqual([...expected].sort());
    for (const s of geometry.states) expect(ringsOf(s.d).length).toBeGreaterThan(0);
  });

  it('projects Puerto Rico, the Virgin Islands, Guam, the Northern Marianas and American Samoa into the inset', () => {
    expect(geometry.insets.map((t) => t.key)).toEqual(['PR', 'VI', 'GU', 'MP', 'AS']);
    for (const t of geometry.insets) {
      expect(t.d.length).toBeGreaterThan(20);
      // every point of the shape stays inside its frame
      for (const [x, y] of ringsOf(t.d).flat()) {
        expect(x).toBeGreaterThanOrEqual(t.box.x);
        expect(x).toBeLessThanOrEqual(t.box.x + t.box.width);
        expect(y).toBeGreaterThanOrEqual(t.box.y);
        expect(y).toBeLessThanOrEqual(t.box.y + t.box.height);
      }
    }
  });

  it('gives each territory the office that covers it, and American Samoa none', () => {
    const office = Object.fromEntries(geometry.insets.map((t) => [t.key, t.officeKey]));
    expect(office).toEqual({ PR: 'MIA', VI: 'MIA', GU: 'SFR', MP: 'SFR', AS: null });
  });

  it('draws an area for each of the 25 offices that contains the office itself', () => {
    expect(geometry.offices.map((o) => o.key).sort()).toEqual(
      reference.fieldOffices.map((o) => o.code).sort(),
    );
    expect(geometry.officeMarkers).toHaveLength(25);
    for (const m of geometry.officeMarkers) {
      // Coastal offices (Boston, Miami, Seattle, San Francisco) sit on a simplified shoreline.
      expect([m.key, pathNear(shape(geometry.offices, m.key), m.x, m.y, 3)]).toEqual([m.key, true]);
    }
  });

  it('splits Texas between five offices, California between three and New York between two', () => {
    const officesIn = (usps: string): string[] => {
      const d = shape(geometry.states, usps);
      // One unit of slack: New York City sits on a simplified shoreline, and Newark is three units off Staten Island.
      return geometry.officeMarkers
        .filter((m) => pathNear(d, m.x, m.y, 1))
        .map((m) => m.key)
        .sort();
    };
    expect(officesIn('TX')).toEqual(['DAL', 'ELP', 'HLG', 'HOU', 'SNA']);
    expect(officesIn('CA')).toEqual(['LOS', 'SFR', 'SND']);
    expect(officesIn('NY')).toEqual(['BUF', 'NYC']);
    // Dallas's area reaches into Oklahoma, which it covers whole; Houston's does not.
    const [x, y] = geoAlbersUsa().scale(1300).translate([487.5, 305])([-95.99, 36.15])!; // Tulsa
    expect(pathContains(shape(geometry.states, 'OK'), x, y)).toBe(true);
    expect(pathContains(shape(geometry.offices, 'DAL'), x, y)).toBe(true);
    expect(pathContains(shape(geometry.offices, 'HOU'), x, y)).toBe(false);
  });

  it('refuses to build when a county of a split state is assigned to no office', () => {
    const broken = {
      ...reference,
      splitCounties: reference.splitCounties.filter((c) => c.countyFips !== '48201'),
    };
    expect(() => buildMapGeometry(broken)).toThrow(/48201/);
  });
});
