import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Request, Response } from 'express';
import { preferredEncoding, type Encoding, type FrozenResponses } from '../platform/frozen';
import { languageLinks } from '../platform/i18n';
import { answerIfFresh, type Freshness } from './cache';
import type { FileResult, PageResult, PublicSite } from './site';

// Turns the public site's results into responses: 304 when the client holds the version, otherwise the
// cached bytes, rendering or building them only on the first request for this version. Text is kept
// compressed too, in brotli and gzip, and sent so when the client accepts it: the inline map is most of
// a page. (No BREACH risk: these responses hold no secret, no token and nothing from the request.)

/** A response body as cached: the bytes, and their compressed forms when compressing is worth it. */
export interface Body {
  raw: Buffer;
  gzip?: Buffer;
  br?: Buffer;
}

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

// Brotli's best quality costs ~1 ms per KB, paid once per release and page, and off the event loop
// (zlib runs in libuv's thread pool); past a quarter megabyte a middling quality is nearly as small.
const brotliQuality = (bytes: number): number => (bytes <= 256 * 1024 ? 11 : 6);

/** Wraps content for the cache, compressing text once here rather than on every request. */
export async function toBody(content: string | Uint8Array, text: boolean): Promise<Body> {
  const raw =
    typeof content === 'string'
      ? Buffer.from(content, 'utf8')
      : Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  if (!text || raw.byteLength <= 1024) return { raw };
  const [gz, br] = await Promise.all([
    gzipAsync(raw, { level: 9 }),
    brotliAsync(raw, {
      params: {
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_QUALITY]: brotliQuality(raw.byteLength),
        [constants.BROTLI_PARAM_SIZE_HINT]: raw.byteLength,
        // A window no larger than the body: the default 16 MB one is memory taken for nothing.
        [constants.BROTLI_PARAM_LGWIN]: Math.min(24, Math.max(16, Math.ceil(Math.log2(raw.byteLength)))),
      },
    }),
  ]);
  return { raw, gzip: gz, br };
}

/** Cache size of a body: every encoding is kept. */
export function bodySize(body: Body): number {
  return body.raw.byteLength + (body.gzip?.byteLength ?? 0) + (body.br?.byteLength ?? 0);
}

function render(res: Response, view: string, data: object): Promise<string> {
  return new Promise((resolve, reject) => {
    res.render(view, data, (error: Error | null, html?: string) =>
      error ? reject(error) : resolve(html ?? ''),
    );
  });
}

// Sends the body in the best encoding the client accepts; each encoding has its own strong ETag, since
// the bytes differ.
function sendBody(
  req: Request,
  res: Response,
  freshness: Freshness,
  body: () => Promise<Body>,
  text: boolean,
  frozen: FrozenResponses | undefined,
): Promise<void> | void {
  if (text) res.vary('Accept-Encoding');
  const wanted: Encoding = text ? preferredEncoding(req) : 'identity';
  const encoded: Freshness =
    wanted === 'identity' ? freshness : { ...freshness, etag: freshness.etag.replace(/"$/, `-${wanted}"`) };
  // A client holding this version's plain bytes (sent when a body is too small to compress) is as
  // fresh as one holding the compressed ones: both are this release.
  const holdsPlain = wanted !== 'identity' && (req.get('If-None-Match') ?? '').includes(freshness.etag);
  if (answerIfFresh(req, res, holdsPlain ? freshness : encoded)) return;
  return body().then((b) => {
    const compressed = wanted === 'identity' ? undefined : b[wanted];
    if (!compressed) {
      // Too small to be worth compressing: sent as is, under the plain tag.
      if (wanted !== 'identity') res.set('ETag', freshness.etag);
      res.send(b.raw);
      frozen?.remember(req, res, wanted, b.raw);
      return;
    }
    res.set('Content-Encoding', wanted);
    res.send(compressed);
    frozen?.remember(req, res, wanted, compressed);
  });
}

/**
 * Where built bodies are kept: the public site's caches, or another capability's of the same shape; with
 * `frozen`, responses are also kept whole for the app's first middleware (only for answers that depend
 * on the address and the releases alone).
 */
export type BodyCaches = Pick<PublicSite, 'pages' | 'files'> & { frozen?: FrozenResponses };

/**
 * The address a page is known by: its route's pattern with the parameters filled in, under the language
 * prefix. Express matches paths without regard to case or a trailing slash, so /METHODOLOGY/ reaches the
 * methodology page too; undefined when the route has no plain pattern.
 */
function canonicalPath(req: Request): string | undefined {
  const pattern = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof pattern !== 'string') return undefined;
  const params = req.params as Record<string, string | undefined>;
  return (
    req.baseUrl + pattern.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params[name] ?? ''))
  );
}

async function sendPage(req: Request, res: Response, site: BodyCaches, result: PageResult): Promise<void> {
  // Pages are cached whole, language link included, and that link is built from the request's path: the
  // first visitor's spelling (/es/METHODOLOGY/) would be served to everyone. Any other spelling is sent
  // to the canonical address instead, so only canonical pages are ever rendered and cached.
  const canonical = canonicalPath(req);
  const [requested = '', query] = req.originalUrl.split(/\?(.*)/s, 2);
  // A language's home answers at /es as well as /es/ (canonical), without a redirect.
  if (canonical !== undefined && requested !== canonical && canonical !== `${requested}/`) {
    res.redirect(301, query === undefined ? canonical : `${canonical}?${query}`);
    return;
  }
  // The twin links keep the canonical query, so a filtered map links to the same map in the other languages.
  res.locals.languages = languageLinks(res.locals.lang, res.locals.pagePath, result.query);
  res.type('html');
  await sendBody(
    req,
    res,
    result.freshness,
    () =>
      site.pages.getOrBuild(result.key, async () =>
        toBody(
          await render(res, result.view, { titleKey: result.titleKey, ...(await result.build()) }),
          true,
        ),
      ),
    true,
    site.frozen,
  );
}

async function sendFile(req: Request, res: Response, site: BodyCaches, result: FileResult): Promise<void> {
  res.set('Content-Type', result.type);
  if (result.disposition) res.set('Content-Disposition', result.disposition);
  // Only the map images may be embedded by other sites; everything else keeps helmet's same-origin.
  if (result.embeddable) res.set('Cross-Origin-Resource-Policy', 'cross-origin');
  const text = /^(text\/|application\/(json|geo\+json|atom\+xml)|image\/svg)/.test(result.type);
  await sendBody(
    req,
    res,
    result.freshness,
    () => site.files.getOrBuild(result.key, async () => toBody(await result.build(), text)),
    text,
    site.frozen,
  );
}

/** Sends a page or a file from the public site, honouring If-None-Match and Accept-Encoding. */
export function send(
  req: Request,
  res: Response,
  site: BodyCaches,
  result: PageResult | FileResult,
): Promise<void> {
  return result.kind === 'page' ? sendPage(req, res, site, result) : sendFile(req, res, site, result);
}
