import type { Request, RequestHandler } from 'express';
import { rateLimit, type Options, type RateLimitInfo, type Store } from 'express-rate-limit';
import type Redis from 'ioredis';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import { createClientKeyer } from '../platform/security';

// Abuse controls for the three intake POST routes. Each route has a limit per client, keyed by a keyed
// hash of the address under a secret that lives only in memory (platform/security.ts), and a global
// ceiling for everyone together: an onion service sees every visitor as 127.0.0.1, and a flood from
// many addresses must still stop somewhere. Counters live in memory, or in Redis (without persistence)
// when REDIS_URL is set so that instances share them; never in Postgres, where keys would persist.
// With Redis, the per-client keys still differ between instances (each has its own secret), so each
// instance limits a client on its own; the global ceiling is shared.

export interface RateLimitSettings {
  windowMs: number;
  perClient: { report: number; status: number; messages: number };
  global: { report: number; status: number; messages: number };
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  windowMs: 15 * 60_000,
  // A reporter who corrects the form a few times stays well inside these.
  perClient: { report: 10, status: 20, messages: 10 },
  global: { report: 300, status: 600, messages: 300 },
};

export type LimitedRoute = keyof RateLimitSettings['perClient'];

/** Middleware per route: the per-client limit, then the global ceiling; empty when limits are off. */
export function createIntakeLimits(
  settings: RateLimitSettings | false,
  redis?: Redis,
): Record<LimitedRoute, RequestHandler[]> {
  if (settings === false) return { report: [], status: [], messages: [] };
  const keyer = createClientKeyer();
  const store = (name: string): Store | undefined =>
    redis
      ? new RedisStore({
          prefix: `represalia:rl:${name}:`,
          sendCommand: (command: string, ...args: string[]) =>
            redis.call(command, args) as Promise<RedisReply>,
        })
      : undefined;
  const limiter = (name: string, limit: number, keyGenerator: Options['keyGenerator']): RequestHandler => {
    const backing = store(name);
    return rateLimit({
      windowMs: settings.windowMs,
      limit,
      keyGenerator,
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      // The library's self-checks print request details to the console: the only place they could leak.
      validate: false,
      handler: tooManyRequests,
      ...(backing ? { store: backing } : {}),
    });
  };
  const route = (name: LimitedRoute): RequestHandler[] => [
    limiter(`${name}:client`, settings.perClient[name], (req) => keyer.key(req)),
    limiter(`${name}:global`, settings.global[name], () => 'everyone'),
  ];
  return { report: route('report'), status: route('status'), messages: route('messages') };
}

// The translated 429 page says how many minutes to wait; never a clock time.
const tooManyRequests: Options['handler'] = (req, res, _next, options) => {
  const info = (req as Request & { rateLimit?: RateLimitInfo }).rateLimit;
  const reset = info?.resetTime?.getTime() ?? Date.now() + options.windowMs;
  const minutes = Math.max(1, Math.ceil((reset - Date.now()) / 60_000));
  res
    .status(429)
    .set('Cache-Control', 'no-store')
    .render('intake/too-many', {
      titleKey: 'errors.429.title',
      messageKey: minutes === 1 ? 'intake.too_many_one' : 'intake.too_many',
      minutes,
    });
};
