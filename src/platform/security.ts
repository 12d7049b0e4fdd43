import { createHmac, randomBytes } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import helmet from 'helmet';
import { proxiedClient } from './proxy-protocol';

/**
 * Security headers for promise 2: a strict CSP with no inline script or style and nothing from a third
 * party, no referrer, no framing, and a Permissions-Policy that turns off every powerful feature.
 */
export function securityHeaders(options: { https: boolean; onionOrigin?: string }): RequestHandler[] {
  const permissionsPolicy = [
    'accelerometer=()',
    'camera=()',
    'geolocation=()',
    'gyroscope=()',
    'magnetometer=()',
    'microphone=()',
    'payment=()',
    'usb=()',
    'interest-cohort=()',
    'browsing-topics=()',
  ].join(', ');
  return [
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          'default-src': ["'none'"],
          'script-src': ["'self'"],
          'style-src': ["'self'"],
          'img-src': ["'self'"],
          'font-src': ["'self'"],
          'connect-src': ["'self'"],
          'manifest-src': ["'self'"],
          'form-action': ["'self'"],
          'frame-ancestors': ["'none'"],
          'base-uri': ["'none'"],
          'object-src': ["'none'"],
          ...(options.https ? { 'upgrade-insecure-requests': [] } : {}),
        },
      },
      referrerPolicy: { policy: 'no-referrer' },
      strictTransportSecurity: options.https ? { maxAge: 63072000, includeSubDomains: true } : false,
      xPoweredBy: false,
    }),
    (_req, res, next) => {
      res.setHeader('Permissions-Policy', permissionsPolicy);
      // Tor Browser offers the onion address to visitors of the clear-web site.
      if (options.onionOrigin) res.setHeader('Onion-Location', options.onionOrigin);
      next();
    },
  ];
}

/** Turns a request into its rate-limit key: a keyed hash of the client, never the address itself. */
export interface ClientKeyer {
  key(req: Request): Promise<string>;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Rate-limit keys: a keyed hash of the client address under a secret that is replaced at every multiple of
 * `rotateMs` since the epoch. Promise 1: the raw address is never stored, and once a period is over its
 * counters cannot be linked back to an address.
 *
 * One instance: the secret is random and lives only in this process's memory. Several instances sharing
 * counters in Redis must key a client alike, so each period's secret is derived from `shared` (a secret
 * every instance is configured with), never stored: an earlier version kept it in Redis beside the
 * counters, where one read of Redis was enough to hash every IPv4 address and name who was counted.
 * Now that takes Redis and the server's configuration together.
 */
export function createClientKeyer(
  options: { shared?: Buffer; rotateMs?: number; now?: () => number } = {},
): ClientKeyer {
  const rotateMs = options.rotateMs ?? DAY_MS;
  const now = options.now ?? Date.now;
  let current: { period: number; secret: Buffer } | undefined;

  function secretFor(time: number): Buffer {
    const period = Math.floor(time / rotateMs);
    if (current?.period !== period) {
      const secret = options.shared
        ? createHmac('sha256', options.shared).update(`represalia:client-keyer:${period}`).digest()
        : randomBytes(32);
      current = { period, secret };
    }
    return current.secret;
  }

  return {
    key(req) {
      // From the onion listener: the Tor circuit (or the PROXY header's source), never X-Forwarded-For,
      // which an onion visitor could set to anything. Hashed like an address, never logged or stored.
      const proxied = proxiedClient(req.socket);
      // The only read of the client address in the app; it goes straight into the HMAC. IPv6 addresses
      // are cut to their /56 first, or one client could rotate through its prefix to dodge the limits.
      const address =
        proxied === undefined
          ? // eslint-disable-next-line no-restricted-properties
            ipKeyGenerator(req.ip ?? 'unknown', 56)
          : (proxied ?? 'proxied:unknown');
      const secret = secretFor(now());
      return Promise.resolve(createHmac('sha256', secret).update(address).digest('base64url').slice(0, 22));
    },
  };
}
