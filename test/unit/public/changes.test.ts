import fc from 'fast-check';
import { changeClasses } from '../../../src/public/change-map';
import { cellChange, classify, publishedCount } from '../../../src/public/changes';
import { formatDifference } from '../../../src/public/changes-view';
import { classIndex } from '../../../src/maps';
import type { ReleaseCell } from '../../../src/releases/audit';

// The rule of the changes page: a difference exists only where both releases published the count, and
// it is exactly the difference of the two published counts, whatever their size.

const cell = fc.oneof(
  fc.constant(undefined),
  fc.record({
    table: fc.constant('by_state'),
    keys: fc.constant({ state: 'TX' }),
    status: fc.constant('suppressed' as const),
    value: fc.constant(null),
  }),
  fc.record({
    table: fc.constant('by_state'),
    keys: fc.constant({ state: 'TX' }),
    status: fc.constant('published' as const),
    value: fc.integer({ min: 0, max: 100_000 }),
  }),
);

describe('cellChange', () => {
  it('differences a cell only when both releases published it (property)', () => {
    fc.assert(
      fc.property(cell, cell, (before: ReleaseCell | undefined, after: ReleaseCell | undefined) => {
        const change = cellChange('by_state', { state: 'TX' }, before, after);
        const both = publishedCount(before) !== null && publishedCount(after) !== null;
        expect(change.difference).toBe(both ? after!.value! - before!.value! : null);
        expect(change.kind).toBe(classify(before, after));
        if (!both) expect(['changed', 'unchanged']).not.toContain(change.kind);
      }),
    );
  });

  it.each([
    [{ status: 'suppressed', value: null }, { status: 'published', value: 40 }, 'newly_published'],
    [{ status: 'published', value: 40 }, { status: 'suppressed', value: null }, 'newly_withheld'],
    [{ status: 'suppressed', value: null }, { status: 'suppressed', value: null }, 'withheld_in_both'],
    [{ status: 'published', value: 40 }, { status: 'published', value: 43 }, 'changed'],
    [{ status: 'published', value: 40 }, { status: 'published', value: 40 }, 'unchanged'],
  ] as const)('classes %j then %j as %s', (before, after, kind) => {
    const make = (c: { status: 'published' | 'suppressed'; value: number | null }): ReleaseCell => ({
      table: 'by_state',
      keys: { state: 'TX' },
      ...c,
    });
    expect(classify(make(before), make(after))).toBe(kind);
  });

  it('classes a cell one release lacks as new or dropped, without a difference', () => {
    const published: ReleaseCell = {
      table: 'by_year',
      keys: { year: '2026' },
      status: 'published',
      value: 50,
    };
    expect(cellChange('by_year', published.keys, undefined, published)).toMatchObject({
      kind: 'new_cell',
      difference: null,
    });
    expect(cellChange('by_year', published.keys, published, undefined)).toMatchObject({
      kind: 'dropped_cell',
      difference: null,
    });
  });
});

describe('changeClasses', () => {
  it('gives every difference a class, decreases and no change apart from increases (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -500, max: 5000 }), { minLength: 1, maxLength: 60 }),
        (values) => {
          const classes = changeClasses(values);
          for (let i = 1; i < classes.length; i++)
            expect(classes[i]!.min).toBeGreaterThan(classes[i - 1]!.min);
          for (const v of values) {
            const index = classIndex(v, classes);
            expect(index).toBeGreaterThanOrEqual(0);
            const color = classes[index]!.color;
            if (v < 0) expect(color).toBe('#b35806');
            if (v === 0) expect(color).toBe('#e3e3e3');
            if (v > 0) expect(['#b35806', '#e3e3e3']).not.toContain(color);
          }
        },
      ),
    );
  });
});

describe('formatDifference', () => {
  it('signs a difference in the page language', () => {
    expect(formatDifference(1234, 'en')).toBe('+1,234');
    expect(formatDifference(-3, 'es')).toBe('−3');
    expect(formatDifference(0, 'en')).toBe('0');
  });
});
