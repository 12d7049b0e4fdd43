import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * JSON-lines logger. Promise 1: no timestamp (time of day is identifying for reporters), and the
 * request fields that could identify anyone are redacted wherever they might appear.
 */
export function createLogger(options: { level: string; destination?: pino.DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      timestamp: false,
      base: undefined,
      // Promise 1: these paths name fields to remove, never to write. If any log call were ever handed a
      // request, its address, headers and body would come out as "[redacted]".
      redact: {
        paths: [
          'req.headers',
          'req.body',
          'req.ip',
          'req.remoteAddress',
          'headers',
          'body',
          'ip',
          '*.headers',
          '*.body',
          '*.ip',
          '*.user_agent',
          '*.referer',
        ],
        censor: '[redacted]',
      },
    },
    options.destination,
  );
}
