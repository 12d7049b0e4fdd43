import fc from 'fast-check';
import { classIndex, computeClasses, niceFloor } from '../../../src/maps/classes';

// Relative luminance (WCAG), to check that darker classes really are darker, also in greyscale.
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

const counts = fc.array(fc.integer({ min: 11, max: 100_000 }), { minLength: 1, maxLength: 60 });

describe('computeClasses', () => {
  it('has at most five classes with strictly rising lower bounds and strictly darker colours', () => {
    fc.assert(
      fc.property(counts, (values) => {
        const classes = computeClasses(values);
        expect(classes.length).toBeGreaterThanOrEqual(1);
        expect(classes.length).toBeLessThanOrEqual(5);
        for (let i = 1; i < classes.length; i++) {
          expect(classes[i]!.min).toBeGreaterThan(classes[i - 1]!.min);
          expect(luminance(classes[i]!.color)).toBeLessThan(luminance(classes[i - 1]!.color));
        }
      }),
    );
  });

  it('puts every value in a class, and a larger value never in a lighter one', () => {
    fc.assert(
      fc.property(counts, (values) => {
        const classes = computeClasses(values);
        const sorted = [...values].sort((a, b) => a - b);
        const indexes = sorted.map((v) => classIndex(v, classes));
        expect(Math.min(...indexes)).toBe(0);
        for (let i = 1; i < indexes.length; i++) expect(indexes[i]).toBeGreaterThanOrEqual(indexes[i - 1]!);
      }),
    );
  });

  it('breaks at round numbers', () => {
    const classes = computeClasses([12, 14, 19, 23, 37, 48, 61, 75, 90, 130, 180, 240, 410, 800, 1300]);
    expect(classes.map((c) => c.min)).toEqual([12, 20, 60, 100, 400]);
  });

  it('has no classes when nothing is published', () => {
    expect(computeClasses([])).toEqual([]);
  });

  it('rounds down to 1, 1.5, 2, 2.5, 3, 4, 5, 6 or 7.5 times a power of ten', () => {
    expect([13, 17, 24, 99, 260, 7600, 8].map(niceFloor)).toEqual([10, 15, 20, 75, 250, 7500, 8]);
  });
});
