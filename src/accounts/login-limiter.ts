import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';

// The sign-in limiter (password step and second-factor step), on rate-limiter-flexible: counters in
// memory, or in Redis (without persistence) when REDIS_URL is set, so instances share them. Never in
// Postgres. Promise 1: an address reaches this module only as the rotating keyed hash from
// platform/security.ts createClientKeyer, never raw; the counters it keys expire within a day.
//
// Nobody can lock a moderator out:
// - Each (account, address) pair gets 5 free consecutive failures, then a wait that doubles with each
//   further failure (1 s, 2 s, 4 s … up to 15 minutes). A success ends it. The real moderator mistyping
//   is slowed, never shut out for long; a guesser at one address gets a few tries an hour.
// - Failures per address (30 an hour, over all accounts) and per account (50 in 15 minutes, over all
//   addresses) stop spraying and distributed guessing, but only for pairs that have never signed in:
//   an address from which this account completed a step before (until the keyer rotates, at most a
//   day) is exempt, so strangers' failures never keep the moderator from an address they use.
// - Every attempt is counted before the password is checked (and given back on success), so a burst of
//   parallel guesses cannot all pass the check before the first failure is recorded.
// With several instances and no Redis, each keeps its own counts. With Redis every counter is shared,
// and so is the keyer's secret (platform/security.ts), so an address has one key on every instance and
// the counts and the "signed in before" mark behave as in one process.

export const FREE_FAILURES = 5;
export const MAX_WAIT_SECONDS = 15 * 60;
const PAIR_MEMORY_SECONDS = 24 * 60 * 60;
const ADDRESS_LIMIT = { points: 30, duration: 60 * 60 };
const ACCOUNT_LIMIT = { points: 50, duration: 15 * 60 };
// The keyer rotates its secret daily, after which a keyed address means nothing anyway.
const KNOWN_SECONDS = 24 * 60 * 60;

export interface LoginAttempt {
  allowed: boolean;
  /** Whether this account has signed in from this address before. */
  known: boolean;
}

export interface LoginLimiter {
  /** Whether an attempt by this (keyed) address at this account may go ahead now; counts it if so. */
  attempt(account: string, address: string): Promise<LoginAttempt>;
  /** A step succeeded: the pair's failures end, it counts as known, and the attempt is given back. */
  succeeded(account: string, address: string, attempt: LoginAttempt): Promise<void>;
}

/** The wait after the n-th consecutive failure of one pair, in seconds (0 while failures are free). */
export function waitAfterFailures(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(2 ** (failures - FREE_FAILURES), MAX_WAIT_SECONDS);
}

/** Builds the limiter over Redis when given (falling back to memory while Redis is down), else memory. */
export function createLoginLimiter(options: { redis?: Redis; prefix?: string } = {}): LoginLimiter {
  const prefix = options.prefix ?? 'represalia:login';
  const make = (name: string, points: number, duration: number): RateLimiterAbstract => {
    const settings = { keyPrefix: `${prefix}:${name}`, points, duration };
    if (!options.redis) return new RateLimiterMemory(settings);
    return new RateLimiterRedis({
      ...settings,
      storeClient: options.redis,
      // A Redis outage must not stop sign-in: count in this process's memory until it is back.
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory(settings),
    });
  };
  const pairFailures = make('pair', Number.MAX_SAFE_INTEGER, PAIR_MEMORY_SECONDS);
  const pairWait = make('wait', 1, MAX_WAIT_SECONDS);
  const byAddress = make('address', ADDRESS_LIMIT.points, ADDRESS_LIMIT.duration);
  const byAccount = make('account', ACCOUNT_LIMIT.points, ACCOUNT_LIMIT.duration);
  const known = make('known', 1, KNOWN_SECONDS);
  const pairKey = (account: string, address: string) => `${address}:${account}`;
  const used = async (limiter: RateLimiterAbstract, key: string) =>
    (await limiter.get(key))?.consumedPoints ?? 0;

  return {
    async attempt(account, address) {
      const pair = pairKey(account, address);
      const [waiting, isKnown] = await Promise.all([pairWait.get(pair), known.get(pair)]);
      const blocked = { allowed: false, known: isKnown !== null };
      if (waiting && waiting.consumedPoints > 0 && waiting.msBeforeNext > 0) return blocked;
      if (!isKnown) {
        const [addressFailures, accountFailures] = await Promise.all([
          used(byAddress, address),
          used(byAccount, account),
        ]);
        if (addressFailures >= ADDRESS_LIMIT.points || accountFailures >= ACCOUNT_LIMIT.points)
          return blocked;
      }
      const failures = (await pairFailures.penalty(pair)).consumedPoints;
      const wait = waitAfterFailures(failures);
      // Set before the password is checked; a success lifts it.
      if (wait > 0) await pairWait.block(pair, wait);
      if (!isKnown) await Promise.all([byAddress.penalty(address), byAccount.penalty(account)]);
      return { allowed: true, known: isKnown !== null };
    },

    async succeeded(account, address, attempt) {
      const pair = pairKey(account, address);
      await Promise.all([
        pairFailures.delete(pair),
        pairWait.delete(pair),
        known.set(pair, 1, KNOWN_SECONDS),
        ...(attempt.known ? [] : [byAddress.reward(address), byAccount.reward(account)]),
      ]);
    },
  };
}
