// Login throttling in memory (promise 1: nothing about a client address is ever persisted; the address
// arrives here only as the rotating keyed hash from createClientKeyer). With several instances each keeps
// its own counts, which only makes the limits per instance.
//
// No hard lockout anyone else can trigger: the strict limits count failures per (account, address) and per
// address, so an attacker exhausts only their own. The per-account limit, which anyone could push, is not
// applied to an address that has signed in to that account successfully before (until the keyer rotates).

const WINDOW_MS = 15 * 60_000;
const PER_PAIR = 5;
const PER_ADDRESS = 20;
const PER_ACCOUNT = 50;

export interface LoginThrottle {
  /** True when another attempt from this address for this account must wait. */
  limited(account: string, address: string): boolean;
  failed(account: string, address: string): void;
  succeeded(account: string, address: string): void;
}

/** A throttle over sliding 15-minute windows; `now` is injectable for tests. */
export function createLoginThrottle(now: () => number = Date.now): LoginThrottle {
  const failures = new Map<string, number[]>();
  const trusted = new Map<string, Set<string>>();

  const recent = (key: string): number[] => {
    const cutoff = now() - WINDOW_MS;
    const kept = (failures.get(key) ?? []).filter((time) => time > cutoff);
    if (kept.length === 0) failures.delete(key);
    else failures.set(key, kept);
    return kept;
  };
  const add = (key: string) => {
    // Bounded memory under a spray of made-up usernames: sweep every key when the map grows large.
    if (failures.size > 10_000) for (const stale of [...failures.keys()]) recent(stale);
    failures.set(key, [...recent(key), now()]);
  };

  return {
    limited(account, address) {
      if (recent(`pair:${account}:${address}`).length >= PER_PAIR) return true;
      if (recent(`address:${address}`).length >= PER_ADDRESS) return true;
      if (trusted.get(account)?.has(address)) return false;
      return recent(`account:${account}`).length >= PER_ACCOUNT;
    },
    failed(account, address) {
      add(`pair:${account}:${address}`);
      add(`address:${address}`);
      add(`account:${account}`);
    },
    succeeded(account, address) {
      failures.delete(`pair:${account}:${address}`);
      const set = trusted.get(account) ?? new Set<string>();
      set.add(address);
      trusted.set(account, set);
    },
  };
}
