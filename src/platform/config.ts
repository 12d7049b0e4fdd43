import { z } from 'zod';

// The only reader of process.env. Every key is parsed once, at start-up, and a bad value stops the
// process with every bad key named, so a misconfigured deployment never half-runs.

const hexSecret = z.string().regex(/^[0-9a-f]{64}$/i, 'must be 64 hexadecimal characters (32 random bytes)');

const schema = z.object({
  // HTTP port to listen on.
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  // Interface to listen on. Loopback by default, so a reverse proxy or Tor in front cannot be bypassed;
  // 0.0.0.0 only where something else (a container network) stands between the app and the world.
  HOST: z.union([z.ipv4(), z.ipv6(), z.literal('localhost')]).default('127.0.0.1'),
  // PostgreSQL connection string; without it the embedded PGlite database under DATA_DIR is used.
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  // Folder for the embedded database and the development secrets.
  DATA_DIR: z.string().min(1).default('./data'),
  // development, test or production; production requires the secrets to be set explicitly.
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  // Key for receipt hashes, form tokens and staged submissions (HMAC-SHA-256, HKDF). Generated under
  // DATA_DIR outside production. Staged submissions open only with the secret they were staged under.
  RECEIPT_SECRET: hexSecret.optional(),
  // Key that encrypts the unlocked desk key inside moderator sessions. Generated outside production.
  SESSION_SECRET: hexSecret.optional(),
  // Cells below this count are withheld, and so are the few reports added to a cell between releases (DESIGN section 6).
  DISCLOSURE_THRESHOLD: z.coerce.number().int().min(2).max(1000).default(11),
  // How many reverse proxies sit in front of the app. A number only: `true` would trust any client's header.
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  // The public origin (scheme, host, port) used in absolute links and the Origin check of forms.
  PUBLIC_ORIGIN: z.url({ protocol: /^https?$/ }).optional(),
  // An .onion origin to advertise with the Onion-Location header.
  ONION_ORIGIN: z.url({ protocol: /^https?$/ }).optional(),
  // A second port, on 127.0.0.1 only, for the local Tor onion service with `HiddenServiceExportCircuitID
  // haproxy`: it reads the PROXY protocol header so rate limits key on each Tor circuit (README, onion).
  TOR_PROXY_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  // Redis for rate-limit counters shared by several instances; in memory when absent.
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  // Days after the final decision before narratives and messages are deleted (promise 8).
  RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  // pino level; 'silent' is useful in tests.
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Load demo data into an empty database on start (default: yes outside production).
  SEED_DEMO: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});

export type Config = z.infer<typeof schema> & {
  // The origin that forms must come from; PUBLIC_ORIGIN or http://localhost:PORT.
  origin: string;
  seedDemo: boolean;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment (process.env by default) into a Config, or throws a ConfigError naming every bad key. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings count as unset, as they do in most .env tooling.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const config = parsed.data;
  if (config.NODE_ENV === 'production') {
    const missing = (['RECEIPT_SECRET', 'SESSION_SECRET', 'PUBLIC_ORIGIN'] as const).filter(
      (key) => !config[key],
    );
    const problems = missing.map((key) => `${key}: required when NODE_ENV=production`);
    // The embedded database is for trying and developing: one in-process backend, no server log settings,
    // no backups or replication an operator can manage. Production refuses it rather than run on it quietly.
    if (!config.DATABASE_URL)
      problems.push(
        'DATABASE_URL: required when NODE_ENV=production (the embedded database is for trying and developing only)',
      );
    if (problems.length > 0) throw new ConfigError(problems);
  }
  return {
    ...config,
    origin: (config.PUBLIC_ORIGIN ?? `http://localhost:${config.PORT}`).replace(/\/$/, ''),
    seedDemo: config.SEED_DEMO ?? config.NODE_ENV !== 'production',
  };
}
