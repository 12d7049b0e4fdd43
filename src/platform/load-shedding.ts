import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { RequestHandler } from 'express';

// Load shedding instead of a global request cap. A fixed cap for everyone together ("300 reports per
// 15 minutes") is a counter any stranger can run down: about 30 addresses at their per-client limit
// closed intake for every reporter. What a flood really exhausts is the process: requests pile up
// waiting for a database connection, and the event loop falls behind. So the guarded routes refuse
// new work (503, "try again later", nothing stored) only while
//   - more than `maxInFlight` guarded requests are already being handled (the queue in front of the
//     database pool), or
//   - the event loop's delay over the last second, at the 99th percentile, exceeds `maxDelayMs`
//     (the process is out of CPU) while guarded requests are queuing (`minQueueForDelay`): a delay with
//     nothing queued is other work, such as the embedded database, which runs on the same thread,
//     answering a long query,
// and take work again as soon as the load falls. An attacker now has to overload the server itself,
// which no per-request rule can prevent (volume floods belong to the network in front, and to Tor's
// proof-of-work defence for the onion service: README).

export interface LoadSheddingOptions {
  /** Guarded requests handled at once before new ones are refused. */
  maxInFlight: number;
  /** Event-loop delay (p99 over the last second, in ms) above which new requests are refused… */
  maxDelayMs: number;
  /** …when at least this many guarded requests are already in flight. */
  minQueueForDelay: number;
}

// Measured on this machine's bench (bench/intake.ts): 20 connections keep about 20 requests in flight
// with a p99 event-loop delay of a few ms; these leave an order of magnitude of headroom.
export const DEFAULT_LOAD_SHEDDING: LoadSheddingOptions = {
  maxInFlight: 256,
  maxDelayMs: 500,
  minQueueForDelay: 8,
};

/** The event loop's recent delay in ms, sampled every second; the timer never keeps the process alive. */
export function eventLoopDelaySampler(): () => number {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let recent = 0;
  const timer = setInterval(() => {
    recent = histogram.count > 0 ? histogram.percentile(99) / 1e6 : 0;
    histogram.reset();
  }, 1000);
  timer.unref();
  return () => recent;
}

let sharedSampler: (() => number) | undefined;

/** A middleware that refuses work while the process is overloaded (see above). */
export function loadShedding(
  options: LoadSheddingOptions,
  delay: () => number = (sharedSampler ??= eventLoopDelaySampler()),
): RequestHandler {
  let inFlight = 0;
  return (_req, res, next) => {
    const overloaded =
      inFlight >= options.maxInFlight ||
      (inFlight >= options.minQueueForDelay && delay() > options.maxDelayMs);
    if (overloaded) {
      // Answered here rather than thrown: the error handler logs every 5xx, and a log line per refused
      // request would spend the very CPU that is short. The page is the usual translated 503.
      res
        .status(503)
        .set('Cache-Control', 'no-store')
        .render('errors/error', { status: 503, titleKey: 'errors.503.title', messageKey: 'intake.busy' });
      return;
    }
    inFlight += 1;
    let done = false;
    const finished = () => {
      if (done) return;
      done = true;
      inFlight -= 1;
    };
    res.once('finish', finished);
    res.once('close', finished);
    next();
  };
}
