import { createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { wordlist as english } from '@scure/bip39/wordlists/english.js';
import { wordlist as french } from '@scure/bip39/wordlists/french.js';
import { wordlist as portuguese } from '@scure/bip39/wordlists/portuguese.js';
import { wordlist as spanish } from '@scure/bip39/wordlists/spanish.js';
import {
  RECEIPT_WORD_COUNT,
  generateReceipt,
  hashReceipt,
  normalizeReceipt,
  receiptLanguage,
} from '../../../src/intake/receipt';

// Receipts in the reporter's language: drawn from the page language's BIP39 list, typed back with or
// without accents, in any case, from any language's site.

const secret = randomBytes(32);
const stripAccents = (text: string): string => text.normalize('NFD').replace(/\p{M}/gu, '');
const canonicalOf = (words: readonly string[]): string =>
  words.map((w) => stripAccents(w).toLowerCase()).join('-');
// The package stores the lists decomposed (NFKD); receipts are shown composed (NFC).
const composed = (list: readonly string[]): string[] => list.map((word) => word.normalize('NFC'));
const LISTS = { en: english, es: composed(spanish), pt: portuguese, fr: composed(french) } as const;

describe('receipt word lists', () => {
  it.each(Object.entries(LISTS))(
    'keeps the %s list 2048 distinct words once accents are dropped',
    (_lang, list) => {
      const stripped = new Set(list.map((word) => stripAccents(word).toLowerCase()));
      expect(stripped.size).toBe(2048);
      for (const word of stripped) expect(word).toMatch(/^[a-z]+$/);
    },
  );

  it('has accented words in the Spanish list, so typing them without accents is a real case', () => {
    expect(spanish.filter((word) => stripAccents(word) !== word).length).toBeGreaterThan(300);
  });

  it('chooses the list of the page language, and English for a language BIP39 has no Latin list for', () => {
    expect(receiptLanguage('es')).toBe('es');
    expect(receiptLanguage('pt')).toBe('pt');
    expect(receiptLanguage('pt-BR')).toBe('pt');
    expect(receiptLanguage('fr')).toBe('fr');
    expect(receiptLanguage('de')).toBe('en');
    expect(receiptLanguage('ja')).toBe('en');
    expect(receiptLanguage('en')).toBe('en');
  });
});

describe('generateReceipt in a language', () => {
  it.each([
    ['es', LISTS.es],
    ['pt', portuguese],
    ['de', english],
  ] as const)('draws 8 words of the %s page’s list, spelled as the list spells them', (lang, list) => {
    const known = new Set(list);
    for (let i = 0; i < 200; i += 1) {
      const words = generateReceipt(lang).split('-');
      expect(words).toHaveLength(RECEIPT_WORD_COUNT);
      expect(words.every((word) => known.has(word))).toBe(true);
    }
  });

  it('draws every Spanish word about equally often (chi-square over 160,000 words)', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 20_000; i += 1) {
      for (const word of generateReceipt('es').split('-')) counts.set(word, (counts.get(word) ?? 0) + 1);
    }
    const expected = (20_000 * 8) / LISTS.es.length;
    let chiSquare = 0;
    for (const word of LISTS.es) chiSquare += ((counts.get(word) ?? 0) - expected) ** 2 / expected;
    expect(chiSquare).toBeGreaterThan(2047 - 6 * 64);
    expect(chiSquare).toBeLessThan(2047 + 6 * 64);
  });
});

describe('normalizeReceipt across languages', () => {
  it('reads a Spanish receipt typed without accents, in capitals, with spaces', () => {
    const shown = 'ábaco-nácar-búho-pequeño-cañón-lámina-zafiro-añejo';
    // Every one of these words is in the Spanish list (the test would be empty otherwise).
    expect(shown.split('-').every((word) => LISTS.es.includes(word))).toBe(true);
    const canonical = 'abaco-nacar-buho-pequeno-canon-lamina-zafiro-anejo';
    expect(normalizeReceipt(shown)).toBe(canonical);
    expect(normalizeReceipt('ABACO NACAR buho  pequeno canon lamina zafiro anejo')).toBe(canonical);
    expect(normalizeReceipt('abaco-nacar-buho-pequeño-cañon-lámina-zafiro-anejo')).toBe(canonical);
    expect(normalizeReceipt('abaconacarbuhopequenocanonlaminazafiroanejo')).toBe(canonical);
  });

  it.each(Object.entries(LISTS))(
    'finds a %s receipt however it is cased, accented and separated',
    (_lang, list) => {
      const anyWords = fc.array(fc.constantFrom(...list), {
        minLength: RECEIPT_WORD_COUNT,
        maxLength: RECEIPT_WORD_COUNT,
      });
      const anySeparator = fc.constantFrom(' ', '-', '  ', '\n', ' - ', ', ', '\t', '–');
      fc.assert(
        fc.property(
          anyWords,
          fc.array(anySeparator, { minLength: 7, maxLength: 7 }),
          fc.array(fc.constantFrom('keep', 'strip', 'upper'), { minLength: 8, maxLength: 8 }),
          (words, separators, styles) => {
            const typed = words
              .map((word, i) => {
                const style = styles[i];
                const spelled =
                  style === 'strip' ? stripAccents(word) : style === 'upper' ? word.toUpperCase() : word;
                return spelled + (separators[i] ?? '');
              })
              .join('');
            expect(normalizeReceipt(typed)).toBe(canonicalOf(words));
          },
        ),
        { numRuns: 300 },
      );
    },
  );

  it.each(Object.keys(LISTS))(
    'reads a %s receipt back as it was shown, and its canonical form as itself',
    (lang) => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 1000 }), () => {
          const shown = generateReceipt(lang);
          const canonical = normalizeReceipt(shown);
          expect(canonical).toBe(canonicalOf(shown.split('-')));
          // The canonical form is language-free: the same on every site, so any site opens it.
          expect(normalizeReceipt(canonical)).toBe(canonical);
        }),
        { numRuns: 200 },
      );
    },
  );

  it('hashes the canonical form under the receipt domain, whatever the list', () => {
    const canonical = normalizeReceipt(generateReceipt('pt')) ?? '';
    const expected = createHmac('sha256', secret)
      .update(Buffer.from('represalia:receipt-hash:v1\0', 'utf8'))
      .update(canonical, 'utf8')
      .digest();
    expect(hashReceipt(canonical, secret).equals(expected)).toBe(true);
    expect(() => hashReceipt(generateReceipt('es').toUpperCase(), secret)).toThrow(TypeError);
  });

  it('refuses words from two lists mixed in one receipt', () => {
    const mixed = [...LISTS.es.slice(100, 104), ...english.slice(100, 104)].filter(
      (w) => !english.includes(w) || !LISTS.es.includes(w),
    );
    expect(mixed).toHaveLength(8);
    expect(normalizeReceipt(mixed.join(' '))).toBeNull();
  });
});
