import { createHmac, randomBytes } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import helmet from 'helmet';
import type Redis from 'ioredis';
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
// After Redis failed to give the shared secret, this process keys with a secret of its own for a while
// (each instance then limits on its own, as without Redis) rather than failing the request.
const RETRY_SHARED_MS = 10_000;

/**
 * Rate-limit keys: a keyed hash of the client address under a secret that lives only in memory and is
 * replaced at every multiple of `rotateMs` since the epoch. Promise 1: the raw address is never stored,
 * and after rotation even the counters cannot be linked back to an address by someone who seizes the server.
 *
 * With Redis (run without persistence) the secret of each period is kept there, so every instance
 * behind the load balancer computes the same key for a client and the shared counters limit the client
 * once, not once per instance. It sits in Redis's memory beside the counters it keys, as it sat in the
 * process's memory beside them before; it expires a minute after its period ends, and with it any way to
 * link what is left to an address.
 */
export function createClientKeyer(
  options: { redis?: Redis; rotateMs?: number; now?: () => number; prefix?: string } = {},
): ClientKeyer {
  const rotateMs = options.rotateMs ?? DAY_MS;
  const now = options.now ?? Date.now;
  const prefix = options.prefix ?? 'represalia:keyer:';
  let current: { period: number; until: number; secret: Promise<Buffer> } | undefined;

  async function shared(redis: Redis, period: number): Promise<Buffer> {
    const name = `${prefix}${period}`;
    const ttl = Math.max(1, (period + 1) * rotateMs - now()) + 60_000;
    await redis.set(name, randomBytes(32).toString('hex'), 'PX', ttl, 'NX');
    const hex = await redis.get(name);
    if (hex === null || !/^[0-9a-f]{64}$/.test(hex)) throw new Error('no shared keyer secret');
    return Buffer.from(hex, 'hex');
  }

  function secretFor(time: number): Promise<Buffer> {
    const period = Math.floor(time / rotateMs);
    if (current?.period === period && time < current.until) return current.secret;
    const redis = options.redis;
    const local = { period, until: Infinity, secret: Promise.resolve(randomBytes(32)) };
    if (!redis) return (current = local).secret;
    const entry = {
      period,
      until: Infinity,
      secret: shared(redis, period).catch(() => {
        entry.until = now() + RETRY_SHARED_MS;
        return local.secret;
      }),
    };
    current = entry;
    return entry.secret;
  }

  return {
    async key(req) {
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
      const secret = await secretFor(now());
      return createHmac('sha256', secret).update(address).digest('base64url').slice(0, 22);
    },
  };
}
