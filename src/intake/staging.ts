import { createHmac, hkdfSync } from 'node:crypto';
import sodium from 'libsodium-wrappers';
import { z } from 'zod';
import type { CodedFields, IsoDate } from '../reports/types';

// Promise 1 against PostgreSQL's own records. A report committed in a transaction of its own leaves
// its arrival time in the WAL (each commit record carries a microsecond timestamp) and its order in
// xmin and in heap order. So a submission is first staged as one opaque row, and a daily move
// (move.ts) inserts the day's reports in random order, in one transaction, into the real tables.
//
// The staged row is an AEAD ciphertext under a key derived from RECEIPT_SECRET, which is not in the
// database: the server can open it at move time, a copy of the database (or of its WAL) cannot. Inside
// it the narrative or message is already sealed to the desk key, as in the tables it will move to.
// Every staged row has the same length whatever it holds (a report or a follow-up message, a short
// narrative or a long one), so neither the row nor its WAL record says which report it became: sizes
// are a link too, since reports.narrative_sealed shows its 512-byte bucket.
//
// Stored bytes: nonce (24) | XChaCha20-Poly1305(padded plaintext, ad = AD_DOMAIN | lookup)
// Plaintext:    version (1) | header length (2, big-endian) | header JSON | sealed text (may be empty)

const VERSION = 1;
const KEY_INFO = Buffer.from('represalia:intake-staging-key:v1', 'utf8');
const AD_DOMAIN = Buffer.from('represalia:staged-row:v1\0', 'utf8');
// Domain separation from receipts.hash (receipt.ts: 'represalia:receipt-hash:v1\0'): both are HMACs
// under RECEIPT_SECRET, neither prefix is a prefix of the other, so a WAL remnant of a staged row's
// lookup key cannot be matched to the receipts row the report moves into.
const LOOKUP_DOMAIN = Buffer.from('represalia:staged-lookup:v1\0', 'utf8');

/**
 * Plaintext size of every staged row: the longest sealed text (5,000 characters of 4 UTF-8 bytes, padded
 * to 20,480, plus 49 bytes of sealing) and the largest header (every code ticked) fit with room to spare.
 */
export const STAGED_PLAINTEXT_BYTES = 24_576;
const NONCE_BYTES = 24;
const TAG_BYTES = 16;
/** What every staged row weighs in the database. */
export const STAGED_ROW_BYTES = NONCE_BYTES + STAGED_PLAINTEXT_BYTES + TAG_BYTES;

/**
 * Slot 0 holds a staged report; slots 1…MAX its reporter's follow-up messages not yet moved. Each slot
 * has its own lookup key, so staged rows of one thread cannot be told apart as one thread, and the slot
 * number orders the messages without a time.
 */
export const MAX_STAGED_MESSAGES = 20;

export interface StagedReport extends CodedFields {
  kind: 'report';
  receivedOn: IsoDate;
  /** receipts.hash of the receipt, so the move can write the receipts row. */
  receiptHash: Buffer;
  reporterPublicKey: Buffer;
  narrativeSealed: Buffer | null;
}

export interface StagedMessage {
  kind: 'message';
  sentOn: IsoDate;
  /** receipts.hash of the thread's receipt: the move finds the report by it. */
  receiptHash: Buffer;
  /** Order within the thread among the messages staged together. */
  slot: number;
  bodySealed: Buffer;
}

export type Staged = StagedReport | StagedMessage;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const bytes = (length: number) =>
  z
    .string()
    .regex(/^[0-9a-f]*$/)
    .transform((hex) => Buffer.from(hex, 'hex'))
    .refine((buffer) => buffer.length === length);
const codes = z.array(z.string().max(64)).max(64);
const Header = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('report'),
    receivedOn: isoDate,
    receiptHash: bytes(32),
    reporterPublicKey: bytes(32),
    state: z.string().max(8),
    fieldOffice: z.string().max(8).nullable(),
    incidentMonth: isoDate,
    targetRole: z.string().max(64),
    actionTypes: codes,
    activismTypes: codes,
    evidenceTypes: codes,
    hasNarrative: z.boolean(),
  }),
  z.object({
    kind: z.literal('message'),
    sentOn: isoDate,
    receiptHash: bytes(32),
    slot: z.number().int().min(1).max(MAX_STAGED_MESSAGES),
  }),
]);

/** The AEAD key for staged rows, derived from RECEIPT_SECRET under its own label. */
export function stagingKey(receiptSecret: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', receiptSecret, Buffer.alloc(0), KEY_INFO, 32));
}

/** The lookup key of one slot of a receipt's staged rows (canonical receipt; see receipt.ts). */
export function stagedLookup(canonicalReceipt: string, slot: number, receiptSecret: Buffer): Buffer {
  return createHmac('sha256', receiptSecret)
    .update(LOOKUP_DOMAIN)
    .update(`${canonicalReceipt}\0${slot}`, 'utf8')
    .digest();
}

/** The lookup keys of every slot of a receipt, slot 0 first. */
export function stagedLookups(canonicalReceipt: string, receiptSecret: Buffer): Buffer[] {
  return Array.from({ length: MAX_STAGED_MESSAGES + 1 }, (_, slot) =>
    stagedLookup(canonicalReceipt, slot, receiptSecret),
  );
}

/** Encrypts a staged report or message into the fixed-size bytes of its row. */
export async function sealStaged(item: Staged, lookup: Buffer, key: Buffer): Promise<Buffer> {
  await sodium.ready;
  const { header, text } =
    item.kind === 'report'
      ? {
          header: {
            ...item,
            receiptHash: item.receiptHash.toString('hex'),
            reporterPublicKey: item.reporterPublicKey.toString('hex'),
            narrativeSealed: undefined,
            hasNarrative: item.narrativeSealed !== null,
          },
          text: item.narrativeSealed ?? Buffer.alloc(0),
        }
      : {
          header: { ...item, receiptHash: item.receiptHash.toString('hex'), bodySealed: undefined },
          text: item.bodySealed,
        };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const plain = Buffer.alloc(3 + json.length + text.length);
  plain[0] = VERSION;
  plain.writeUInt16BE(json.length, 1);
  json.copy(plain, 3);
  text.copy(plain, 3 + json.length);
  if (plain.length >= STAGED_PLAINTEXT_BYTES) throw new RangeError('A staged submission is too large.');
  const padded = sodium.pad(plain, STAGED_PLAINTEXT_BYTES);
  const nonce = sodium.randombytes_buf(NONCE_BYTES);
  try {
    const box = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
      padded,
      Buffer.concat([AD_DOMAIN, lookup]),
      null,
      nonce,
      key,
    );
    return Buffer.concat([nonce, box]);
  } finally {
    sodium.memzero(padded);
  }
}

/**
 * Decrypts a staged row; null when it cannot be opened (another RECEIPT_SECRET, a damaged or moved row),
 * so one bad row never blocks the others.
 */
export async function openStaged(sealed: Buffer, lookup: Buffer, key: Buffer): Promise<Staged | null> {
  await sodium.ready;
  if (sealed.length !== STAGED_ROW_BYTES) return null;
  let padded: Uint8Array;
  try {
    padded = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      sealed.subarray(NONCE_BYTES),
      Buffer.concat([AD_DOMAIN, lookup]),
      sealed.subarray(0, NONCE_BYTES),
      key,
    );
  } catch {
    return null;
  }
  try {
    const plain = Buffer.from(sodium.unpad(padded, STAGED_PLAINTEXT_BYTES));
    if (plain[0] !== VERSION) return null;
    const headerEnd = 3 + plain.readUInt16BE(1);
    const parsed = Header.safeParse(JSON.parse(plain.subarray(3, headerEnd).toString('utf8')));
    if (!parsed.success) return null;
    const text = Buffer.from(plain.subarray(headerEnd));
    if (parsed.data.kind === 'message') return { ...parsed.data, bodySealed: text };
    const { hasNarrative, ...report } = parsed.data;
    return { ...report, narrativeSealed: hasNarrative ? text : null };
  } catch {
    return null;
  } finally {
    sodium.memzero(padded);
  }
}

/** The day a staged row belongs to: the date the reporter was shown. */
export function stagedDay(item: Staged): IsoDate {
  return item.kind === 'report' ? item.receivedOn : item.sentOn;
}
