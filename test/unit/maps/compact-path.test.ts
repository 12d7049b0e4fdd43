import fc from 'fast-check';
import { geoMercator } from 'd3-geo';
import type { Polygon } from 'geojson';
import { compactPath } from '../../../src/maps/compact-path';
import { ringsOf } from './path-geometry';

// The compact path writer: every point lands on the half-unit grid it was snapped to, nothing is lost
// but repeated points, and two shapes that share a border draw it on exactly the same points.

const coordinate = fc.double({ min: 0, max: 975, noNaN: true });
const points = fc.array(fc.tuple(coordinate, coordinate), { minLength: 3, maxLength: 40 });

function polygon(ring: [number, number][]): Polygon {
  return { type: 'Polygon', coordinates: [[...ring, ring[0]!]] };
}

const snap = (v: number): number => Math.round(v * 2) / 2;

// What the drawing should hold: each point on the grid, a point equal to the one before dropped.
function expected(ring: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const [x, y] of ring) {
    const point: [number, number] = [snap(x), snap(y)];
    const last = out.at(-1);
    if (!last || last[0] !== point[0] || last[1] !== point[1]) out.push(point);
  }
  return out;
}

describe('compactPath', () => {
  it('reads back as the snapped points, in order', () => {
    const path = compactPath();
    fc.assert(
      fc.property(points, (ring) => {
        expect(ringsOf(path(polygon(ring)))).toEqual([expected(ring)]);
      }),
    );
  });

  it('draws a shared border on the same points in both shapes', () => {
    const path = compactPath();
    fc.assert(
      fc.property(points, coordinate, coordinate, (border, x, y) => {
        const left = ringsOf(path(polygon([...border, [x, 0]])))[0]!;
        const right = ringsOf(path(polygon([...border, [0, y]])))[0]!;
        const shared = expected(border);
        expect(left.slice(0, shared.length)).toEqual(shared);
        expect(right.slice(0, shared.length)).toEqual(shared);
      }),
    );
  });

  it('is much shorter than absolute coordinates to a tenth', () => {
    const ring: [number, number][] = Array.from({ length: 200 }, (_, i) => [
      487 + 300 * Math.cos(i / 32),
      305 + 200 * Math.sin(i / 32),
    ]);
    const absolute = ring.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join('L');
    expect(compactPath()(polygon(ring)).length).toBeLessThan(absolute.length / 2);
  });

  it('projects through a projection when given one', () => {
    const square: Polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [-66, 18],
          [-65, 18],
          [-65, 19],
          [-66, 19],
          [-66, 18],
        ],
      ],
    };
    const projection = geoMercator().fitExtent(
      [
        [10, 10],
        [110, 110],
      ],
      square,
    );
    const [ring] = ringsOf(compactPath(projection)(square));
    for (const [x, y] of ring!) {
      expect(x).toBeGreaterThanOrEqual(9.5);
      expect(x).toBeLessThanOrEqual(110.5);
      expect(y).toBeGreaterThanOrEqual(9.5);
      expect(y).toBeLessThanOrEqual(110.5);
    }
  });
});
