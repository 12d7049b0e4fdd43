import { createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import {
  DEFAULT_FORM_TOKEN_MAX_AGE_MINUTES,
  issueFormToken,
  verifyFormToken,
} from '../../../src/intake/form-token';
import { isSameOriginRequest } from '../../../src/platform/same-origin';
import { generateReceipt, hashReceipt } from '../../../src/intake/receipt';

const secret = randomBytes(32);
const issuedAt = new Date('2026-03-14T12:00:30Z');
const minutes = (n: number) => new Date(issuedAt.getTime() + n * 60_000);

// Replaces the signature of a token with other bytes, keeping the payload.
function withSignature(token: string, signature: Buffer): string {
  const bytes = Buffer.from(token, 'base64url');
  return Buffer.concat([bytes.subarray(0, bytes.length - 32), signature]).toString('base64url');
}

describe('issueFormToken and verifyFormToken', () => {
  it('accept a fresh token and return its nonce and expiry for the single-use check', () => {
    const token = issueFormToken(secret, issuedAt);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    const check = verifyFormToken(token, secret, minutes(1));
    expect(check).toEqual({
      ok: true,
      nonce: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      expiresAt: expect.any(Date),
    });
    // Minute precision: the issue time is 12:00:30, counted from 12:00.
    expect(check.ok && check.expiresAt.toISOString()).toBe('2026-03-14T14:00:00.000Z');
    expect(DEFAULT_FORM_TOKEN_MAX_AGE_MINUTES).toBe(120);
  });

  it('give every token its own nonce, and the same nonce on every check of one token', () => {
    const first = issueFormToken(secret, issuedAt);
    const second = issueFormToken(secret, issuedAt);
    expect(first).not.toBe(second);
    const a = verifyFormToken(first, secret, issuedAt);
    const b = verifyFormToken(second, secret, issuedAt);
    const again = verifyFormToken(first, secret, minutes(5));
    expect(a.ok && b.ok && again.ok).toBe(true);
    if (a.ok && b.ok && again.ok) {
      expect(a.nonce).not.toBe(b.nonce);
      expect(again.nonce).toBe(a.nonce);
    }
  });

  it('expire at the end of the maximum age', () => {
    const token = issueFormToken(secret, issuedAt);
    expect(verifyFormToken(token, secret, new Date('2026-03-14T13:59:59.999Z')).ok).toBe(true);
    expect(verifyFormToken(token, secret, new Date('2026-03-14T14:00:00Z'))).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(verifyFormToken(token, secret, minutes(60 * 24 * 365))).toEqual({ ok: false, reason: 'expired' });
    expect(verifyFormToken(token, secret, minutes(10), 10)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyFormToken(token, secret, minutes(9), 10).ok).toBe(true);
  });

  it('tolerate a small clock difference between servers, but not a token from the far future', () => {
    const token = issueFormToken(secret, issuedAt);
    expect(verifyFormToken(token, secret, minutes(-2)).ok).toBe(true);
    expect(verifyFormToken(token, secret, minutes(-10))).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuse a token signed with another secret', () => {
    const token = issueFormToken(randomBytes(32), issuedAt);
    expect(verifyFormToken(token, secret, issuedAt)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuse any changed character', () => {
    const token = issueFormToken(secret, issuedAt);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    fc.assert(
      fc.property(fc.nat(token.length - 1), fc.constantFrom(...alphabet), (index, char) => {
        fc.pre(token[index] !== char);
        const tampered = token.slice(0, index) + char + token.slice(index + 1);
        expect(verifyFormToken(tampered, secret, issuedAt).ok).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('refuse any flipped bit, and a payload moved in time under the old signature', () => {
    const token = issueFormToken(secret, issuedAt);
    const bytes = Buffer.from(token, 'base64url');
    fc.assert(
      fc.property(fc.nat(bytes.length * 8 - 1), (bit) => {
        const flipped = Buffer.from(bytes);
        flipped[bit >> 3]! ^= 1 << (bit & 7);
        expect(verifyFormToken(flipped.toString('base64url'), secret, issuedAt).ok).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('refuse another spelling of the same bytes, so each token has exactly one text form', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const token = issueFormToken(secret, issuedAt);
    // 53 bytes leave the two low bits of the last character unused: flipping them decodes the same.
    const last = alphabet.indexOf(token.at(-1)!);
    const variant = token.slice(0, -1) + alphabet[last ^ 1]!;
    expect(Buffer.from(variant, 'base64url').equals(Buffer.from(token, 'base64url'))).toBe(true);
    expect(verifyFormToken(variant, secret, issuedAt)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuse truncated, extended and padded tokens as malformed', () => {
    const token = issueFormToken(secret, issuedAt);
    for (const bad of [token.slice(0, -1), `${token}A`, `${token}=`, ` ${token}`, token.replace(/.$/, '+')]) {
      expect(verifyFormToken(bad, secret, issuedAt)).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('cannot be forged from a receipt hash or a bare HMAC made with the same secret', () => {
    const token = issueFormToken(secret, issuedAt);
    const payload = Buffer.from(token, 'base64url').subarray(0, -32);
    const bare = createHmac('sha256', secret).update(payload).digest();
    const receiptHash = hashReceipt(generateReceipt(), secret);
    expect(verifyFormToken(withSignature(token, bare), secret, issuedAt)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifyFormToken(withSignature(token, receiptHash), secret, issuedAt)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('never throw on arbitrary input, and accept none of it', () => {
    const anyToken = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.string({ unit: 'grapheme', minLength: 60, maxLength: 80 }),
      fc.stringMatching(/^[A-Za-z0-9_-]{71}$/),
      fc
        .uint8Array({ minLength: 53, maxLength: 53 })
        .map((bytes) => Buffer.from(bytes).toString('base64url')),
      fc.constantFrom('__proto__', 'constructor', 'toString', 'x'.repeat(5_000_000)),
      fc.anything(),
    );
    fc.assert(
      fc.property(anyToken, (token) => {
        expect(verifyFormToken(token, secret, issuedAt).ok).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuse a bad secret, clock or maximum age, which are programming errors', () => {
    expect(() => issueFormToken(Buffer.alloc(8), issuedAt)).toThrow(TypeError);
    expect(() => issueFormToken(secret, new Date(Number.NaN))).toThrow(RangeError);
    const token = issueFormToken(secret, issuedAt);
    expect(() => verifyFormToken(token, secret, issuedAt, 0)).toThrow(RangeError);
    expect(() => verifyFormToken(token, secret, issuedAt, 1.5)).toThrow(RangeError);
  });
});

describe('isSameOriginRequest', () => {
  const site = 'https://represalia.example';
  const onion = 'http://represaliaexampleonionaddressxxxxxxxxxxxxxxxxxxxxxx.onion';

  it.each([
    ['Sec-Fetch-Site same-origin', { secFetchSite: 'same-origin' }],
    ['Sec-Fetch-Site none (typed or bookmarked)', { secFetchSite: 'none' }],
    [
      'Sec-Fetch-Site same-origin with Origin null from Referrer-Policy no-referrer',
      { secFetchSite: 'same-origin', origin: 'null' },
    ],
    ['Sec-Fetch-Site in capitals', { secFetchSite: ' Same-Origin ' }],
    ['our Origin without Sec-Fetch-Site', { origin: site }],
    ['our onion Origin without Sec-Fetch-Site', { origin: onion }],
    ['no headers at all (old browsers, tests, curl)', {}],
    ['Origin null without Sec-Fetch-Site', { origin: 'null' }],
  ])('accepts %s', (_name, headers) => {
    expect(isSameOriginRequest(headers, [site, onion])).toBe(true);
  });

  it.each([
    ['Sec-Fetch-Site cross-site', { secFetchSite: 'cross-site' }],
    ['Sec-Fetch-Site same-site', { secFetchSite: 'same-site' }],
    ['Sec-Fetch-Site cross-site even with our Origin', { secFetchSite: 'cross-site', origin: site }],
    ['an unknown Sec-Fetch-Site value', { secFetchSite: 'same-origin, cross-site' }],
    ['another Origin', { origin: 'https://evil.example' }],
    ['our host over another scheme', { origin: 'http://represalia.example' }],
    ['our host on another port', { origin: 'https://represalia.example:8443' }],
    ['our origin as a prefix', { origin: 'https://represalia.example.evil.example' }],
  ])('refuses %s', (_name, headers) => {
    expect(isSameOriginRequest(headers, [site, onion])).toBe(false);
  });

  it('accepts a single allowed origin, normalized like a browser serializes it', () => {
    expect(
      isSameOriginRequest({ origin: 'https://represalia.example' }, 'HTTPS://Represalia.Example:443/'),
    ).toBe(true);
  });

  it('never throws on arbitrary header values', () => {
    fc.assert(
      fc.property(fc.option(fc.string()), fc.option(fc.string()), (origin, secFetchSite) => {
        const result = isSameOriginRequest(
          { origin: origin ?? undefined, secFetchSite: secFetchSite ?? undefined },
          site,
        );
        expect(typeof result).toBe('boolean');
      }),
    );
  });
});
