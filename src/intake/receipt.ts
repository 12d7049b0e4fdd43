import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
// The package exports only the `.js` subpath. It is an ES module: Node >= 20.19 loads it through
// require(), and jest transforms @scure (jest.config.js), so the CommonJS build works in both.
import { wordlist } from '@scure/bip39/wordlists/english.js';

// A receipt is 8 words from the 2048-word BIP39 English list: 8 × 11 = 88 bits of entropy, enough
// that guessing a live receipt is hopeless even without the rate limits, and short enough to copy
// onto paper. The canonical form is the lowercase words joined by hyphens.

export const RECEIPT_WORD_COUNT = 8;
export const RECEIPT_ENTROPY_BITS = RECEIPT_WORD_COUNT * 11;

// Anything longer is not a receipt someone typed; refusing it first bounds the work an attacker can cause.
export const MAX_RECEIPT_INPUT_LENGTH = 300;

// Domain separation: the receipt secret also signs form tokens (form-token.ts uses its own prefix).
// Both prefixes end in NUL and neither is a prefix of the other, so no receipt hash can ever equal a
// form-token signature, nor the reverse.
const HASH_DOMAIN = Buffer.from('represalia:receipt-hash:v1\0', 'utf8');

const SEPARATOR = '-';
const WORD_INDEX: ReadonlyMap<string, number> = new Map(wordlist.map((word, index) => [word, index]));
const MIN_WORD_LENGTH = Math.min(...wordlist.map((word) => word.length));
const MAX_WORD_LENGTH = Math.max(...wordlist.map((word) => word.length));

// Refuse to start on a changed dependency: the entropy argument needs exactly 2048 distinct a-z words.
if (
  wordlist.length !== 2048 ||
  WORD_INDEX.size !== 2048 ||
  !wordlist.every((word) => /^[a-z]+$/.test(word))
) {
  throw new Error('The BIP39 English word list is not the expected 2048 distinct lowercase words.');
}

/** Returns a new receipt in canonical form: 8 words drawn uniformly from the list with the OS CSPRNG. */
export function generateReceipt(): string {
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
      words.push(wordAt((buffered >>> bits) & 0x7ff));
      buffered &= (1 << bits) - 1;
    }
  }
  return words.join(SEPARATOR);
}

/**
 * Turns whatever a reporter typed into the canonical receipt, or null when it is not exactly 8 known
 * words; never throws, whatever the input.
 *
 * Forgiving by design, because a reporter copying from paper or a phone must not be locked out:
 * case is ignored; accents, compatibility forms (full-width letters) and invisible characters (soft
 * hyphens, zero-width spaces) are dropped; any run of other non-letters (spaces, tabs, newlines,
 * hyphens, en-dashes, dots, commas, digits from a numbered list) separates words. Words typed
 * without a separator are accepted only when the letters split into 8 known words in exactly one
 * way; an ambiguous run ("add" + "ict..." vs "addict...") returns null rather than a guess.
 */
export function normalizeReceipt(input: unknown): string | null {
  if (typeof input !== 'string' || input.length > MAX_RECEIPT_INPUT_LENGTH) return null;
  const runs = input
    .normalize('NFKD')
    .replace(/[\p{M}\p{Cf}]/gu, '')
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((run) => run.length > 0);
  const words = segment(runs);
  return words === null ? null : words.join(SEPARATOR);
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

function wordAt(index: number): string {
  const word = wordlist[index];
  if (word === undefined) throw new RangeError(`No word at index ${index}.`);
  return word;
}

// Splits letter runs into exactly RECEIPT_WORD_COUNT known words, or null when there is no split or
// more than one. A word never spans two runs. Runs that are already single words (the usual case)
// cost one lookup each; otherwise a small dynamic programme counts splits, capped at 2.
function segment(runs: string[]): string[] | null {
  if (runs.length > RECEIPT_WORD_COUNT) return null;
  if (runs.length === RECEIPT_WORD_COUNT) return runs.every((run) => WORD_INDEX.has(run)) ? runs : null;

  const text = runs.join('');
  if (text.length > RECEIPT_WORD_COUNT * MAX_WORD_LENGTH) return null;
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
    for (let k = 1; k <= K; k += 1) {
      let count = 0;
      for (let length = MIN_WORD_LENGTH; length <= MAX_WORD_LENGTH && pos + length <= limit; length += 1) {
        if (!WORD_INDEX.has(text.slice(pos, pos + length))) continue;
        count += ways[(pos + length) * (K + 1) + k - 1] ?? 0;
      }
      ways[pos * (K + 1) + k] = Math.min(count, 2);
    }
  }
  if (ways[K] !== 1) return null;

  const words: string[] = [];
  let pos = 0;
  for (let k = K; k > 0; k -= 1) {
    const limit = runEnd[pos] ?? n;
    for (let length = MIN_WORD_LENGTH; length <= MAX_WORD_LENGTH && pos + length <= limit; length += 1) {
      const candidate = text.slice(pos, pos + length);
      if (WORD_INDEX.has(candidate) && (ways[(pos + length) * (K + 1) + k - 1] ?? 0) > 0) {
        words.push(candidate);
        pos += length;
        break;
      }
    }
  }
  return words;
}
