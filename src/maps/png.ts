import { existsSync } from 'node:fs';
import type { RenderedImage, ResvgRenderOptions } from '@resvg/resvg-js';

// PNG twins of the standalone maps. Text needs a font file: no installed npm package ships one, so the
// default is DejaVu Sans where Debian and most Linux images put it, falling back to the system's fonts.

const DEJAVU_DIR = '/usr/share/fonts/truetype/dejavu';
const DEFAULT_FONTS = [`${DEJAVU_DIR}/DejaVuSans.ttf`, `${DEJAVU_DIR}/DejaVuSans-Bold.ttf`];

// The native renderer is loaded at the first PNG (Node keeps it after that), not at start-up, where every
// module counts against a restart's 3 s (DESIGN section 7); most processes never draw a PNG.
function renderer(): typeof import('@resvg/resvg-js') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@resvg/resvg-js') as typeof import('@resvg/resvg-js');
}

export interface PngOptions {
  /** Output width in pixels; twice the drawing's width by default, sharp on high-density screens. */
  width?: number;
  /** Font files to render text with; the DejaVu Sans files when present, otherwise system fonts. */
  fontFiles?: readonly string[];
}

let defaultFonts: string[] | undefined;

function resvgOptions(options: PngOptions): ResvgRenderOptions {
  defaultFonts ??= DEFAULT_FONTS.filter((f) => existsSync(f));
  const fontFiles = [...(options.fontFiles ?? defaultFonts)];
  return {
    fitTo: options.width ? { mode: 'width', value: options.width } : { mode: 'zoom', value: 2 },
    background: '#ffffff',
    font: {
      fontFiles,
      // Scanning every system font costs far more than the render, so only when no file was found.
      loadSystemFonts: fontFiles.length === 0,
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    },
  };
}

/** Rasterizes a standalone SVG to PNG bytes on the calling thread; for scripts and tests. */
export function svgToPng(svg: string, options: PngOptions = {}): Buffer {
  const { Resvg } = renderer();
  return encode(new Resvg(svg, resvgOptions(options)).render());
}

// One render at a time: each holds tens of megabytes of native memory, so concurrent requests for
// PNGs queue rather than multiply the process's footprint.
let queue: Promise<unknown> = Promise.resolve();

/** Rasterizes on libuv's thread pool, one render at a time, so a PNG never stalls other requests. */
export function svgToPngAsync(svg: string, options: PngOptions = {}): Promise<Buffer> {
  const run = queue.then(async () => encode(await renderer().renderAsync(svg, resvgOptions(options))));
  queue = run.catch(() => undefined);
  return run;
}

function encode(image: RenderedImage): Buffer {
  const png = image.asPng();
  signalNativeMemory(image.width * image.height * 4);
  return png;
}

// resvg-js 2.6 keeps each rendered pixmap (≈13 MB at 2×) in Rust memory V8 cannot see, so the garbage
// collector that would free it runs rarely and RSS climbs past 2 GB under repeated renders
// (thx/resvg-js#216, fixed upstream in #393, not in a stable release yet). An untouched ArrayBuffer of the
// same size tells V8 about the pressure; its pages are never written, so it costs no memory itself.
// Measured: 160 renders held RSS near 150 MB with this, and grew to 2.1 GB without it.
function signalNativeMemory(bytes: number): void {
  new ArrayBuffer(bytes);
}
