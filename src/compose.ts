import type Redis from 'ioredis';
import type { Config } from './platform/config';
import type { Db } from './platform/db';
import { createFrozenResponses, type FrozenResponses } from './platform/frozen';
import type { Logger } from './platform/logger';
import { createClientKeyer } from './platform/security';
import type { Secrets } from './platform/secrets';
import { createAccounts } from './accounts/service';
import { argon2ParamsFor, TEST_ARGON2, type Argon2Params } from './accounts/keys';
import { createLoginLimiter, type LoginLimiter } from './accounts/login-limiter';
import { createDeskRotation } from './accounts/rotation';
import { createResealJob } from './accounts/rotation-job';
import { createIntake } from './intake/service';
import { createIntakeLimits, DEFAULT_RATE_LIMITS, type IntakeOptions } from './intake/limits';
import { memoryNonceStore, redisNonceStore } from './intake/nonces';
import { stagedResealer } from './intake/reseal';
import { messageResealer, narrativeResealer } from './reports/reseal';
import { createCorrections } from './moderation/corrections';
import { createModeration } from './moderation/service';
import { createReleaseJobs } from './releases/jobs';
import type { runBuild } from './releases/run-in-worker';
import { createReleases } from './releases/service';
import { createCasePages } from './cases/pages';
import { createCases } from './cases/service';
import { createPublicSite, type PublicSiteOptions } from './public/site';
import type { Reference } from './reference/types';

// The composition root: every service, store, client and limiter of the app is built here, once, and
// closed here. Routers receive what they use already built and build nothing themselves, so one process
// holds one Redis client, one nonce store and one set of limiters whatever the number of languages.

export interface AppDeps {
  config: Config;
  db: Db;
  reference: Reference;
  secrets: Secrets;
  logger: Logger;
  /** Today's date; tests pass a fixed one. Dates only: the app never needs the time of day. */
  today?: () => Date;
  /** The current time, for signed form tokens only (kept to the minute inside the token, never stored). */
  now?: () => Date;
  /** Intake settings: rate limits (off for benchmarks), load shedding, the used-nonce store. */
  intake?: IntakeOptions;
  /** Argon2 cost for moderator passwords; lowered only under NODE_ENV=test (refused anywhere else). */
  argon2?: Argon2Params;
  /** Public site settings: how long the list of releases is cached, memory for cached pages and files. */
  publicSite?: PublicSiteOptions;
  /** The sign-in limiter; built here (in Redis when REDIS_URL is set, else memory) unless a test passes one. */
  loginLimiter?: LoginLimiter;
  /** The release suppression; tests inject a broken one to prove the independent gate refuses it. */
  buildRelease?: typeof runBuild;
}

export type Services = ReturnType<typeof composeServices>;

/** Builds every service of the app from its dependencies; `close` releases what they hold. */
export function composeServices(deps: AppDeps) {
  const { config, db, reference, logger } = deps;
  const today = deps.today ?? (() => new Date());
  const now = deps.now ?? (() => new Date());
  const sessionSecret = deps.secrets.session;

  // One Redis client (when REDIS_URL is set) for every counter and nonce: what several instances must
  // agree on lives there, never in one process (README, "At scale").
  const redis = config.REDIS_URL ? openRedis(config.REDIS_URL) : undefined;
  // The keyer's daily secret is derived from SESSION_SECRET, never stored in Redis (promise 1).
  const clientKeyer = createClientKeyer(redis ? { shared: sessionSecret } : {});
  const loginLimiter = deps.loginLimiter ?? createLoginLimiter(redis ? { redis } : {});

  const testCost = config.NODE_ENV === 'test' ? TEST_ARGON2 : undefined;
  const argon2 = argon2ParamsFor(config.NODE_ENV, deps.argon2 ?? testCost);
  const accounts = createAccounts({ db, sessionSecret, argon2, today });
  // Desk key rotation (issue 16): the job re-seals every table holding text sealed to the desk key.
  const resealJob = createResealJob({
    db,
    logger,
    today,
    resealers: [narrativeResealer, messageResealer, stagedResealer(deps.secrets.receipt)],
  });
  const rotation = createDeskRotation({ db, sessionSecret, today, job: resealJob });

  const nonces = deps.intake?.nonces ?? (redis ? redisNonceStore(redis) : memoryNonceStore());
  const intake = createIntake({
    db,
    secrets: deps.secrets,
    today,
    now,
    nonces,
    currentDeskKey: accounts.currentDeskKey,
  });
  const intakeLimits = createIntakeLimits(deps.intake?.rateLimits ?? DEFAULT_RATE_LIMITS, {
    keyer: clientKeyer,
    ...(redis ? { redis } : {}),
    ...(deps.intake?.shedding ? { shedding: deps.intake.shedding } : {}),
  });

  const moderation = createModeration({ db, reference, today });
  const corrections = createCorrections({ db, reference, today });
  const releases = createReleases({
    db,
    reference,
    threshold: config.DISCLOSURE_THRESHOLD,
    today,
    ...(deps.buildRelease ? { build: deps.buildRelease } : {}),
  });
  const releaseJobs = createReleaseJobs({ db, releases, logger, today });

  // The public record: its own tables and service, read by no release and reading no report.
  const cases = createCases({ db, reference, today });
  const casePages = createCasePages({
    cases,
    reference,
    origin: config.origin,
    // Tests edit the record while the app runs, so they read its revision on every request.
    options: { revisionTtlMs: config.NODE_ENV === 'test' ? 0 : 1000 },
  });

  // Public answers already given once, sent again as they were, before any other layer (platform/frozen.ts).
  // Off when requests are logged (debug), so that every request is.
  const frozen: FrozenResponses | undefined =
    deps.publicSite?.frozen === false
      ? undefined
      : (deps.publicSite?.frozen ??
        (logger.isLevelEnabled('debug')
          ? undefined
          : createFrozenResponses({ maxBytes: (deps.publicSite?.cacheBytes ?? 64 * 1024 * 1024) / 4 })));

  // The public site: one list of releases and one cache for every language's router.
  const publicSite = createPublicSite({ ...deps, options: { ...deps.publicSite, frozen: frozen ?? false } });

  return {
    today,
    now,
    accounts,
    rotation,
    intake,
    intakeLimits,
    moderation,
    corrections,
    releases,
    releaseJobs,
    cases,
    casePages,
    frozen,
    publicSite,
    clientKeyer,
    loginLimiter,
    /** Releases what the services hold open: the Redis connection (the database is the caller's). */
    async close(): Promise<void> {
      if (redis) await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/**
 * The Redis client, named per process so an operator's CLIENT LIST says which instance holds which
 * connection. ioredis is loaded only here: a single instance without REDIS_URL never needs it, and loading
 * it costs ~75 ms of a restart (DESIGN section 7: listening within 3 s).
 */
function openRedis(url: string): Redis {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { default: Client } = require('ioredis') as typeof import('ioredis');
  return new Client(url, { connectionName: `represalia-${process.pid}` });
}
