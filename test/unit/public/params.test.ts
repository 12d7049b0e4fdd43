import fc from 'fast-check';
import type { z } from 'zod';
import { AppError } from '../../../src/platform/errors';
import { parseOrThrow } from '../../../src/platform/parse';
import { MapFileQuery, MapQuery, NoQuery, QUERY_ERRORS } from '../../../src/public/params';

// How the public routes parse a query: parseOrThrow with the public site's messages.
const parseQuery = <S extends z.ZodType>(schema: S, query: unknown): z.infer<S> =>
  parseOrThrow(schema, query, QUERY_ERRORS);

function status(fn: () => unknown): number {
  try {
    fn();
    return 200;
  } catch (error) {
    if (error instanceof AppError) return error.status;
    throw error;
  }
}

describe('parseOrThrow(MapQuery, query, QUERY_ERRORS)', () => {
  it('accepts the documented parameters', () => {
    expect(parseQuery(MapQuery, { release: '2026-Q3', view: 'field_office', year: '2024' })).toEqual({
      release: '2026-Q3',
      view: 'field_office',
      year: '2024',
    });
    expect(parseQuery(MapQuery, { action: 'arrest' })).toEqual({ action: 'arrest' });
    expect(parseQuery(MapQuery, {})).toEqual({});
  });

  it('treats empty values as absent, as a form sends them', () => {
    expect(parseQuery(MapQuery, { release: '', year: '', filter: '' })).toEqual({});
  });

  it.each([
    [{ foo: '1' }, 'public.errors.unknown_parameter'],
    [{ year: '2024', action: 'arrest' }, 'public.errors.one_filter'],
    [{ year: '2024', filter: 'action:arrest' }, 'public.errors.one_filter'],
    [{ view: 'county' }, 'public.errors.bad_value'],
    [{ release: ['a', 'b'] }, 'public.errors.bad_value'],
    [{ release: '../etc' }, 'public.errors.bad_value'],
    [{ action: 'Arrest; drop table' }, 'public.errors.bad_value'],
  ])('refuses %j with %s', (query, key) => {
    expect(() => parseQuery(MapQuery, query)).toThrow(key);
    expect(status(() => parseQuery(MapQuery, query))).toBe(400);
  });

  it('answers any query object with a value or a 400, never anything else (property)', () => {
    const value = fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 3 }), fc.constant(undefined));
    const key = fc.oneof(
      fc.constantFrom('release', 'view', 'year', 'action', 'filter', '__proto__', 'constructor'),
      fc.string(),
    );
    fc.assert(
      fc.property(fc.dictionary(key, value), (query) => {
        for (const schema of [MapQuery, MapFileQuery, NoQuery]) {
          expect([200, 400]).toContain(status(() => parseQuery(schema, query)));
        }
      }),
      { numRuns: 500 },
    );
  });
});
