import { gzipSync } from 'node:zlib';
import type { Request, Response } from 'express';
import { localizedPath } from '../platform/i18n';
import { answerIfFresh, type Freshness } from './cache';
import type { FileResult, PageResult, PublicSite } from './site';

// Turns the public site's results into responses: 304 when the client holds the version, otherwise the
// cached bytes, rendering or building them only on the first request for this version. Text is kept
// gzipped too and sent so when the client accepts it: maps make pages of 150 KB and more. (No BREACH
// risk: these responses hold no secret, no token and nothing from the request.)

/** A response body as cached: the bytes, and their gzip when compressing is worth it. */
export interface Body {
  raw: Buffer;
  gzip?: Buffer;
}

/** Wraps content for the cache, compressing text once here rather than on every request. */
export function toBody(content: string | Uint8Array, text: boolean): Body {
  const raw =
    typeof content === 'string'
      ? Buffer.from(content, 'utf8')
      : Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  return text && raw.byteLength > 1024 ? { raw, gzip: gzipSync(raw, { level: 6 }) } : { raw };
}

/** Cache size of a body: both encodings are kept. */
export function bodySize(body: Body): number {
  return body.raw.byteLength + (body.gzip?.byteLength ?? 0);
}

function render(res: Response, view: string, data: object): Promise<string> {
  return new Promise((resolve, reject) => {
    res.render(view, data, (error: Error | null, html?: string) =>
      error ? reject(error) : resolve(html ?? ''),
    );
  });
}

// Sends the body in the encoding the client accepts; each encoding has its own strong ETag.
function sendBody(
  req: Request,
  res: Response,
  freshness: Freshness,
  body: () => Promise<Body>,
  text: boolean,
): Promise<void> | void {
  if (text) res.vary('Accept-Encoding');
  const gzip = text && req.acceptsEncodings('gzip', 'identity') === 'gzip';
  const tagged = gzip ? { ...freshness, etag: freshness.etag.replace(/"$/, '-gz"') } : freshness;
  if (answerIfFresh(req, res, tagged)) return;
  return body().then((b) => {
    if (gzip && b.gzip) {
      res.set('Content-Encoding', 'gzip');
      res.send(b.gzip);
    } else {
      if (gzip) res.set('ETag', freshness.etag);
      res.send(b.raw);
    }
  });
}

async function sendPage(req: Request, res: Response, site: PublicSite, result: PageResult): Promise<void> {
  // The twin link keeps the canonical query, so a filtered map links to the same map in the other language.
  res.locals.twinHref = localizedPath(res.locals.twinLang, res.locals.pagePath) + result.query;
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
  );
}

async function sendFile(req: Request, res: Response, site: PublicSite, result: FileResult): Promise<void> {
  res.set('Content-Type', result.type);
  if (result.disposition) res.set('Content-Disposition', result.disposition);
  // Only the map images may be embedded by other sites; everything else keeps helmet's same-origin.
  if (result.embeddable) res.set('Cross-Origin-Resource-Policy', 'cross-origin');
  const text = /^(text\/|application\/json|image\/svg)/.test(result.type);
  await sendBody(
    req,
    res,
    result.freshness,
    () => site.files.getOrBuild(result.key, async () => toBody(await result.build(), text)),
    text,
  );
}

/** Sends a page or a file from the public site, honouring If-None-Match and Accept-Encoding. */
export function send(
  req: Request,
  res: Response,
  site: PublicSite,
  result: PageResult | FileResult,
): Promise<void> {
  return result.kind === 'page' ? sendPage(req, res, site, result) : sendFile(req, res, site, result);
}
