import fc from 'fast-check';
import { formatCursor, parseCursor } from '../../../src/moderation/queue-cursor';

describe('queue cursors in URLs', () => {
  it('read back every cursor they write', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2099-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.uuid(),
        (date, id) => {
          const cursor = { receivedOn: date.toISOString().slice(0, 10), id };
          expect(parseCursor(formatCursor(cursor))).toEqual(cursor);
        },
      ),
    );
  });

  it('refuse anything else, impossible dates included, without throwing', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        const parsed = parseCursor(text);
        if (parsed) expect(formatCursor(parsed)).toBe(text.toLowerCase());
      }),
    );
    const id = '0b6c7a52-3c1e-4c39-9d3c-8a4a3f0e2b11';
    expect(parseCursor(`2026-02-30.${id}`)).toBeNull();
    expect(parseCursor(`2026-13-01.${id}`)).toBeNull();
    expect(parseCursor(`0000-01-01.${id}`)).toBeNull();
    expect(parseCursor(`2026-02-03.${id}x`)).toBeNull();
    expect(parseCursor(`2026-02-03.${id}`)).toEqual({ receivedOn: '2026-02-03', id });
  });
});
