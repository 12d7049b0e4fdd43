import { Secret, TOTP } from 'otpauth';

// Time-based one-time codes (RFC 6238: SHA-1, 6 digits, 30 s), what every authenticator app speaks.

const PERIOD = 30;
const ISSUER = 'Represalia';

/** A new random TOTP secret (160 bits), as base32 for the authenticator app. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totpFor(secretBase32: string, username: string): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label: username,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD,
    secret: Secret.fromBase32(secretBase32),
  });
}

/**
 * The time step of a valid code (one step either side of now, for clock drift), or null. The caller
 * accepts it only when the step is later than the last accepted one, so a code works once.
 */
export function matchTotpStep(secretBase32: string, code: string, now: Date): number | null {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const totp = totpFor(secretBase32, 'x');
  const delta = totp.validate({ token, timestamp: now.getTime(), window: 1 });
  if (delta === null) return null;
  return totp.counter({ timestamp: now.getTime() }) + delta;
}

/** The otpauth:// URI an authenticator app scans. */
export function totpUri(secretBase32: string, username: string): string {
  return totpFor(secretBase32, username).toString();
}

/**
 * The QR code of the otpauth URI as SVG markup, inlined in the enrolment page: an <img> data URL would
 * break img-src 'self', and the CSP forbids inline styles, so the markup is checked to carry none.
 */
export async function totpQrSvg(uri: string, label: string): Promise<string> {
  // Loaded on first enrolment rather than at start-up (~25 ms of a restart's 3 s: DESIGN section 7).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const QRCode = require('qrcode') as typeof import('qrcode');
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  if (/\sstyle\s*=|<style|<script|\son\w+\s*=/i.test(svg))
    throw new Error('QR code SVG must not carry styles or scripts.');
  const safeLabel = label.replace(/[^A-Za-z0-9 .:_-]/g, '');
  return svg.replace('<svg ', `<svg class="totp-qr" role="img" aria-label="${safeLabel}" `);
}
