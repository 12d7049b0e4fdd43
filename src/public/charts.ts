import { formatCount } from '../maps/format';
import { hatchPattern, HATCH_LINE, TEXT_COLOR } from '../maps/legend';
import { escapeXml, fmt } from '../maps/svg';

// Bar charts as SVG strings, drawn on the server. Presentation attributes only (the CSP forbids inline
// styles), a <title> on every bar for pointer users, and role=img with a title and description for
// screen readers, who get the same numbers in the table next to each chart. A withheld bar is a small
// hatched mark on the baseline, the same for every withheld cell: its height must say nothing, because a cell
// withheld to protect another can hold any count, and drawing it up to k would call it small.

export interface Bar {
  label: string;
  /** The count, or null when withheld. */
  value: number | null;
  /** Text under a column (time series), when this column starts a new year. */
  tick?: string;
  /** How many columns the tick's text is centred under (4 for a year of quarters); 1 by default. */
  span?: number;
}

export interface ChartInput {
  id: string;
  title: string;
  description: string;
  bars: readonly Bar[];
  /** "withheld", in the page's language. */
  withheldLabel: string;
  locale: string;
}

const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, 'DejaVu Sans', sans-serif";
const BAR_FILL = '#1660a7'; // 6.4:1 on white
const GRID = '#d9d5cc';

function open(input: ChartInput, width: number, height: number, kind: string): string[] {
  const { id } = input;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-title ${id}-desc" class="chart chart-${kind}" font-family="${escapeXml(FONT)}" font-size="13" fill="${TEXT_COLOR}">`,
    `<title id="${id}-title">${escapeXml(input.title)}</title>`,
    `<desc id="${id}-desc">${escapeXml(input.description)}</desc>`,
    `<defs>${hatchPattern(`${id}-hatch`, 5)}</defs>`,
  ];
}

function barTitle(input: ChartInput, bar: Bar): string {
  const value = bar.value === null ? input.withheldLabel : formatCount(bar.value, input.locale);
  return `<title>${escapeXml(`${bar.label}: ${value}`)}</title>`;
}

/** A rounded-up axis maximum (1, 2, 2.5 or 5 times a power of ten) and its tick step. */
export function niceScale(max: number): { max: number; step: number } {
  const target = Math.max(1, max) / 4;
  const magnitude = 10 ** Math.floor(Math.log10(target));
  // Counts are whole, so a tick step is never below one.
  const step = Math.max(
    1,
    [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= target) ?? 10 * magnitude,
  );
  return { max: Math.ceil(Math.max(1, max) / step) * step, step };
}

function legend(input: ChartInput, x: number, y: number): string {
  if (!input.bars.some((b) => b.value === null)) return '';
  return (
    `<g class="chart-legend"><rect x="${x}" y="${y - 11}" width="12" height="12" fill="url(#${input.id}-hatch)" stroke="${HATCH_LINE}" stroke-width="0.75"/>` +
    `<text x="${x + 18}" y="${y}">${escapeXml(input.withheldLabel)}</text></g>`
  );
}

/** Vertical columns for a time series, such as reports by quarter. */
export function columnChart(input: ChartInput): string {
  const width = 960;
  const height = 320;
  const m = { top: 30, right: 12, bottom: 40, left: 52 };
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const published = input.bars.flatMap((b) => (b.value === null ? [] : [b.value]));
  const scale = niceScale(Math.max(1, ...published));
  const y = (v: number): number => m.top + plotH - (v / scale.max) * plotH;
  const band = plotW / Math.max(1, input.bars.length);
  const barW = Math.max(1, band * 0.72);

  const out = open(input, width, height, 'columns');
  out.push(`<g class="grid" stroke="${GRID}" stroke-width="1">`);
  const labels: string[] = [];
  for (let v = 0; v <= scale.max + 1e-9; v += scale.step) {
    out.push(`<line x1="${m.left}" x2="${width - m.right}" y1="${fmt(y(v))}" y2="${fmt(y(v))}"/>`);
    labels.push(
      `<text x="${m.left - 6}" y="${fmt(y(v) + 4)}" text-anchor="end">${escapeXml(formatCount(v, input.locale))}</text>`,
    );
  }
  out.push('</g>', `<g class="axis">${labels.join('')}</g>`, '<g class="bars">');
  input.bars.forEach((bar, i) => {
    const x = m.left + i * band + (band - barW) / 2;
    if (bar.value === null) {
      const mark = Math.min(barW, 8);
      out.push(
        `<rect x="${fmt(x + (barW - mark) / 2)}" y="${fmt(y(0) - mark)}" width="${fmt(mark)}" height="${fmt(mark)}" fill="url(#${input.id}-hatch)" stroke="${HATCH_LINE}" stroke-width="0.75">${barTitle(input, bar)}</rect>`,
      );
    } else {
      const top = y(bar.value);
      out.push(
        `<rect x="${fmt(x)}" y="${fmt(top)}" width="${fmt(barW)}" height="${fmt(y(0) - top)}" fill="${BAR_FILL}">${barTitle(input, bar)}</rect>`,
      );
    }
  });
  out.push('</g><g class="ticks">');
  input.bars.forEach((bar, i) => {
    if (!bar.tick) return;
    const x = m.left + i * band;
    out.push(
      `<line x1="${fmt(x)}" x2="${fmt(x)}" y1="${fmt(y(0))}" y2="${fmt(y(0) + 6)}" stroke="${TEXT_COLOR}" stroke-width="1"/>`,
      `<text x="${fmt(x + ((bar.span ?? 1) * band) / 2)}" y="${fmt(y(0) + 20)}" text-anchor="middle">${escapeXml(bar.tick)}</text>`,
    );
  });
  out.push(
    '</g>',
    `<line x1="${m.left}" x2="${width - m.right}" y1="${fmt(y(0))}" y2="${fmt(y(0))}" stroke="${TEXT_COLOR}" stroke-width="1"/>`,
    legend(input, width - m.right - 180, 16),
    '</svg>',
  );
  return out.join('');
}

/** Horizontal bars with the label above each, for the code lists (long labels in two languages). */
export function barChart(input: ChartInput): string {
  const width = 720;
  const row = 42;
  const top = 30;
  const barMax = 560;
  const height = top + input.bars.length * row + 8;
  const published = input.bars.flatMap((b) => (b.value === null ? [] : [b.value]));
  const max = Math.max(...published, 1);
  const w = (v: number): number => Math.max(1, (v / max) * barMax);

  const out = open(input, width, height, 'bars');
  out.push(legend(input, 0, 16), '<g class="bars">');
  input.bars.forEach((bar, i) => {
    const y = top + i * row;
    out.push(`<text x="0" y="${y + 13}">${escapeXml(bar.label)}</text>`);
    if (bar.value === null) {
      out.push(
        `<rect x="0" y="${y + 18}" width="16" height="16" fill="url(#${input.id}-hatch)" stroke="${HATCH_LINE}" stroke-width="0.75">${barTitle(input, bar)}</rect>`,
        `<text x="22" y="${y + 31}">${escapeXml(input.withheldLabel)}</text>`,
      );
    } else {
      out.push(
        `<rect x="0" y="${y + 18}" width="${fmt(w(bar.value))}" height="16" fill="${BAR_FILL}">${barTitle(input, bar)}</rect>`,
        `<text x="${fmt(w(bar.value) + 6)}" y="${y + 31}" font-weight="600">${escapeXml(formatCount(bar.value, input.locale))}</text>`,
      );
    }
  });
  out.push('</g></svg>');
  return out.join('');
}
