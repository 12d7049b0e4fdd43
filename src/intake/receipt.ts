import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
// The package exports only the `.js` subpaths. They are ES modules: Node >= 20.19 loads them through
// require(), and jest transforms @scure (jest.config.js), so the CommonJS build works in both.
import { wordlist as czech } from '@scure/bip39/wordlists/czech.js';
import { wordlist as english } from '@scure/bip39/wordlists/english.js';
import { wordlist as french } from '@scure/bip39/wordlists/french.js';
import { wordlist as italian } from '@scure/bip39/wordlists/italian.js';
import { wordlist as portuguese } from '@scure/bip39/wordlists/portuguese.js';
import { wordlist as spanish } from '@scure/bip39/wordlists/spanish.js';

// A receipt is 8 words from a 2048-word BIP39 list: 8 × 11 = 88 bits of entropy, enough that guessing a
// live receipt is hopeless even without the rate limits, and short enough to copy onto paper. It is drawn
// from the list of the page's language (English, Spanish, Portuguese, French, Italian, Czech; any other
// language gets English), because words of one's own language are easier to copy, read back and
// remember. The list is the only thing a receipt says about its reporter: the page's language, nothing
// more (docs/threat-model.md, "Receipts").
//
// The canonical form (what is hashed) is the words in lowercase without accents, joined by hyphens: the
// Spanish and French lists stay 2048 distinct words once accents are dropped (checked below), so a
// reporter who types "arbol" for "árbol" still opens their report, and entropy is unchanged. English
// receipts issued before other lists existed are canonical as they were, so their hashes still match.

export const RECEIPT_WORD_COUNT = 8;
export const RECEIPT_ENTROPY_BITS = RECEIPT_WORD_COUNT * 11;

// Anything longer is not a receipt someone typed; refusing it first bounds the work an attacker can cause.
export const MAX_RECEIPT_INPUT_LENGTH = 300;

// Domain separation: the receipt secret also signs form tokens (form-token.ts uses its own prefix).
// Both prefixes end in NUL and neither is a prefix of the other, so no receipt hash can ever equal a
// form-token signature, nor the reverse.
const HASH_DOMAIN = Buffer.from('represalia:receipt-hash:v1\0', 'utf8');

const SEPARATOR = '-';

/** Lowercase, without accents, compatibility forms or invisible characters: how words are compared. */
function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\p{M}\p{Cf}]/gu, '')
    .toLowerCase();
}

interface WordList {
  /** The words as the list spells them (with accents), as a receipt is shown. */
  words: readonly string[];
  /** Folded word → index in the list. */
  index: ReadonlyMap<string, number>;
  minLength: number;
  maxLength: number;
}

function wordList(name: string, decomposed: readonly string[]): WordList {
  // The package stores the lists decomposed (NFKD, as BIP39 specifies); show the composed spelling.
  const words = decomposed.map((word) => word.normalize('NFC'));
  const folded = words.map(fold);
  const index = new Map(folded.map((word, i) => [word, i]));
  // Refuse to start on a changed dependency: the entropy argument needs 2048 distinct a-z words after
  // folding, and folding must never merge two words (or a typed word would open the wrong receipt).
  if (words.length !== 2048 || index.size !== 2048 || !folded.every((word) => /^[a-z]+$/.test(word))) {
    throw new Error(
      `The BIP39 ${name} word list is not 2048 distinct words of a-z once accents are dropped.`,
    );
  }
  return {
    words,
    index,
    minLength: Math.min(...folded.map((word) => word.length)),
    maxLength: Math.max(...folded.map((word) => word.length)),
  };
}

// Only lists in the Latin alphabet: a receipt typed back is compared as a-z letters. The Japanese,
// Korean and Chinese lists would need their own input rules; those languages get the English list.
const LISTS: ReadonlyMap<string, WordList> = new Map([
  ['en', wordList('English', english)],
  ['es', wordList('Spanish', spanish)],
  ['pt', wordList('Portuguese', portuguese)],
  ['fr', wordList('French', french)],
  ['it', wordList('Italian', italian)],
  ['cs', wordList('Czech', czech)],
]);
const ENGLISH = LISTS.get('en') as WordList;

/** The word list a page language issues receipts from: its own when BIP39 has one, else English. */
export function receiptLanguage(pageLang: string): string {
  const primary = pageLang.toLowerCase().split('-')[0] ?? '';
  return LISTS.has(primary) ? primary : 'en';
}

/**
 * Returns a new receipt for a page in `pageLang`: 8 words drawn uniformly from that language's list with
 * the OS CSPRNG, spelled as the list spells them (accents included) and joined by hyphens. For English
 * that is already the canonical form; normalizeReceipt gives the canonical form of any.
 */
export function generateReceipt(pageLang = 'en'): string {
  const list = LISTS.get(receiptLanguage(pageLang)) ?? ENGLISH;
  // 11 random bytes are exactly 88 bits, read as eight 11-bit indices: uniform with no rejection
  // because 2048 is a power of two.
  const bytes = randomBytes(RECEIPT_ENTROPY_BITS / 8);
  const words: string[] = [];
  let bits = 0;
  let buffered = 0;
  for (const byte of bytes) {
    buffered = (buffered << 8) | byte;
    bits += 8;
    if (bits >= 11) {
      bits -= 11;
      words.push(wordAt(list, (buffered >>> bits) & 0x7ff));
      buffered &= (1 << bits) - 1;
    }
  }
  return words.join(SEPARATOR);
}

/**
 * Turns whatever a reporter typed into the canonical receipt, or null when it is not exactly 8 known
 * words of one list; never throws, whatever the input. Every list is tried, so a receipt opens its
 * status from any language's site.
 *
 * Forgiving by design, because a reporter copying from paper or a phone must not be locked out:
 * case is ignored; accents, compatibility forms (full-width letters) and invisible characters (soft
 * hyphens, zero-width spaces) are dropped; any run of other non-letters (spaces, tabs, newlines,
 * hyphens, en-dashes, dots, commas, digits from a numbered list) separates words. Words typed
 * without a separator are accepted only when the letters split into 8 known words in exactly one
 * way; an ambiguous run ("add" + "ict..." vs "addict...", or two lists reading it differently)
 * returns null rather than a guess.
 */
export function normalizeReceipt(input: unknown): string | null {
  if (typeof input !== 'string' || input.length > MAX_RECEIPT_INPUT_LENGTH) return null;
  const runs = fold(input)
    .split(/[^a-z]+/)
    .filter((run) => run.length > 0);
  if (runs.length > RECEIPT_WORD_COUNT) return null;
  let found: string | null = null;
  for (const list of LISTS.values()) {
    const words = segment(runs, list);
    if (words === null) continue;
    const canonical = words.join(SEPARATOR);
    // The same words in two lists (a word both lists share) are the same receipt; two readings are not.
    if (found !== null && found !== canonical) return null;
    found = canonical;
  }
  return found;
}

/**
 * Returns the keyed hash stored in place of a receipt (HMAC-SHA-256 with the server secret), so the
 * database alone cannot be used to test guesses or link a receipt to a report.
 */
export function hashReceipt(canonical: string, secret: Buffer): Buffer {
  if (normalizeReceipt(canonical) !== canonical) {
    // A non-canonical value would be stored under a hash no typed receipt can ever match again.
    throw new TypeError('hashReceipt expects a canonical receipt (see normalizeReceipt).');
  }
  assertSecret(secret);
  return createHmac('sha256', secret).update(HASH_DOMAIN).update(canonical, 'utf8').digest();
}

/**
 * Compares two receipt hashes in constant time; a lookup by hash in the database is also fine,
 * because nobody without the secret can choose which hash a guess produces.
 */
export function receiptsEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function assertSecret(secret: Buffer): void {
  if (!Buffer.isBuffer(secret) || secret.length < 32) {
    throw new TypeError('The receipt secret must be a Buffer of at least 32 bytes.');
  }
}

function wordAt(list: WordList, index: number): string {
  const word = list.words[index];
  if (word === undefined) throw new RangeError(`No word at index ${index}.`);
  return word;
}

// Splits letter runs into exactly RECEIPT_WORD_COUNT known words, or null when there is no split or
// more than one. A word never spans two runs. Runs that are already single words (the usual case)
// cost one lookup each; otherwise a small dynamic programme counts splits, capped at 2.
function segment(runs: string[], list: WordList): string[] | null {
  const { index, minLength, maxLength } = list;
  if (runs.length > RECEIPT_WORD_COUNT) return null;
  if (runs.length === RECEIPT_WORD_COUNT) return runs.every((run) => index.has(run)) ? runs : null;

  const text = runs.join('');
  if (text.length > RECEIPT_WORD_COUNT * maxLength) return null;
  // runEnd[i]: where the run containing position i ends, so no word crosses a separator.
  const runEnd: number[] = [];
  for (const run of runs) {
    const end = runEnd.length + run.length;
    for (let i = 0; i < run.length; i += 1) runEnd.push(end);
  }

  const n = text.length;
  const K = RECEIPT_WORD_COUNT;
  // ways[pos * (K + 1) + k]: number of ways (capped at 2) to split text[pos..] into exactly k words,
  // where a split may only finish a word at a run end when pos is a run boundary.
  const ways = new Uint8Array((n + 1) * (K + 1));
  ways[n * (K + 1)] = 1;
  for (let pos = n - 1; pos >= 0; pos -= 1) {
    const limit = runEnd[pos] ?? n;
    // The word lengths that start here, looked up once rather than once per k (six lists are tried).
    const lengths: number[] = [];
    for (let length = minLength; length <= maxLength && pos + length <= limit; length += 1) {
      if (index.has(text.slice(pos, pos + length))) lengths.push(length);
    }
    for (let k = 1; k <= K; k += 1) {
      let count = 0;
      for (const length of lengths) count += ways[(pos + length) * (K + 1) + k - 1] ?? 0;
      ways[pos * (K + 1) + k] = Math.min(count, 2);
    }
  }
  if (ways[K] !== 1) return null;

  const words: string[] = [];
  let pos = 0;
  for (let k = K; k > 0; k -= 1) {
    const limit = runEnd[pos] ?? n;
    for (let length = minLength; length <= maxLength && pos + length <= limit; length += 1) {
      const candidate = text.slice(pos, pos + length);
      if (index.has(candidate) && (ways[(pos + length) * (K + 1) + k - 1] ?? 0) > 0) {
        words.push(candidate);
        pos += length;
        break;
      }
    }
  }
  return words;
}
