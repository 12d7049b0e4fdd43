import fc from 'fast-check';
import { addDays, dayOf, isoDay, isRealDay } from '../../../src/platform/dates';

describe('calendar days', () => {
  it('writes a moment as its UTC day and reads database values back as days', () => {
    expect(isoDay(new Date('2026-12-06T23:59:59Z'))).toBe('2026-12-06');
    expect(dayOf('2026-03-01')).toBe('2026-03-01');
    expect(dayOf(new Date('2026-03-01T00:00:00Z'))).toBe('2026-03-01');
  });

  it('accepts real days only', () => {
    expect(isRealDay('2024-02-29')).toBe(true);
    expect(isRealDay('2026-02-29')).toBe(false);
    expect(isRealDay('2026-13-01')).toBe(false);
    expect(isRealDay('0000-01-01')).toBe(false);
    expect(isRealDay('2026-1-01')).toBe(false);
  });

  it('adds days across months and years, and every produced day is real', () => {
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }),
        fc.integer({ min: -1000, max: 1000 }),
        (date, days) => {
          const day = isoDay(date);
          expect(isRealDay(day)).toBe(true);
          expect(addDays(addDays(day, days), -days)).toBe(day);
        },
      ),
    );
  });

  it('refuses anything that is not a day, whatever the text', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        if (isRealDay(text)) expect(isoDay(new Date(`${text}T00:00:00Z`))).toBe(text);
      }),
    );
  });
});
