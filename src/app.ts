import { randomUUID } from 'node:crypto';
import express, {
  type ErrorRequestHandler,
  type Express,
  type Request,
  type RequestHandler,
  type Router,
} from 'express';
import { normalizeError, OperatorActionError } from './platform/errors';
import { healthRouter } from './platform/health';
import { securityTxtRouter } from './platform/security-txt';
import { loadAssets } from './platform/assets';
import { langPrefixes, splitLangPath } from './platform/i18n';
import { localeFromPath } from './platform/locale';
import type { Logger } from './platform/logger';
import { securityHeaders } from './platform/security';
import { useViews } from './platform/views';
import { composeServices, type AppDeps, type Services } from './compose';
import { intakeRouter } from './intake/routes';
import { accountsRouter } from './accounts/routes';
import { moderationSession } from './accounts/session';
import { deskKeyRouter } from './accounts/desk-key-routes';
import { moderationRouter } from './moderation/routes';
import { decidedRouter } from './moderation/decided-routes';
import { numbersRouter } from './moderation/numbers-routes';
import { releasesRouter } from './releases/routes';
import { publicRouter } from './public/routes';
import { casesDeskRouter } from './cases/desk-routes';
import { casesRouter } from './cases/routes';

export type { AppDeps } from './compose';

const ALLOWED_METHODS = new Set(['GET', 'HEAD', 'POST']);

/**
 * Builds the Express app: middleware order, one router per capability in each language. Never listens.
 * The services come from the composition root (src/compose.ts); a caller that must close them (the
 * server) builds them itself and passes them in.
 */
export function createApp(deps: AppDeps, services: Services = composeServices(deps)): Express {
  const app = express();
  const assets = loadAssets();
  const { config, reference } = deps;
  const { today, frozen } = services;
  app.disable('x-powered-by');
  // A hop count, never `true`: trusting every X-Forwarded-For would let clients choose their rate-limit key.
  app.set('trust proxy', config.TRUST_PROXY_HOPS);
  useViews(app, assets);
  app.locals.assets = assets;

  // Public answers already given once, sent again as they were, before any other layer (platform/frozen.ts).
  if (frozen) app.use(frozen.serve);
  app.use(methodAllowList);
  app.use(requestLog(deps.logger));
  app.use(localeFromPath);
  app.use(
    securityHeaders({
      https: config.origin.startsWith('https:'),
      ...(config.ONION_ORIGIN ? { onionOrigin: config.ONION_ORIGIN } : {}),
    }),
  );
  app.use(assets.middleware);
  app.use(healthRouter(deps.db));
  app.use(securityTxtRouter(config.origin, today));
  // Only POSTs carry forms; every GET, the public pages above all, skips the parser.
  const parseForm = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 200 });
  app.use((req, res, next) => (req.method === 'POST' ? parseForm(req, res, next) : next()));

  const sessionSecret = deps.secrets.session;
  // The desk's session, mounted once and only under /moderate: anonymous routes never see a session.
  app.use(
    ['/moderate', ...langPrefixes().map((prefix) => `${prefix}/moderate`)],
    moderationSession({
      config,
      db: deps.db,
      sessionSecret,
      accounts: services.accounts,
      rotation: services.rotation,
      logger: deps.logger,
    }),
  );
  // Each router receives the services it uses, already built, and nothing else.
  const routers: Router[] = [
    // Before the public site's router: its /api/v1 catch-all would answer /api/v1/cases with a 404.
    casesRouter({ reference, casePages: services.casePages }),
    publicRouter(services.publicSite),
    intakeRouter({ config, reference, today, intake: services.intake, limits: services.intakeLimits }),
    accountsRouter({
      config,
      accounts: services.accounts,
      sessionSecret,
      loginLimiter: services.loginLimiter,
      clientKeyer: services.clientKeyer,
      now: services.now,
    }),
    deskKeyRouter({ rotation: services.rotation, sessionSecret }),
    moderationRouter({
      config,
      reference,
      accounts: services.accounts,
      moderation: services.moderation,
      sessionSecret,
    }),
    decidedRouter({ reference, corrections: services.corrections }),
    numbersRouter({ moderation: services.moderation }),
    releasesRouter({ releases: services.releases, releaseJobs: services.releaseJobs }),
    casesDeskRouter({ reference, cases: services.cases, casePages: services.casePages }),
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
