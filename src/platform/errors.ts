// One error class per kind, each with a default translation key. Handlers throw; the one error handler
// in app.ts renders. `expose` says whether the message key may be shown to the user.

export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly expose: boolean = status < 500,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadRequestError extends AppError {
  constructor(message = 'errors.400.message') {
    super('bad_request', message, 400);
  }
}

export class ValidationError extends AppError {
  constructor(message = 'errors.422.message') {
    super('validation', message, 422);
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'errors.404.message') {
    super('not_found', message, 404);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'errors.403.message') {
    super('forbidden', message, 403);
  }
}

export class ConflictError extends AppError {
  constructor(message = 'errors.409.message') {
    super('conflict', message, 409);
  }
}

export class RateLimitedError extends AppError {
  constructor(message = 'errors.429.message') {
    super('rate_limited', message, 429);
  }
}

export class UnavailableError extends AppError {
  constructor(message = 'errors.503.message') {
    super('unavailable', message, 503, true);
  }
}

/**
 * A 503 that only the operator can end (a misconfiguration, not an outage that passes by itself). The
 * user sees the translated `message`; the error handler writes `action` to the log once per `onceKey`
 * and process, with no request data at all: a log line per refused request would give a log shipper the
 * time of every attempt (promise 1).
 */
export class OperatorActionError extends AppError {
  constructor(
    code: string,
    message: string,
    readonly action: string,
    readonly onceKey: string,
  ) {
    super(code, message, 503, true);
  }
}

/** Maps anything thrown to an AppError: body-parser and database outages included, the rest a 500. */
export function normalizeError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const status =
    (error as { status?: unknown; statusCode?: unknown })?.status ??
    (error as { statusCode?: unknown })?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (status === 413) return new AppError('too_large', 'errors.413.message', 413);
    return new BadRequestError();
  }
  if (isDatabaseUnavailable(error)) return new UnavailableError();
  return new AppError('internal', 'errors.500.message', 500, false);
}

// Connection-level failures (server down, connection cut, pool exhausted) answer 503, not 500: the
// request was fine and retrying later will work.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  '57P01',
  '57P02',
  '57P03',
  '08006',
  '08001',
  '08003',
]);

function isDatabaseUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  const message = error instanceof Error ? error.message : '';
  // "…is not queryable": pg refuses a query on a client whose connection already broke (found by
  // test/integration/faults/outage.test.ts, which cuts the connection mid-submission).
  return /Connection terminated|Knex: Timeout acquiring a connection|connection is closed|is not queryable/i.test(
    message,
  );
}
