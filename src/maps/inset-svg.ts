import { INSET_LABEL_SIZE } from './layout';
import { HATCH_LINE, NO_DATA_STROKE, TEXT_COLOR } from './legend';
import { escapeXml, fmt } from './svg';
import type { InsetShape } from './types';

// A territory in its frame under the map. The frame carries the title too, so the whole box answers a
// hover or a tap however small the islands are.

/** How the territory's cell is drawn: a class colour, the fine hatch, or the no-data white. */
export interface InsetPaint {
  fill: string;
  kind: 'value' | 'suppressed' | 'none';
}

/**
 * Draws one territory inset: frame, shape, and its name under the frame; `title` is already escaped.
 * `shape` writes the territory's shape with the given attributes (its path, or a reference to it).
 */
export function renderInset(
  t: InsetShape,
  paint: InsetPaint,
  title: string,
  label: string,
  shape: (attributes: string) => string,
): string {
  const { x, y, width, height } = t.box;
  const cx = fmt(x + width / 2);
  const text = wrapLabel(label)
    .map(
      (line, i) =>
        `<text x="${cx}" y="${y + height + 14 + i * 13}" text-anchor="middle">${escapeXml(line)}</text>`,
    )
    .join('');
  // A class colour is stroked in itself so small islands stay visible; hatch and white get a thin outline.
  const stroke =
    paint.kind === 'value'
      ? `stroke="${paint.fill}" stroke-width="1.2"`
      : `stroke="${paint.kind === 'suppressed' ? HATCH_LINE : NO_DATA_STROKE}" stroke-width="0.6"`;
  return (
    `<g><title>${title}</title>` +
    `<rect x="${x}" y="${y}" width="${width}" height="${height}" fill="#ffffff" stroke="#d0d0d0" stroke-width="1"/>` +
    shape(`fill="${paint.fill}" ${stroke} stroke-linejoin="round"`) +
    `<g fill="${TEXT_COLOR}" font-size="${INSET_LABEL_SIZE}">${text}</g></g>`
  );
}

// Splits a long name over two lines at the space nearest its middle, so labels fit under the frames.
function wrapLabel(label: string): string[] {
  if (label.length <= 14) return [label];
  const mid = label.length / 2;
  let best = -1;
  for (let i = 0; i < label.length; i++) {
    if (label[i] === ' ' && (best < 0 || Math.abs(i - mid) < Math.abs(best - mid))) best = i;
  }
  return best < 0 ? [label] : [label.slice(0, best), label.slice(best + 1)];
}
