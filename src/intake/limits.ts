import type { RequestHandler } from 'express';
import { rateLimit, type Options, type Store } from 'express-rate-limit';
import type Redis from 'ioredis';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import { RateLimitedError } from '../platform/errors';
import { DEFAULT_LOAD_SHEDDING, loadShedding, type LoadSheddingOptions } from '../platform/load-shedding';
import type { NonceStore } from './nonces';
import type { ClientKeyer } from '../platform/security';

// Abuse controls for the three intake POST routes, built so that no stranger can close intake for others:
//
// - A limit per client, keyed by a keyed hash of the address (or of the Tor circuit, for the onion
//   listener: platform/proxy-protocol.ts) under a secret that lives only in memory (platform/security.ts).
//   Only what a client succeeded at counts toward a submission limit: a refused form (422, 403, 409, 429)
//   is given back, so junk posts cannot lock anyone out, not even their sender's next real report. For
//   status lookups it is the other way round: only failed lookups count (guessing), a reporter checking
//   a real receipt never runs out.
// - No global ceiling: a shared counter is one any 30 addresses could run down for everyone. Overload is
//   handled by load shedding (platform/load-shedding.ts) on queue length and event-loop delay instead.
//
// Counters live in memory, or in Redis (without persistence) when REDIS_URL is set; never in Postgres,
// where keys would persist. With Redis the keyer's secret is shared too (platform/security.ts), so a
// client gets one limit across every instance, exactly as from one process.
//
// Promise 6: no response carries a counter. The library's RateLimit and X-RateLimit headers would
// publish a count of submissions, and the 429 page says "later", never how many minutes (a countdown is
// a counter too).

/** Optional intake settings: rate limits off for benchmarks, load shedding, a shared nonce store. */
export interface IntakeOptions {
  rateLimits?: RateLimitSettings | false;
  shedding?: LoadSheddingOptions;
  nonces?: NonceStore;
}

export interface RateLimitSettings {
  windowMs: number;
  perClient: { report: number; status: number; messages: number };
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  windowMs: 15 * 60_000,
  // Accepted reports and messages, failed status lookups: far more than any one reporter needs.
  perClient: { report: 10, status: 20, messages: 10 },
};

export type LimitedRoute = keyof RateLimitSettings['perClient'];

/** Middleware per route: load shedding, then the per-client limit (none when limits are off). */
export function createIntakeLimits(
  settings: RateLimitSettings | false,
  options: { keyer: ClientKeyer; redis?: Redis; shedding?: LoadSheddingOptions },
): Record<LimitedRoute, RequestHandler[]> {
  const shed = loadShedding(options.shedding ?? DEFAULT_LOAD_SHEDDING);
  if (settings === false) return { report: [shed], status: [shed], messages: [shed] };
  const { keyer, redis } = options;
  const store = (name: string): Store | undefined =>
    redis
      ? new RedisStore({
          prefix: `represalia:rl:${name}:`,
          sendCommand: (command: string, ...args: string[]) =>
            redis.call(command, args) as Promise<RedisReply>,
        })
      : undefined;
  const limiter = (name: LimitedRoute, count: 'successes' | 'failures'): RequestHandler => {
    const backing = store(`${name}:client`);
    return rateLimit({
      windowMs: settings.windowMs,
      limit: settings.perClient[name],
      keyGenerator: (req) => keyer.key(req),
      skipFailedRequests: count === 'successes',
      skipSuccessfulRequests: count === 'failures',
      standardHeaders: false,
      legacyHeaders: false,
      // The library's self-checks print request details to the console: the only place they could leak.
      validate: false,
      handler: tooManyRequests,
      ...(backing ? { store: backing } : {}),
    });
  };
  return {
    report: [shed, limiter('report', 'successes')],
    status: [shed, limiter('status', 'failures')],
    messages: [shed, limiter('messages', 'successes')],
  };
}

// The one error page, translated, at 429: try again later, with no number in it and no Retry-After header.
const tooManyRequests: Options['handler'] = (_req, _res, next) => {
  next(new RateLimitedError('intake.too_many'));
};
