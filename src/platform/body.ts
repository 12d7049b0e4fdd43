import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

// A response body as it is cached: built once, compressed once, sent many times. Text is kept compressed
// too, in brotli and gzip, and sent so when the client accepts it: the inline map is most of a page. (No
// BREACH risk: these responses hold no secret, no token and nothing from the request.)

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
