import Redis from 'ioredis';
import {
  createLoginLimiter,
  FREE_FAILURES,
  MAX_WAIT_SECONDS,
  waitAfterFailures,
  type LoginLimiter,
} from '../../../src/accounts/login-limiter';
import { describeNeeding, reachable } from '../../support/requirements';

// The sign-in limiter on its own, in memory with a fake clock, then shared through Redis. Addresses here
// stand for the keyed hashes the router passes (never raw addresses).

/** One attempt that fails (the caller checked the password and it was wrong). */
async function fail(limiter: LoginLimiter, account: string, address: string): Promise<boolean> {
  return (await limiter.attempt(account, address)).allowed;
}

/** One attempt that succeeds, if it is allowed. */
async function succeed(limiter: LoginLimiter, account: string, address: string): Promise<boolean> {
  const attempt = await limiter.attempt(account, address);
  if (attempt.allowed) await limiter.succeeded(account, address, attempt);
  return attempt.allowed;
}

describe('the wait after consecutive failures', () => {
  it('is nothing for the first five, then doubles from one second up to fifteen minutes', () => {
    expect([1, 2, 3, 4].map(waitAfterFailures)).toEqual([0, 0, 0, 0]);
    expect(FREE_FAILURES).toBe(5);
    expect([5, 6, 7, 8].map(waitAfterFailures)).toEqual([1, 2, 4, 8]);
    expect(waitAfterFailures(14)).toBe(512);
    expect(waitAfterFailures(15)).toBe(MAX_WAIT_SECONDS);
    expect(waitAfterFailures(1000)).toBe(MAX_WAIT_SECONDS);
  });
});

describe('the sign-in limiter in memory', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-11-27T10:00:00Z'), doNotFake: ['nextTick', 'setImmediate'] });
  });
  afterEach(() => jest.useRealTimers());

  it('applies the growing waits to one address at one account, and a success ends them', async () => {
    const limiter = createLoginLimiter();
    for (let i = 0; i < 5; i++) expect(await fail(limiter, 'alice', 'a1')).toBe(true);
    expect(await fail(limiter, 'alice', 'a1')).toBe(false);
    jest.advanceTimersByTime(1_000);
    expect(await fail(limiter, 'alice', 'a1')).toBe(true);
    jest.advanceTimersByTime(1_000);
    expect(await fail(limiter, 'alice', 'a1')).toBe(false);
    jest.advanceTimersByTime(1_000);
    expect(await succeed(limiter, 'alice', 'a1')).toBe(true);
    for (let i = 0; i < 5; i++) expect(await fail(limiter, 'alice', 'a1')).toBe(true);
    // Another address at the same account is not slowed by this one.
    expect(await succeed(limiter, 'alice', 'a2')).toBe(true);
  });

  it('never lets strangers keep the owner from an address it signed in from', async () => {
    const limiter = createLoginLimiter();
    expect(await succeed(limiter, 'alice', 'home')).toBe(true);
    for (let bot = 0; bot < 10; bot++)
      for (let guess = 0; guess < 5; guess++) expect(await fail(limiter, 'alice', `bot-${bot}`)).toBe(true);
    expect(await fail(limiter, 'alice', 'bot-new')).toBe(false);
    expect(await succeed(limiter, 'alice', 'home')).toBe(true);
    // The held-back window passes, and the rest of the world may try again.
    jest.advanceTimersByTime(15 * 60_000);
    expect(await succeed(limiter, 'alice', 'bot-new')).toBe(true);
  });

  it('holds back one address spraying many accounts, but not that address at an account it knows', async () => {
    const limiter = createLoginLimiter();
    expect(await succeed(limiter, 'carol', 'office')).toBe(true);
    for (let i = 0; i < 30; i++) expect(await fail(limiter, `user-${i}`, 'office')).toBe(true);
    expect(await fail(limiter, 'user-99', 'office')).toBe(false);
    expect(await succeed(limiter, 'carol', 'office')).toBe(true);
  });

  it('gives back the attempts that succeed: sign-ins never count toward the limits', async () => {
    const limiter = createLoginLimiter();
    for (let i = 0; i < 80; i++) expect(await succeed(limiter, 'dave', `laptop-${i}`)).toBe(true);
    expect(await fail(limiter, 'dave', 'new-laptop')).toBe(true);
  });
});

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const describeWithRedis = describeNeeding(
  'redis',
  reachable(REDIS_URL, 6379),
  `Redis is not reachable at ${REDIS_URL} (set REDIS_URL)`,
);

describeWithRedis('the sign-in limiter over Redis', () => {
  const prefix = `represalia-test:${process.pid}:${Date.now()}:login`;
  let redis: Redis;

  beforeAll(async () => {
    redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
    await redis.connect();
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('shares counts between instances: what one instance counted, the other applies', async () => {
    const first = createLoginLimiter({ redis: redis, prefix });
    const second = createLoginLimiter({ redis: redis, prefix });
    expect(await succeed(first, 'erin', 'home')).toBe(true);
    for (let i = 0; i < 5; i++) expect(await fail(first, 'erin', 'guesser')).toBe(true);
    expect(await fail(second, 'erin', 'guesser')).toBe(false);
    for (let bot = 0; bot < 9; bot++)
      for (let guess = 0; guess < 5; guess++) expect(await fail(second, 'erin', `bot-${bot}`)).toBe(true);
    expect(await fail(first, 'erin', 'bot-new')).toBe(false);
    expect(await succeed(second, 'erin', 'home')).toBe(true);
    const keys = await redis.keys(`${prefix}:*`);
    expect(keys.length).toBeGreaterThan(0);
    // Nothing in Redis but keyed addresses and account names.
    expect(keys.join('\n')).not.toMatch(/\d+\.\d+\.\d+\.\d+/);
  });
});
