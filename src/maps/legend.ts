import type { MapClass } from './classes';
import { formatCount } from './format';
import { LEGEND_LEFT, LEGEND_SWATCH, STRIP_TOP } from './layout';
import { escapeXml, fmt } from './svg';

// The legend as a threshold bar: one swatch per class with its lower bound under the left edge, then the
// "withheld" hatch and, when some area has no cell, the no-data swatch.

export const TEXT_COLOR = '#333333'; // 12.6:1 on white, WCAG AAA
export const NO_DATA_FILL = '#ffffff';
export const NO_DATA_STROKE = '#8c8c8c'; // 3.4:1 on white: enough for a non-text boundary (WCAG 1.4.11)
export const HATCH_LINE = '#737373';

export interface LegendInput {
  classes: readonly MapClass[];
  maxValue: number;
  title: string;
  suppressedLabel: string;
  noDataLabel: string;
  showNoData: boolean;
  /** Leave out the "withheld" key, for a map that withholds nothing (the public record's). */
  hideSuppressed?: boolean;
  hatchId: string;
  locale: string;
}

/** Draws the legend into the strip under the map, as an SVG group string. */
export function renderLegend(input: LegendInput): string {
  const { width, height } = LEGEND_SWATCH;
  const top = STRIP_TOP + 24;
  const parts: string[] = [
    `<g class="legend" fill="${TEXT_COLOR}" font-size="13">`,
    `<text x="${LEGEND_LEFT}" y="${STRIP_TOP + 14}" font-weight="700">${escapeXml(input.title)}</text>`,
  ];

  input.classes.forEach((c, i) => {
    const x = LEGEND_LEFT + i * width;
    parts.push(
      `<rect x="${x}" y="${top}" width="${width}" height="${height}" fill="${c.color}"/>`,
      `<line x1="${x}" y1="${top}" x2="${x}" y2="${top + height + 4}" stroke="${TEXT_COLOR}" stroke-width="1"/>`,
      `<text x="${x}" y="${top + height + 17}" text-anchor="${i === 0 ? 'start' : 'middle'}">${escapeXml(formatCount(c.min, input.locale))}</text>`,
    );
  });
  if (input.classes.length > 0) {
    // The maximum closes the bar, so readers see the range the darkest class covers.
    const x = LEGEND_LEFT + input.classes.length * width;
    parts.push(
      `<line x1="${x}" y1="${top}" x2="${x}" y2="${top + height + 4}" stroke="${TEXT_COLOR}" stroke-width="1"/>`,
      `<text x="${x}" y="${top + height + 17}" text-anchor="end">${escapeXml(formatCount(input.maxValue, input.locale))}</text>`,
    );
  }

  const specialsTop = top + height + 30;
  if (!input.hideSuppressed) {
    parts.push(
      `<rect x="${LEGEND_LEFT}" y="${specialsTop}" width="${height}" height="${height}" fill="url(#${input.hatchId})" stroke="${NO_DATA_STROKE}" stroke-width="0.75"/>`,
      `<text x="${LEGEND_LEFT + height + 6}" y="${fmt(specialsTop + height - 2)}">${escapeXml(input.suppressedLabel)}</text>`,
    );
  }
  if (input.showNoData) {
    const x = input.hideSuppressed ? LEGEND_LEFT : LEGEND_LEFT + 190;
    parts.push(
      `<rect x="${x}" y="${specialsTop}" width="${height}" height="${height}" fill="${NO_DATA_FILL}" stroke="${NO_DATA_STROKE}" stroke-width="0.75"/>`,
      `<text x="${x + height + 6}" y="${fmt(specialsTop + height - 2)}">${escapeXml(input.noDataLabel)}</text>`,
    );
  }
  parts.push('</g>');
  return parts.join('');
}

/** The hatch pattern that marks a withheld count: texture, not colour, so it never reads as a low count. */
export function hatchPattern(id: string, size = 6): string {
  return (
    `<pattern id="${id}" width="${size}" height="${size}" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">` +
    `<rect width="${size}" height="${size}" fill="#ffffff"/>` +
    `<line x1="0" y1="0" x2="0" y2="${size}" stroke="${HATCH_LINE}" stroke-width="${size / 3}"/>` +
    `</pattern>`
  );
}
