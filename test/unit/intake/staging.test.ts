import { hashReceipt } from '../../../src/intake/receipt';
import { msUntilNextMove } from '../../../src/intake/move-schedule';
import { shuffled } from '../../../src/intake/move';
import {
  openStaged,
  sealStaged,
  STAGED_ROW_BYTES,
  stagedLookup,
  stagedLookups,
  stagingKey,
  type StagedReport,
} from '../../../src/intake/staging';
import { MAX_SEALED_CHARACTERS, generateDeskKeyPair, seal } from '../../../src/reports/seal';

// The staged row's cryptography: opaque without the server secret, one size for everything, and a lookup
// key that cannot be matched to receipts.hash.

const SECRET = Buffer.alloc(32, 7);
const RECEIPT = 'abandon-ability-able-about-above-absent-absorb-abstract';
const key = stagingKey(SECRET);

async function everyCodeReport(): Promise<StagedReport> {
  const desk = await generateDeskKeyPair();
  const codes = (prefix: string, n: number) =>
    Array.from({ length: n }, (_, i) => `${prefix}_${'x'.repeat(20)}${i}`);
  return {
    kind: 'report',
    receivedOn: '2026-11-27',
    receiptHash: hashReceipt(RECEIPT, SECRET),
    reporterPublicKey: Buffer.alloc(32, 3),
    state: 'TX',
    fieldOffice: 'HOU',
    incidentMonth: '2026-03-01',
    targetRole: 'organizer',
    // More codes than the code lists hold, each longer than any real code.
    actionTypes: codes('a', 20),
    activismTypes: codes('b', 20),
    evidenceTypes: codes('c', 20),
    narrativeSealed: await seal('🌵'.repeat(MAX_SEALED_CHARACTERS), desk.publicKey),
  };
}

describe('staged rows', () => {
  it('round-trip a report with every code and the longest narrative, at the one fixed size', async () => {
    const report = await everyCodeReport();
    const lookup = stagedLookup(RECEIPT, 0, SECRET);
    const sealed = await sealStaged(report, lookup, key);
    expect(sealed).toHaveLength(STAGED_ROW_BYTES);
    expect(await openStaged(sealed, lookup, key)).toEqual(report);
    const short = await sealStaged(
      { ...report, narrativeSealed: null, actionTypes: ['arrest'] },
      lookup,
      key,
    );
    expect(short).toHaveLength(STAGED_ROW_BYTES);
    const message = await sealStaged(
      {
        kind: 'message',
        sentOn: '2026-11-27',
        receiptHash: report.receiptHash,
        slot: 3,
        bodySealed: Buffer.alloc(561, 1),
      },
      stagedLookup(RECEIPT, 3, SECRET),
      key,
    );
    expect(message).toHaveLength(STAGED_ROW_BYTES);
  });

  it('cannot be opened with another secret, under another lookup key, or once changed', async () => {
    const report = await everyCodeReport();
    const lookup = stagedLookup(RECEIPT, 0, SECRET);
    const sealed = await sealStaged(report, lookup, key);
    expect(await openStaged(sealed, lookup, stagingKey(Buffer.alloc(32, 8)))).toBeNull();
    expect(await openStaged(sealed, stagedLookup(RECEIPT, 1, SECRET), key)).toBeNull();
    const flipped = Buffer.from(sealed);
    flipped[100] = (flipped[100] ?? 0) ^ 1;
    expect(await openStaged(flipped, lookup, key)).toBeNull();
    expect(await openStaged(sealed.subarray(1), lookup, key)).toBeNull();
  });

  it('show nothing of what they hold: no code, date or receipt hash in the bytes', async () => {
    const report = await everyCodeReport();
    const sealed = await sealStaged(report, stagedLookup(RECEIPT, 0, SECRET), key);
    for (const needle of ['2026-11-27', 'organizer', 'HOU', report.receiptHash.toString('hex')]) {
      expect(sealed.includes(Buffer.from(needle))).toBe(false);
    }
    expect(sealed.includes(report.receiptHash)).toBe(false);
  });

  it('have lookup keys that differ per slot and from the receipt hash', () => {
    const lookups = stagedLookups(RECEIPT, SECRET);
    expect(new Set(lookups.map((lookup) => lookup.toString('hex'))).size).toBe(lookups.length);
    expect(lookups.some((lookup) => lookup.equals(hashReceipt(RECEIPT, SECRET)))).toBe(false);
    expect(stagedLookup(RECEIPT, 0, Buffer.alloc(32, 8)).equals(lookups[0]!)).toBe(false);
  });
});

describe('the move', () => {
  it('shuffles into every order, uniformly enough', () => {
    const seen = new Map<string, number>();
    for (let run = 0; run < 6000; run += 1) {
      const order = shuffled([1, 2, 3]).join('');
      seen.set(order, (seen.get(order) ?? 0) + 1);
    }
    expect(seen.size).toBe(6);
    for (const count of seen.values()) expect(count).toBeGreaterThan(800);
  });

  it('runs a few seconds after each UTC midnight', () => {
    const noon = Date.parse('2026-11-27T12:00:00Z');
    expect(noon + msUntilNextMove(noon)).toBe(Date.parse('2026-11-28T00:00:05Z'));
    const justAfter = Date.parse('2026-11-28T00:00:06Z');
    expect(justAfter + msUntilNextMove(justAfter)).toBe(Date.parse('2026-11-29T00:00:05Z'));
  });
});
