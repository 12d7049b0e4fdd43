import type { OutgoingHttpHeaders } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';

// Frozen responses: a public answer that depends only on its address and the published releases is sent
// the second time as it was sent the first, bytes and headers, by the first middleware of the app,
// before the rest of the stack. Measured with bench/public.ts (BENCH_LAYERS=1 prints what each layer
// of the full stack costs); the full stack is kept for everything else and for the first request.
//
// Correct by construction rather than by duplication: an entry is the exact status-200 response the
// full stack produced for this very URL and content encoding, headers included (CSP and the other
// security headers, ETag, Cache-Control, Content-Type, Content-Length, Vary). It is served only when
// the request could not have been answered differently: GET or HEAD, no conditional or cache-control
// request headers (304s and revalidation go the long way), and only while the owner says the entries
// are current (the public site: while its list of releases is fresh, and it clears them when a release
// is published). Privacy: nothing here is per request; no header is added, no request is counted.

export type Encoding = 'br' | 'gzip' | 'identity';

interface Entry {
  headers: OutgoingHttpHeaders;
  body: Buffer;
}

export interface FrozenResponses {
  /** The app's first middleware: answers from an entry, or passes the request on untouched. */
  serve: RequestHandler;
  /** Keeps the response just sent (call right after res.send) as the answer to this URL and encoding. */
  remember(req: Request, res: Response, encoding: Encoding, body: Buffer): void;
  /** Forgets every entry (a release was published). */
  clear(): void;
  /** Whether entries may be served now; set by the owner (false while its own view may be stale). */
  setCurrent(check: () => boolean): void;
}

// Revalidation and "give me a fresh copy" requests take the full stack, which knows how to answer them.
const CONDITIONAL = ['if-none-match', 'if-modified-since', 'if-match', 'if-unmodified-since', 'if-range'];
const FORBIDDEN_HEADERS = ['set-cookie'];
const MAX_ENCODING_SPELLINGS = 256;

/**
 * Brotli whenever it is accepted, then gzip, else the plain bytes. Browsers list gzip first ("gzip,
 * deflate, br"), and the client's order, which content negotiation follows, says nothing about which
 * they prefer. One function for both paths, so they always choose alike.
 */
export function preferredEncoding(req: Request): Encoding {
  if (req.acceptsEncodings('br') === 'br') return 'br';
  if (req.acceptsEncodings('gzip') === 'gzip') return 'gzip';
  return 'identity';
}

/** The store of frozen responses, bounded by the bytes of the bodies it holds. */
export function createFrozenResponses(options: { maxBytes: number; maxEntries?: number }): FrozenResponses {
  const entries = new Map<string, Entry>();
  const maxEntries = options.maxEntries ?? 4096;
  let bytes = 0;
  // Bumped by clear(): a response begun before a release was published is not kept after it.
  let generation = 0;
  let current: () => boolean = () => false;
  // Browsers send a handful of Accept-Encoding spellings; each is negotiated once. Bounded, so made-up
  // spellings cost a negotiation each and nothing more.
  const spellings = new Map<string, Encoding>();
  const encodingOf = (req: Request): Encoding => {
    const key = req.headers['accept-encoding'] ?? '';
    let encoding = spellings.get(key);
    if (encoding === undefined) {
      encoding = preferredEncoding(req);
      if (spellings.size >= MAX_ENCODING_SPELLINGS) spellings.clear();
      spellings.set(key, encoding);
    }
    return encoding;
  };

  const serve: RequestHandler = (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (entries.size === 0) {
      res.locals.frozenGeneration = generation;
      return next();
    }
    const headers = req.headers;
    if (headers['cache-control'] !== undefined || headers.pragma !== undefined) return next();
    for (const name of CONDITIONAL) if (headers[name] !== undefined) return next();
    const entry = entries.get(`${encodingOf(req)} ${req.url}`);
    if (!entry || !current()) {
      res.locals.frozenGeneration = generation;
      return next();
    }
    res.writeHead(200, entry.headers);
    res.end(req.method === 'HEAD' ? undefined : entry.body);
  };

  function remember(req: Request, res: Response, encoding: Encoding, body: Buffer): void {
    if (req.method !== 'GET' || res.statusCode !== 200) return;
    if (res.locals.frozenGeneration !== generation) return;
    const headers = res.getHeaders();
    if (FORBIDDEN_HEADERS.some((name) => headers[name] !== undefined)) return;
    if (Number(headers['content-length']) !== body.byteLength) return;
    const key = `${encoding} ${req.originalUrl}`;
    const old = entries.get(key);
    if (old) {
      entries.delete(key);
      bytes -= old.body.byteLength;
    }
    entries.set(key, { headers: { ...headers }, body });
    bytes += body.byteLength;
    for (const [oldest, entry] of entries) {
      if (bytes <= options.maxBytes && entries.size <= maxEntries) break;
      entries.delete(oldest);
      bytes -= entry.body.byteLength;
    }
  }

  return {
    serve,
    remember,
    clear() {
      generation += 1;
      entries.clear();
      bytes = 0;
    },
    setCurrent(check) {
      current = check;
    },
  };
}
