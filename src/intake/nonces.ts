import type Redis from 'ioredis';

// Single use of form tokens: the nonce of every accepted token is remembered until the token expires.
//
// Kept in memory (or in Redis without persistence when several instances share the load), never in
// Postgres: a row with an expiry next to the reports would record when each report was sent, which
// promise 1 forbids. The price: a restart forgets the nonces used within the token's maximum age, so
// a token captured before the restart could be replayed once after it. That is acceptable because a
// replay can only submit the same form again from a page of our own origin (the Origin/Sec-Fetch-Site
// check still applies), under the rate limits; the worst outcome is a duplicate report, which
// moderators merge. It can never read or change anyone's report.

export interface NonceStore {
  /** Records the nonce; true the first time, false when it was already used and has not expired. */
  consume(nonce: string, expiresAt: Date): Promise<boolean>;
  /** Forgets a nonce, so that a submission that failed to commit can be sent again with the same form. */
  release(nonce: string): Promise<void>;
}

/**
 * A bounded map from nonce to expiry. When full, expired entries go first, then the oldest: evicting a
 * live nonce re-opens one token to a single replay, which is better than refusing every new report.
 */
export function memoryNonceStore(options: { maxEntries?: number; now?: () => number } = {}): NonceStore {
  const maxEntries = options.maxEntries ?? 100_000;
  const now = options.now ?? Date.now;
  const used = new Map<string, number>();
  const sweep = (): void => {
    const time = now();
    for (const [nonce, expires] of used) if (expires <= time) used.delete(nonce);
    while (used.size >= maxEntries) {
      const oldest = used.keys().next();
      if (oldest.done) break;
      used.delete(oldest.value);
    }
  };
  return {
    consume(nonce, expiresAt) {
      const expires = used.get(nonce);
      if (expires !== undefined && expires > now()) return Promise.resolve(false);
      if (used.size >= maxEntries) sweep();
      used.set(nonce, expiresAt.getTime());
      return Promise.resolve(true);
    },
    release(nonce) {
      used.delete(nonce);
      return Promise.resolve();
    },
  };
}

/** The same in Redis (run it without persistence): SET NX with the token's remaining lifetime. */
export function redisNonceStore(redis: Redis, prefix = 'represalia:nonce:'): NonceStore {
  return {
    async consume(nonce, expiresAt) {
      const ttl = Math.max(1, expiresAt.getTime() - Date.now());
      return (await redis.set(prefix + nonce, '1', 'PX', ttl, 'NX')) === 'OK';
    },
    async release(nonce) {
      await redis.del(prefix + nonce);
    },
  };
}
