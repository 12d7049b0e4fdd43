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

/**
 * Rate-limit keys: a keyed hash of the client address under a secret that lives only in memory and is
 * replaced every `rotateMs`. Promise 1: the raw address is never stored, and after rotation even the
 * counters cannot be linked back to an address by someone who seizes the server.
 */
export function createClientKeyer(rotateMs = 24 * 60 * 60 * 1000): {
  key(req: Request): string;
  stop(): void;
} {
  let secret = randomBytes(32);
  const timer = setInterval(() => {
    secret = randomBytes(32);
  }, rotateMs);
  timer.unref();
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
      return createHmac('sha256', secret).update(address).digest('base64url').slice(0, 22);
    },
    stop() {
      clearInterval(timer);
    },
  };
}
