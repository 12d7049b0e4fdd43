import fc from 'fast-check';
import { z } from 'zod';
import { AppError, BadRequestError, NotFoundError } from '../../../src/platform/errors';
import { parseOrThrow } from '../../../src/platform/parse';

const Query = z
  .object({
    year: z
      .string()
      .regex(/^\d{4}$/)
      .optional(),
    page: z.string().regex(/^\d+$/).optional(),
  })
  .strict()
  .refine((q) => !(q.year && q.page), { message: 'public.errors.one_filter' });
const messages = { unknownKey: 'public.errors.unknown_parameter', badValue: 'public.errors.bad_value' };

function thrown(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a throw');
}

describe('parseOrThrow', () => {
  it('returns the typed value when the input is valid', () => {
    expect(parseOrThrow(Query, { year: '2024' }, messages)).toEqual({ year: '2024' });
  });

  it('names an unknown parameter, a bad value and a refinement with their own keys', () => {
    expect(thrown(() => parseOrThrow(Query, { colour: 'red' }, messages)).message).toBe(
      'public.errors.unknown_parameter',
    );
    expect(thrown(() => parseOrThrow(Query, { year: '24' }, messages)).message).toBe(
      'public.errors.bad_value',
    );
    expect(thrown(() => parseOrThrow(Query, { year: '2024', page: '2' }, messages)).message).toBe(
      'public.errors.one_filter',
    );
  });

  it('falls back to the generic 400 message and takes another kind of rejection', () => {
    const error = thrown(() => parseOrThrow(Query, { year: 'x' }));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.message).toBe('errors.400.message');
    expect(thrown(() => parseOrThrow(z.uuid(), 'nope', {}, () => new NotFoundError()))).toBeInstanceOf(
      NotFoundError,
    );
  });

  it('never lets anything but a 4xx AppError escape, whatever the input', () => {
    // Counted so that the checks in the catch are known to have run: a schema that accepted everything
    // would otherwise pass here without a single assertion.
    let refused = 0;
    fc.assert(
      fc.property(fc.anything(), (input) => {
        try {
          parseOrThrow(Query, input, messages);
        } catch (error) {
          refused += 1;
          expect(error).toBeInstanceOf(AppError);
          expect((error as AppError).status).toBe(400);
        }
      }),
    );
    expect(refused).toBeGreaterThan(10);
  });
});
