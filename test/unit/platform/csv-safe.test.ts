import fc from 'fast-check';
import { neutralize, toCsv } from '../../../src/platform/csv-safe';

describe('neutralize', () => {
  it.each(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx'])('prefixes a quote to %j', (value) => {
    expect(neutralize(value)).toBe(`'${value}`);
  });

  it('leaves ordinary text alone', () => {
    expect(neutralize('Texas')).toBe('Texas');
    expect(neutralize('before-2017')).toBe('before-2017');
    expect(neutralize('')).toBe('');
  });

  it('never lets a formula character start a cell (property)', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        expect(/^[=+\-@\t\r]/.test(neutralize(value))).toBe(false);
      }),
    );
  });
});

describe('toCsv', () => {
  it('writes a byte-order mark and CRLF, neutralizing every value but whole numbers in number columns', () => {
    expect(
      toCsv(
        [
          ['a', 'b'],
          ['=1', '-18'],
        ],
        new Set([1]),
      ),
    ).toBe("\ufeffa,b\r\n'=1,-18\r\n");
  });
});
