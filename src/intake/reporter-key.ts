import { hkdfSync } from 'node:crypto';
import sodium from 'libsodium-wrappers';
import type { DeskKeyPair } from '../reports/seal';

// Messages to the reporter must be readable by whoever holds the receipt and by nobody else, while the
// public site has no desk private key and stores no receipt. So the receipt itself is the key material:
// HKDF-SHA-256 turns it into the seed of an X25519 key pair. The public half is stored with the receipt
// hash; moderators seal their questions to it (the same sealed box as the desk uses); the private half
// exists only for the length of a request that presented the receipt.
//
// The HKDF info label differs from the receipt-hash domain (receipt.ts), and the HKDF output is not an
// HMAC of the receipt under the same prefix, so the stored hash says nothing about this key or the
// reverse. The server secret is the salt: the database alone, even with a receipt guess, is not enough
// to test that guess against the stored public key.

const INFO = Buffer.from('represalia:reporter-box-seed:v1', 'utf8');

/** Derives the reporter's X25519 key pair from their canonical receipt and the server secret. */
export async function deriveReporterKeyPair(canonicalReceipt: string, secret: Buffer): Promise<DeskKeyPair> {
  await sodium.ready;
  const seed = new Uint8Array(
    hkdfSync('sha256', Buffer.from(canonicalReceipt, 'utf8'), secret, INFO, sodium.crypto_box_SEEDBYTES),
  );
  try {
    const { publicKey, privateKey } = sodium.crypto_box_seed_keypair(seed);
    return { publicKey, privateKey };
  } finally {
    sodium.memzero(seed);
  }
}
