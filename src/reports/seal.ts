// Default import on purpose: the CommonJS build adds the crypto functions to its exports only after
// `ready` resolves, and a namespace import (`import * as`) would copy the exports object too early.
import sodium from 'libsodium-wrappers';

// Sealed free text (promise 5): narratives and follow-up messages are encrypted to the moderation
// desk's X25519 public key with libsodium's sealed box (an ephemeral key pair per message), so the
// server can write them but only a holder of the desk private key can read them.
//
// Sealed bytes: version (1) | crypto_box_seal(padded UTF-8 text).

const VERSION = 1;

// Promise 5 and the form both cap free text at 5,000 characters (counted as code points, so that a
// limit counted in UTF-16 units upstream can never be looser); UTF-8 makes that at most 20,000 bytes.
export const MAX_SEALED_CHARACTERS = 5_000;

// Privacy: ciphertext length would otherwise give away the exact length of a narrative to anyone
// holding the database, which can help match a report to a known account of events. The text is
// padded to the next multiple of 512 bytes first (ISO/IEC 7816-4 padding from libsodium: a 0x80 byte
// then zeros, always at least one byte, so it is unambiguous), leaving about 40 sizes in all; most
// short narratives and messages share the smallest one.
export const PADDING_BLOCK_BYTES = 512;

export interface DeskKeyPair {
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}

/** Creates a new X25519 key pair for the moderation desk. */
export async function generateDeskKeyPair(): Promise<DeskKeyPair> {
  await sodium.ready;
  const { publicKey, privateKey } = sodium.crypto_box_keypair();
  return { publicKey, privateKey };
}

/** Encrypts free text to the desk's public key, padded so that its length shows only a 512-byte bucket. */
export async function seal(plaintext: string, deskPublicKey: Uint8Array): Promise<Buffer> {
  await sodium.ready;
  if (typeof plaintext !== 'string') throw new TypeError('Only text can be sealed.');
  if (countCodePoints(plaintext) > MAX_SEALED_CHARACTERS) {
    throw new RangeError(`Sealed text is limited to ${MAX_SEALED_CHARACTERS} characters.`);
  }
  assertKeyLength(deskPublicKey, sodium.crypto_box_PUBLICKEYBYTES, 'public');
  // Lone UTF-16 surrogates, which no browser form can send, are encoded as U+FFFD.
  const encoded = new TextEncoder().encode(plaintext);
  const padded = sodium.pad(encoded, PADDING_BLOCK_BYTES);
  try {
    return Buffer.concat([Buffer.of(VERSION), sodium.crypto_box_seal(padded, deskPublicKey)]);
  } finally {
    // The JavaScript string cannot be wiped, but the copies this function made can.
    sodium.memzero(encoded);
    sodium.memzero(padded);
  }
}

/** Decrypts sealed free text with the desk key pair; throws when the bytes were not sealed to this key. */
export async function open(sealed: Buffer, keyPair: DeskKeyPair): Promise<string> {
  await sodium.ready;
  assertKeyLength(keyPair.publicKey, sodium.crypto_box_PUBLICKEYBYTES, 'public');
  assertKeyLength(keyPair.privateKey, sodium.crypto_box_SECRETKEYBYTES, 'private');
  const boxLength = sealed.length - 1 - sodium.crypto_box_SEALBYTES;
  if (sealed[0] !== VERSION || boxLength < PADDING_BLOCK_BYTES || boxLength % PADDING_BLOCK_BYTES !== 0) {
    throw new SealError('The sealed text has an unknown format.');
  }
  let padded: Uint8Array;
  try {
    padded = sodium.crypto_box_seal_open(sealed.subarray(1), keyPair.publicKey, keyPair.privateKey);
  } catch {
    throw new SealError('The sealed text cannot be opened with this key.');
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(sodium.unpad(padded, PADDING_BLOCK_BYTES));
  } catch {
    throw new SealError('The sealed text is damaged.');
  } finally {
    sodium.memzero(padded);
  }
}

/** Raised when sealed bytes cannot be opened: wrong key, tampering or an unknown format. */
export class SealError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealError';
  }
}

function countCodePoints(text: string): number {
  // A code point takes one or two UTF-16 units, so the unit count bounds it from both sides cheaply.
  if (text.length <= MAX_SEALED_CHARACTERS || text.length > 2 * MAX_SEALED_CHARACTERS) return text.length;
  return [...text].length;
}

function assertKeyLength(key: Uint8Array, expected: number, kind: string): void {
  if (!(key instanceof Uint8Array) || key.length !== expected) {
    throw new TypeError(`The desk ${kind} key must be ${expected} bytes.`);
  }
}
