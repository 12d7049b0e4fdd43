import crypto, { createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import {
  MAX_RECEIPT_INPUT_LENGTH,
  RECEIPT_ENTROPY_BITS,
  RECEIPT_WORD_COUNT,
  generateReceipt,
  hashReceipt,
  normalizeReceipt,
  receiptsEqual,
} from '../../../src/intake/receipt';

const secret = randomBytes(32);
const receiptFormat = /^[a-z]{3,9}(-[a-z]{3,9}){7}$/;
const known = new Set(wordlist);

const anyWord = fc.constantFrom(...wordlist);
const anyReceiptWords = fc.array(anyWord, { minLength: RECEIPT_WORD_COUNT, maxLength: RECEIPT_WORD_COUNT });
// Separators a reporter might type or paste: never letters, never empty. (Invisible characters are
// not separators: they are dropped, so they are tested inside words instead.)
const anySeparator = fc.string({
  unit: fc.constantFrom(' ', '  ', '\t', '\n', '\r\n', '-', '–', '—', '.', ',', '·', '\u00a0', '_', '/', '1'),
  minLength: 1,
  maxLength: 4,
});

describe('generateReceipt', () => {
  it('carries at least 80 bits of entropy', () => {
    expect(RECEIPT_ENTROPY_BITS).toBeGreaterThanOrEqual(80);
    expect(RECEIPT_WORD_COUNT * Math.log2(wordlist.length)).toBe(RECEIPT_ENTROPY_BITS);
  });

  it('gives 8 lowercase BIP39 words joined by hyphens, already in canonical form', () => {
    for (let i = 0; i < 200; i += 1) {
      const receipt = generateReceipt();
      expect(receipt).toMatch(receiptFormat);
      expect(receipt.split('-').every((word) => known.has(word))).toBe(true);
      expect(normalizeReceipt(receipt)).toBe(receipt);
    }
  });

  it('never repeats itself', () => {
    const receipts = new Set(Array.from({ length: 5000 }, () => generateReceipt()));
    expect(receipts.size).toBe(5000);
  });

  it('reads the random bytes as 11-bit indices, as the BIP39 test vectors do', () => {
    const spy = jest.spyOn(crypto, 'randomBytes');
    try {
      spy.mockImplementationOnce(() => Buffer.alloc(11, 0x7f));
      expect(generateReceipt()).toBe('legal-winner-thank-year-wave-sausage-worth-useful');
      spy.mockImplementationOnce(() => Buffer.alloc(11, 0x80));
      expect(generateReceipt()).toBe('letter-advice-cage-absurd-amount-doctor-acoustic-avoid');
      spy.mockImplementationOnce(() => Buffer.alloc(11, 0xff));
      expect(generateReceipt()).toBe(Array(8).fill('zoo').join('-'));
      expect(spy).toHaveBeenCalledWith(11);
    } finally {
      spy.mockRestore();
    }
  });

  it('draws every word about equally often (chi-square over 160,000 words)', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 20_000; i += 1) {
      for (const word of generateReceipt().split('-')) counts.set(word, (counts.get(word) ?? 0) + 1);
    }
    const expected = (20_000 * 8) / wordlist.length;
    let chiSquare = 0;
    for (const word of wordlist) chiSquare += ((counts.get(word) ?? 0) - expected) ** 2 / expected;
    // 2047 degrees of freedom: mean 2047, standard deviation 64; six deviations either side.
    expect(chiSquare).toBeGreaterThan(2047 - 6 * 64);
    expect(chiSquare).toBeLessThan(2047 + 6 * 64);
  });
});

describe('normalizeReceipt', () => {
  const canonical = 'legal-winner-thank-year-wave-sausage-worth-useful';

  it.each([
    ['spaces', 'legal winner thank year wave sausage worth useful'],
    ['capitals and extra spaces', '  LEGAL   Winner thank YEAR wave  sausage worth useful  '],
    ['tabs and newlines', 'legal\twinner\nthank\r\nyear wave\tsausage\nworth useful\n'],
    ['en and em dashes', 'legal – winner — thank–year wave sausage worth useful'],
    ['dots and commas', 'legal. winner, thank. year, wave. sausage, worth. useful.'],
    ['a numbered list', '1. legal 2. winner 3. thank 4. year 5. wave 6. sausage 7. worth 8. useful'],
    ['full-width letters', 'ｌｅｇａｌ winner thank year wave sausage worth useful'],
    ['accents added by a keyboard', 'légal winnér thank year wave sausage worth useful'],
    [
      'soft hyphens and zero-width spaces inside words',
      'le\u00adgal win\u200bner thank year wave sausage worth useful',
    ],
    ['a Turkish capital dotted I', 'legal wİnner thank year wave sausage worth useful'],
    ['two words run together', 'legalwinner thank year wave sausage worth useful'],
    ['no separators at all', 'legalwinnerthankyearwavesausageworthuseful'],
  ])('accepts %s', (_name, typed) => {
    expect(normalizeReceipt(typed)).toBe(canonical);
  });

  it.each([
    ['seven words', 'legal winner thank year wave sausage worth'],
    ['nine words', `${canonical} zoo`],
    ['an unknown word', 'legal winner thank year wave sausage worth usefull'],
    ['a word split in two', 'le gal winner thank year wave sausage worth useful'],
    ['an empty string', ''],
    ['only separators', ' - – . , '],
    ['prototype keys', '__proto__ constructor prototype toString valueOf hasOwnProperty __proto__ __proto__'],
  ])('refuses %s', (_name, typed) => {
    expect(normalizeReceipt(typed)).toBeNull();
  });

  it('refuses letters that split into 8 words in more than one way', () => {
    // "cartable" is car + table or cart + able; with spaces either receipt is accepted.
    expect(normalizeReceipt('car table legal winner thank year wave sausage')).not.toBeNull();
    expect(normalizeReceipt('cart able legal winner thank year wave sausage')).not.toBeNull();
    expect(normalizeReceipt('cartable legal winner thank year wave sausage')).toBeNull();
  });

  it('refuses non-strings', () => {
    for (const value of [
      undefined,
      null,
      42,
      ['legal'],
      { toString: () => canonical },
      Buffer.from(canonical),
    ]) {
      expect(normalizeReceipt(value)).toBeNull();
    }
  });

  it(`refuses anything longer than ${MAX_RECEIPT_INPUT_LENGTH} characters, even padding around a valid receipt`, () => {
    const padded = canonical.padEnd(MAX_RECEIPT_INPUT_LENGTH, ' ');
    expect(normalizeReceipt(padded)).toBe(canonical);
    expect(normalizeReceipt(`${padded} `)).toBeNull();
    expect(normalizeReceipt('a'.repeat(10_000_000))).toBeNull();
  });

  it('finds the receipt however it is cased and separated', () => {
    fc.assert(
      fc.property(
        anyReceiptWords,
        fc.array(anySeparator, { minLength: 9, maxLength: 9 }),
        fc.boolean(),
        (words, separators, upper) => {
          const typed = words.reduce(
            (text, word, i) => text + word + (separators[i + 1] ?? ''),
            separators[0] ?? '',
          );
          expect(normalizeReceipt(upper ? typed.toUpperCase() : typed)).toBe(words.join('-'));
        },
      ),
    );
  });

  it('turns words typed without separators into the right receipt or into nothing, never into another one', () => {
    fc.assert(
      fc.property(anyReceiptWords, (words) => {
        expect([words.join('-'), null]).toContain(normalizeReceipt(words.join('')));
      }),
    );
  });

  it('never throws on arbitrary input and returns only canonical receipts', () => {
    const anyText = fc.oneof(
      fc.string({ maxLength: 400 }),
      fc.string({ unit: 'binary', maxLength: 400 }),
      fc.string({ unit: 'grapheme', maxLength: 100 }),
      fc
        .array(fc.oneof(anyWord, anySeparator, fc.constantFrom('__proto__', 'constructor')), {
          maxLength: 20,
        })
        .map((parts) => parts.join('')),
      fc.anything(),
    );
    fc.assert(
      fc.property(anyText, (input) => {
        const result = normalizeReceipt(input);
        if (result !== null) {
          expect(result).toMatch(receiptFormat);
          expect(normalizeReceipt(result)).toBe(result);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('hashReceipt', () => {
  const receipt = generateReceipt();

  it('is a 32-byte HMAC that only the same receipt and secret reproduce', () => {
    const hash = hashReceipt(receipt, secret);
    expect(hash).toHaveLength(32);
    expect(hashReceipt(receipt, secret).equals(hash)).toBe(true);
    expect(hashReceipt(receipt, randomBytes(32)).equals(hash)).toBe(false);
    expect(hashReceipt(generateReceipt(), secret).equals(hash)).toBe(false);
  });

  it('is domain-separated from other uses of the same secret', () => {
    const bare = createHmac('sha256', secret).update(receipt).digest();
    expect(hashReceipt(receipt, secret).equals(bare)).toBe(false);
  });

  it('refuses a receipt that is not in canonical form', () => {
    expect(() => hashReceipt(receipt.toUpperCase(), secret)).toThrow(TypeError);
    expect(() => hashReceipt(receipt.replaceAll('-', ' '), secret)).toThrow(TypeError);
  });

  it('refuses a short secret', () => {
    expect(() => hashReceipt(receipt, Buffer.alloc(16))).toThrow(TypeError);
  });
});

describe('receiptsEqual', () => {
  it('compares hashes, including ones of different lengths', () => {
    const hash = hashReceipt(generateReceipt(), secret);
    expect(receiptsEqual(hash, Buffer.from(hash))).toBe(true);
    expect(receiptsEqual(hash, hashReceipt(generateReceipt(), secret))).toBe(false);
    expect(receiptsEqual(hash, hash.subarray(0, 31))).toBe(false);
  });
});
