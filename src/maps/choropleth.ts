import { computeClasses, classIndex, type MapClass } from './classes';
import { formatCount } from './format';
import { renderInset } from './inset-svg';
import { areaId, BORDERS_ID, insetId, NATION_ID } from './sprite';
import { BODY_HEIGHT, CAPTION_LINE, HEADER_HEIGHT, MAP_WIDTH } from './layout';
import { hatchPattern, NO_DATA_FILL, NO_DATA_STROKE, renderLegend } from './legend';
import { escapeXml, fmt } from './svg';
import type { MapGeometry, MapView, OfficeMarker } from './types';

// One choropleth, as an SVG string, from precomputed geometry and one table of release cells. Pure string
// building: no DOM, no styles (the CSP forbids inline ones, so colours are presentation attributes).

/** Translated strings the map draws; `suppressed` is the one label of a withheld area ("withheld"). */
export interface ChoroplethLabels {
  title: string;
  legendTitle: string;
  suppressed: string;
  noData: string;
  /** A longer text for screen readers; defaults to the title and caption. */
  description?: string;
}

export interface ChoroplethOptions {
  geometry: MapGeometry;
  view: MapView;
  /** By USPS code (state view) or office code (field-office view); null means suppressed. */
  values: ReadonlyMap<string, number | null>;
  threshold: number;
  labels: ChoroplethLabels;
  /** A file of its own (XML prolog, fixed size, title and caption drawn in) rather than inline markup. */
  standalone: boolean;
  /** Lines drawn under a standalone map, such as the release label and the citation. */
  caption?: readonly string[];
  locale?: string;
  /** Translated area names by key; reference names otherwise. */
  names?: ReadonlyMap<string, string>;
  /** Prefix for element ids, so two maps on one page never share one. */
  idPrefix?: string;
  /**
   * Colour classes chosen by the caller (a map of changes has its own), and the value below which an
   * area is drawn as withheld; by default classes come from the values and the floor is the threshold.
   */
  classes?: readonly MapClass[];
  floor?: number;
  /** How an area's value reads in its title; counts by default (a map of changes signs them). */
  formatValue?: (value: number) => string;
  /**
   * The address of the shape sprite (sprite.ts): inline maps draw each shape with <use> from it rather
   * than carrying its path. Unset, every path is written in, as a standalone file needs.
   */
  shapesHref?: string;
  /** A map that withholds nothing (the public record's): no "withheld" key in the legend. */
  hideSuppressed?: boolean;
}

const FONT_STACK =
  "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'DejaVu Sans', sans-serif";

type Cell = { kind: 'value'; value: number } | { kind: 'suppressed' } | { kind: 'none' };

/** Renders a state or field-office choropleth as an SVG string, inline or standalone. */
export function renderChoropleth(options: ChoroplethOptions): string {
  const { geometry, view, values, threshold, labels, standalone } = options;
  const locale = options.locale ?? 'en';
  const id = options.idPrefix ?? (view === 'state' ? 'map-states' : 'map-offices');
  const suppressedLabel = labels.suppressed.replaceAll('{k}', formatCount(threshold, locale));

  // A number under the threshold is drawn as suppressed even if a caller passes one: the map must never
  // be the place a small count leaks.
  const cellOf = (key: string | null): Cell => {
    const v = key === null ? undefined : values.get(key);
    if (v === null) return { kind: 'suppressed' };
    if (v === undefined || !Number.isFinite(v)) return { kind: 'none' };
    return v < (options.floor ?? threshold) ? { kind: 'suppressed' } : { kind: 'value', value: v };
  };
  const areas = view === 'state' ? geometry.states : geometry.offices;
  const published = areas.flatMap((a) => {
    const c = cellOf(a.key);
    return c.kind === 'value' ? [c.value] : [];
  });
  const classes = options.classes ?? computeClasses(published);
  const fillOf = (c: Cell): string => fill(c, classes, `${id}-hatch`);
  const describe = (name: string, c: Cell): string =>
    escapeXml(
      `${name}: ${c.kind === 'value' ? (options.formatValue ?? ((n) => formatCount(n, locale)))(c.value) : c.kind === 'suppressed' ? suppressedLabel : labels.noData}`,
    );
  const nameOf = (key: string, fallback: string): string => options.names?.get(key) ?? fallback;
  // One shape: a reference into the sprite, or its path written in.
  const draw = (spriteId: string, d: string, attributes: string, content = ''): string =>
    options.shapesHref
      ? `<use href="${escapeXml(`${options.shapesHref}#${spriteId}`)}" ${attributes}>${content}</use>`
      : `<path d="${d}" ${attributes}>${content}</path>`;

  let showNoData = false;
  const shapes = areas.map((a) => {
    const c = cellOf(a.key);
    if (c.kind === 'none') showNoData = true;
    return draw(
      areaId(view, a.key),
      a.d,
      `fill="${fillOf(c)}"`,
      `<title>${describe(nameOf(a.key, a.name), c)}</title>`,
    );
  });

  const insets = geometry.insets
    .filter((t) => view === 'state' || t.officeKey !== null)
    .map((t) => {
      const c = cellOf(view === 'state' ? t.key : t.officeKey);
      if (c.kind === 'none') showNoData = true;
      const office = t.officeKey === null ? undefined : areas.find((a) => a.key === t.officeKey);
      const name =
        nameOf(t.key, t.name) +
        (view === 'field_office' && office ? ` (${nameOf(office.key, office.name)})` : '');
      // A finer hatch in the insets, where small islands would otherwise fall between the lines.
      const paint = { kind: c.kind, fill: c.kind === 'suppressed' ? `url(#${id}-hatch-fine)` : fillOf(c) };
      return renderInset(t, paint, describe(name, c), nameOf(t.key, t.name), (attributes) =>
        draw(insetId(t.key), t.d, attributes),
      );
    });

  const markers =
    view === 'field_office'
      ? renderMarkers(geometry.officeMarkers, (m) =>
          describe(`${nameOf(m.key, m.name)} (${m.city})`, cellOf(m.key)),
        )
      : '';

  const legend = renderLegend({
    classes,
    maxValue: Math.max(0, ...published),
    title: labels.legendTitle,
    suppressedLabel,
    noDataLabel: labels.noData,
    showNoData,
    hideSuppressed: options.hideSuppressed ?? false,
    hatchId: `${id}-hatch`,
    locale,
  });

  const caption = standalone ? (options.caption ?? []) : [];
  const top = standalone ? HEADER_HEIGHT : 0;
  const height = top + BODY_HEIGHT + (caption.length > 0 ? caption.length * CAPTION_LINE + 10 : 0);
  const description = labels.description ?? [labels.title, ...(options.caption ?? [])].join('. ');

  const out: string[] = [];
  if (standalone) out.push('<?xml version="1.0" encoding="UTF-8"?>\n');
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${MAP_WIDTH} ${height}"`,
    standalone ? ` width="${MAP_WIDTH}" height="${height}" font-family="${escapeXml(FONT_STACK)}"` : '',
    ` role="img" aria-labelledby="${id}-title ${id}-desc" class="choropleth choropleth-${view === 'state' ? 'states' : 'offices'}">`,
    `<title id="${id}-title">${escapeXml(labels.title)}</title>`,
    `<desc id="${id}-desc">${escapeXml(description)}</desc>`,
    `<defs>${hatchPattern(`${id}-hatch`)}${hatchPattern(`${id}-hatch-fine`, 3)}</defs>`,
  );
  if (standalone) {
    out.push(
      `<rect width="${MAP_WIDTH}" height="${height}" fill="#ffffff"/>`,
      `<text x="16" y="34" font-size="22" font-weight="700" fill="#1a1a1a">${escapeXml(labels.title)}</text>`,
      `<g transform="translate(0,${top})">`,
    );
  }
  out.push(
    // Office borders are drawn heavier than the dashed state borders laid over them, so the two never blur.
    `<g class="areas" stroke="#ffffff" stroke-width="${view === 'state' ? 0.75 : 1.2}" stroke-linejoin="round">${shapes.join('')}</g>`,
    view === 'field_office'
      ? draw(
          BORDERS_ID,
          geometry.stateBorders,
          'class="state-borders" fill="none" stroke="#ffffff" stroke-opacity="0.7" stroke-width="0.4" stroke-dasharray="2 1.5"',
        )
      : '',
    draw(
      NATION_ID,
      geometry.nationOutline,
      `class="nation" fill="none" stroke="${NO_DATA_STROKE}" stroke-width="0.6"`,
    ),
    markers,
    `<g class="insets">${insets.join('')}</g>`,
    legend,
  );
  if (standalone) {
    out.push('</g>');
    caption.forEach((line, i) => {
      const y = top + BODY_HEIGHT + (i + 1) * CAPTION_LINE;
      out.push(`<text x="16" y="${y}" font-size="12" fill="#555555">${escapeXml(line)}</text>`);
    });
  }
  out.push('</svg>');
  return out.join('');
}

function fill(c: Cell, classes: readonly MapClass[], hatchId: string): string {
  switch (c.kind) {
    case 'value':
      return classes[Math.max(0, classIndex(c.value, classes))]?.color ?? NO_DATA_FILL;
    case 'suppressed':
      return `url(#${hatchId})`;
    case 'none':
      return NO_DATA_FILL;
  }
}

// White dots with a dark ring read on the lightest and the darkest class alike.
function renderMarkers(markers: readonly OfficeMarker[], title: (m: OfficeMarker) => string): string {
  const circles = markers.map(
    (m) => `<circle cx="${fmt(m.x)}" cy="${fmt(m.y)}" r="3.5"><title>${title(m)}</title></circle>`,
  );
  return `<g class="offices" fill="#ffffff" stroke="#1a1a1a" stroke-width="1.25">${circles.join('')}</g>`;
}
