import type { Request, Response } from 'express';
import { toBody, type Body } from './body';
import { preferredEncoding, type Encoding, type FrozenResponses } from './frozen';
import { languageLinks } from './i18n';

// Sends the cacheable answers of the public site and the public record: 304 when the client holds the
// version, otherwise the cached bytes, rendering or building them only on the first request for this
// version, in the best encoding the client accepts. Capabilities describe what to send as a PageResult
// or a FileResult; this turns it into HTTP.

/** The version of a response: its strong ETag, and how long browsers and proxies may keep it. */
export interface Freshness {
  etag: string;
  maxAge: number;
}

/** A page to render with a template, cached whole per language, address and version. */
export interface PageResult {
  kind: 'page';
  view: string;
  titleKey: string;
  key: string;
  /** The canonical query string ('' or '?…'), for the cache key and the link to the other language. */
  query: string;
  freshness: Freshness;
  build(): object | Promise<object>;
}

/** A file (CSV, ZIP, JSON, SVG, PNG), cached as bytes. */
export interface FileResult {
  kind: 'file';
  type: string;
  key: string;
  freshness: Freshness;
  /** attachment (downloads) or inline (images), with the file name. */
  disposition?: string;
  /** Images journalists embed on other sites may be loaded cross-origin. */
  embeddable?: boolean;
  build(): string | Uint8Array | Promise<string | Uint8Array>;
}

/** A cache of built bodies that builds each one once (platform/byte-cache.ts ByteLru is one). */
export interface BodyCache {
  get(key: string): Body | undefined;
  getOrBuild(key: string, build: () => Promise<Body>): Promise<Body>;
}

/**
 * Where built bodies are kept: a capability's page and file caches; with `frozen`, responses are also
 * kept whole for the app's first middleware (only for answers that depend on the address and the
 * releases alone).
 */
export interface BodyCaches {
  pages: BodyCache;
  files: BodyCache;
  frozen?: FrozenResponses;
}

/**
 * Sets ETag and Cache-Control and answers 304 when the client already holds this version. Returns true
 * when the response is finished.
 */
export function answerIfFresh(req: Request, res: Response, freshness: Freshness): boolean {
  res.set('ETag', freshness.etag);
  res.set('Cache-Control', `public, max-age=${freshness.maxAge}`);
  if (!req.fresh) return false;
  res.status(304).end();
  return true;
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

/** Sends a page or a file, honouring If-None-Match and Accept-Encoding. */
export function send(
  req: Request,
  res: Response,
  site: BodyCaches,
  result: PageResult | FileResult,
): Promise<void> {
  return result.kind === 'page' ? sendPage(req, res, site, result) : sendFile(req, res, site, result);
}
