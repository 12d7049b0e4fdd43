import fc from 'fast-check';
import {
  MAX_SEALED_CHARACTERS,
  PADDING_BLOCK_BYTES,
  SealError,
  generateDeskKeyPair,
  open,
  seal,
  type DeskKeyPair,
} from '../../../src/reports/seal';

// version byte + sealed-box overhead (ephemeral public key 32 + MAC 16)
const OVERHEAD = 1 + 48;
const sealedLength = (text: string) =>
  OVERHEAD + (Math.floor(Buffer.byteLength(text, 'utf8') / PADDING_BLOCK_BYTES) + 1) * PADDING_BLOCK_BYTES;

let desk: DeskKeyPair;
let otherDesk: DeskKeyPair;

beforeAll(async () => {
  desk = await generateDeskKeyPair();
  otherDesk = await generateDeskKeyPair();
});

describe('generateDeskKeyPair', () => {
  it('creates distinct 32-byte X25519 key pairs', () => {
    expect(desk.publicKey).toHaveLength(32);
    expect(desk.privateKey).toHaveLength(32);
    expect(Buffer.from(desk.publicKey).equals(Buffer.from(otherDesk.publicKey))).toBe(false);
  });
});

describe('seal and open', () => {
  it.each([
    ['an empty text', ''],
    ['English', 'They came to the check-in two days after the press conference.'],
    ['Spanish with accents', 'Me detuvieron en la cita de control; pidieron mi teléfono. ¿Por qué?'],
    ['emoji and other planes', '😀 ✊🏽 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \u0000 \u200d'],
    ['the longest narrative, in four-byte characters', '😀'.repeat(MAX_SEALED_CHARACTERS)],
  ])('round-trips %s', async (_name, text) => {
    const sealed = await seal(text, desk.publicKey);
    expect(sealed.length).toBe(sealedLength(text));
    await expect(open(sealed, desk)).resolves.toBe(text);
  });

  it('round-trips arbitrary text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 600 }), async (text) => {
        expect(await open(await seal(text, desk.publicKey), desk)).toBe(text);
      }),
      { numRuns: 100 },
    );
  });

  it('leaves no trace of the plaintext in the sealed bytes', async () => {
    const text = 'CANARY-4f1c2a narrative naming nobody, repeated. '.repeat(20);
    const sealed = await seal(text, desk.publicKey);
    expect(sealed.includes(Buffer.from('CANARY-4f1c2a'))).toBe(false);
    expect(sealed.includes(Buffer.from('CANARY-4f1c2a', 'utf16le'))).toBe(false);
    expect(sealed.toString('latin1')).not.toContain('narrative');
  });

  it('gives different bytes each time the same text is sealed', async () => {
    const first = await seal('same text', desk.publicKey);
    const second = await seal('same text', desk.publicKey);
    expect(first.equals(second)).toBe(false);
  });

  it('hides the length of the text within a 512-byte bucket', async () => {
    const lengths = await Promise.all(
      ['', 'a', 'a'.repeat(511), 'ñ'.repeat(255), 'a'.repeat(512), 'a'.repeat(1023), 'a'.repeat(1024)].map(
        async (text) => (await seal(text, desk.publicKey)).length,
      ),
    );
    expect(lengths).toEqual([561, 561, 561, 561, 1073, 1073, 1585]);
  });

  it('reveals only the bucket for any text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 2000 }), async (text) => {
        const sealed = await seal(text, desk.publicKey);
        expect(sealed.length).toBe(sealedLength(text));
        expect((sealed.length - OVERHEAD) % PADDING_BLOCK_BYTES).toBe(0);
      }),
      { numRuns: 100 },
    );
  });

  it(`refuses more than ${MAX_SEALED_CHARACTERS} characters`, async () => {
    await expect(seal('a'.repeat(MAX_SEALED_CHARACTERS + 1), desk.publicKey)).rejects.toThrow(RangeError);
    await expect(seal('😀'.repeat(MAX_SEALED_CHARACTERS + 1), desk.publicKey)).rejects.toThrow(RangeError);
  });

  it('refuses a public key of the wrong size', async () => {
    await expect(seal('text', desk.publicKey.subarray(0, 31))).rejects.toThrow(TypeError);
  });

  it('cannot be opened with another desk key', async () => {
    const sealed = await seal('for the desk only', desk.publicKey);
    await expect(open(sealed, otherDesk)).rejects.toThrow(SealError);
    await expect(
      open(sealed, { publicKey: desk.publicKey, privateKey: otherDesk.privateKey }),
    ).rejects.toThrow(SealError);
  });

  it('refuses tampered, truncated and foreign bytes', async () => {
    const sealed = await seal('for the desk only', desk.publicKey);
    await fc.assert(
      fc.asyncProperty(fc.nat(sealed.length * 8 - 1), async (bit) => {
        const tampered = Buffer.from(sealed);
        tampered[bit >> 3]! ^= 1 << (bit & 7);
        await expect(open(tampered, desk)).rejects.toThrow(SealError);
      }),
      { numRuns: 200 },
    );
    await expect(open(sealed.subarray(0, sealed.length - 1), desk)).rejects.toThrow(SealError);
    await expect(open(Buffer.alloc(0), desk)).rejects.toThrow(SealError);
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 1200 }), async (bytes) => {
        await expect(open(Buffer.from(bytes), desk)).rejects.toThrow(SealError);
      }),
      { numRuns: 200 },
    );
  });
});
