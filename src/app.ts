import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import express, {
  type ErrorRequestHandler,
  type Express,
  type Request,
  type RequestHandler,
  type Router,
} from 'express';
import type { Config } from './platform/config';
import type { Db } from './platform/db';
import { normalizeError, OperatorActionError } from './platform/errors';
import { createFrozenResponses } from './platform/frozen';
import { healthRouter } from './platform/health';
import { securityTxtRouter } from './platform/security-txt';
import { loadAssets } from './platform/assets';
import { langPrefixes, splitLangPath } from './platform/i18n';
import { localeFromPath } from './platform/locale';
import type { Logger } from './platform/logger';
import { createClientKeyer, securityHeaders } from './platform/security';
import type { Secrets } from './platform/secrets';
import { useViews } from './platform/views';
import { intakeRouter, type IntakeOptions } from './intake/routes';
import { accountsRouter } from './accounts/routes';
import { moderationSession } from './accounts/session';
import { createAccounts } from './accounts/service';
import { argon2ParamsFor, TEST_ARGON2, type Argon2Params } from './accounts/keys';
import { createLoginLimiter, type LoginLimiter } from './accounts/login-limiter';
import { recordAudit } from './accounts/store';
import { deskKeyRouter } from './accounts/desk-key-routes';
import { createDeskRotation } from './accounts/rotation';
import { createResealJob } from './accounts/rotation-job';
import { stagedResealer } from './intake/reseal';
import { messageResealer, narrativeResealer } from './reports/reseal';
import { moderationRouter } from './moderation/routes';
import { createCorrections } from './moderation/corrections';
import { decidedRouter } from './moderation/decided-routes';
import { numbersRouter } from './moderation/numbers-routes';
import { releasesRouter } from './releases/routes';
import { createReleaseJobs } from './releases/jobs';
import type { runBuild } from './releases/run-in-worker';
import { createReleases } from './releases/service';
import { createModeration } from './moderation/service';
import { publicRouter } from './public/routes';
import { casesDeskRouter } from './cases/desk-routes';
import { createCasePages } from './cases/pages';
import { casesRouter } from './cases/routes';
import { createCases } from './cases/service';
import { createPublicSite, type PublicSiteOptions } from './public/site';
import type { Reference } from './reference/types';

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
  /** Intake settings: rate limits (off for benchmarks), the used-nonce store. */
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

const ALLOWED_METHODS = new Set(['GET', 'HEAD', 'POST']);

/** Builds the Express app: middleware order, one router per capability in each language. Never listens. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  const assets = loadAssets();
  app.disable('x-powered-by');
  // A hop count, never `true`: trusting every X-Forwarded-For would let clients choose their rate-limit key.
  app.set('trust proxy', deps.config.TRUST_PROXY_HOPS);
  useViews(app, assets);
  app.locals.assets = assets;

  // Public answers already given once, sent again as they were, before any other layer (platform/frozen.ts).
  // Off when requests are logged (debug), so that every request is.
  const frozen =
    deps.publicSite?.frozen === false
      ? undefined
      : (deps.publicSite?.frozen ??
        (deps.logger.isLevelEnabled('debug')
          ? undefined
          : createFrozenResponses({ maxBytes: (deps.publicSite?.cacheBytes ?? 64 * 1024 * 1024) / 4 })));
  if (frozen) app.use(frozen.serve);
  app.use(methodAllowList);
  app.use(requestLog(deps.logger));
  app.use(localeFromPath);
  app.use(
    securityHeaders({
      https: deps.config.origin.startsWith('https:'),
      ...(deps.config.ONION_ORIGIN ? { onionOrigin: deps.config.ONION_ORIGIN } : {}),
    }),
  );
  app.use(assets.middleware);
  app.use(healthRouter(deps.db));
  app.use(securityTxtRouter(deps.config.origin, deps.today ?? (() => new Date())));
  // Only POSTs carry forms; every GET, the public pages above all, skips the parser.
  const parseForm = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 200 });
  app.use((req, res, next) => (req.method === 'POST' ? parseForm(req, res, next) : next()));

  const today = deps.today ?? (() => new Date());
  const testCost = deps.config.NODE_ENV === 'test' ? TEST_ARGON2 : undefined;
  const argon2 = argon2ParamsFor(deps.config.NODE_ENV, deps.argon2 ?? testCost);
  const accounts = createAccounts({ db: deps.db, sessionSecret: deps.secrets.session, argon2, today });
  // Desk key rotation (issue 16): the job re-seals every table holding text sealed to the desk key.
  const resealJob = createResealJob({
    db: deps.db,
    logger: deps.logger,
    today,
    resealers: [narrativeResealer, messageResealer, stagedResealer(deps.secrets.receipt)],
  });
  const rotation = createDeskRotation({
    db: deps.db,
    sessionSecret: deps.secrets.session,
    today,
    job: resealJob,
  });
  const moderation = createModeration({ db: deps.db, reference: deps.reference, today });
  const corrections = createCorrections({ db: deps.db, reference: deps.reference, today });
  const releases = createReleases({
    db: deps.db,
    reference: deps.reference,
    threshold: deps.config.DISCLOSURE_THRESHOLD,
    today,
    recordAudit,
    ...(deps.buildRelease ? { build: deps.buildRelease } : {}),
  });
  // One Redis client (when REDIS_URL is set) for every counter, nonce and the keyer's secret: what
  // several instances must agree on lives there, never in one process (README, "At scale").
  const redis = deps.config.REDIS_URL ? new Redis(deps.config.REDIS_URL) : undefined;
  const clientKeyer = createClientKeyer(redis ? { shared: deps.secrets.session } : {});
  const loginLimiter = deps.loginLimiter ?? createLoginLimiter(redis ? { redis } : {});
  const releaseJobs = createReleaseJobs({ db: deps.db, releases, logger: deps.logger, today });
  // The public record: its own tables and service, read by no release and reading no report.
  const cases = createCases({ db: deps.db, reference: deps.reference, today });
  const casePages = createCasePages({
    cases,
    reference: deps.reference,
    origin: deps.config.origin,
    // Tests edit the record while the app runs, so they read its revision on every request.
    options: { revisionTtlMs: deps.config.NODE_ENV === 'test' ? 0 : 1000 },
  });
  // The public site: one list of releases and one cache for every language's router.
  const publicSite = createPublicSite({ ...deps, options: { ...deps.publicSite, frozen: frozen ?? false } });
  const desk = {
    ...deps,
    accounts,
    rotation,
    moderation,
    corrections,
    releases,
    releaseJobs,
    loginLimiter,
    clientKeyer,
    cases,
    casePages,
    sessionSecret: deps.secrets.session,
  };
  // The desk's session, mounted once and only under /moderate: anonymous routes never see a session.
  app.use(['/moderate', ...langPrefixes().map((prefix) => `${prefix}/moderate`)], moderationSession(desk));
  const routers: Router[] = [
    // Before the public site's router: its /api/v1 catch-all would answer /api/v1/cases with a 404.
    casesRouter(desk),
    publicRouter(publicSite),
    intakeRouter({ ...deps, clientKeyer, ...(redis ? { redis } : {}) }),
    accountsRouter(desk),
    deskKeyRouter(desk),
    moderationRouter(desk),
    decidedRouter(desk),
    numbersRouter(desk),
    releasesRouter(desk),
    casesDeskRouter(desk),
  ];
  // Every language's prefix (one per catalog in locales/) before the default language's bare paths.
  for (const router of routers) {
    for (const prefix of langPrefixes()) app.use(prefix, router);
    app.use('/', router);
  }

  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}

// TRACE and friends are refused outright: nothing here needs them, and TRACE can echo headers back.
const methodAllowList: RequestHandler = (req, res, next) => {
  if (ALLOWED_METHODS.has(req.method)) return next();
  res.status(405).set('Allow', 'GET, HEAD, POST').type('text/plain').send('Method Not Allowed');
};

/**
 * Request lines at debug level, off by default: method, route pattern, status and duration only. Never
 * the address, headers, query, body or a timestamp (promise 1): even a shipped log line must not say who
 * asked for what, or when a report was sent.
 */
function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    if (!logger.isLevelEnabled('debug')) return next();
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.debug(
        {
          method: req.method,
          route: routePath(req) ?? 'unmatched',
          status: res.statusCode,
          ms: Math.round(ms),
        },
        'request',
      );
    });
    next();
  };
}

const notFound: RequestHandler = (_req, res) => {
  res
    .status(404)
    .render('errors/error', { status: 404, messageKey: 'errors.404.message', titleKey: 'errors.404.title' });
};

function errorHandler(logger: Logger): ErrorRequestHandler {
  const told = new Set<string>();
  return (error: unknown, req, res, _next) => {
    const appError = normalizeError(error);
    const requestId = randomUUID();
    if (appError instanceof OperatorActionError) {
      // Once per cause and process, and nothing about the request (see OperatorActionError).
      if (!told.has(appError.onceKey)) {
        told.add(appError.onceKey);
        logger.error({ code: appError.code }, appError.action);
      }
    } else if (appError.status >= 500) {
      // Method and route shape only: no body, no headers, no address (promise 1).
      logger.error(
        {
          requestId,
          method: req.method,
          route: routePath(req),
          code: appError.code,
          err: errorSummary(error),
        },
        'request failed',
      );
    }
    if (res.headersSent) return;
    const status = appError.status;
    const titleKey = `errors.${status}.title`;
    const messageKey = appError.expose ? appError.message : `errors.${status}.message`;
    res.status(status).set('Cache-Control', 'no-store');
    // JSON under /api and /es/api (and every language's) alike: scripts read the error, and the message is in the path's language.
    if (splitLangPath(req.path).path.startsWith('/api/')) {
      res.json({
        error: { code: appError.code, message: res.locals.t?.(messageKey) ?? messageKey, requestId },
      });
      return;
    }
    res.render('errors/error', {
      status,
      titleKey,
      messageKey,
      // A reference only where the log holds a line that carries it.
      requestId: status >= 500 && !(appError instanceof OperatorActionError) ? requestId : undefined,
    });
  };
}

// Errors from the database can quote the statement's parameters (report contents); log only the kind.
function errorSummary(error: unknown): { name: string; code?: unknown; stack?: string } {
  if (!(error instanceof Error)) return { name: typeof error };
  return {
    name: error.name,
    code: (error as { code?: unknown }).code,
    stack: error.stack?.split('\n').slice(1, 6).join('\n'),
  };
}

// The matched route's pattern (e.g. /data/releases/:label), never the concrete path or query.
function routePath(req: Request): string | undefined {
  const route = req.route as { path?: unknown } | undefined;
  return typeof route?.path === 'string' ? route.path : undefined;
}
