import { createHash } from 'node:crypto';
import type { MapGeometry, MapView } from './types';

// The map's shapes as one SVG file of ids, for pages to draw with <use href="…#id">. The shapes are most
// of a map's bytes and never change between releases, filters or languages, so a page that referenced
// them inline sent the same 8 KB (compressed) with every view. Referenced, they are fetched once and kept
// by the browser under a fingerprinted address; the page carries only fills, titles and the legend. The
// standalone SVG and PNG files, which must stand alone, keep their shapes inline.

/** The id of an area in the sprite: states and offices have separate namespaces, territories a third. */
export function areaId(view: MapView, key: string): string {
  return `${view === 'state' ? 's' : 'o'}-${key}`;
}

export function insetId(key: string): string {
  return `t-${key}`;
}

export const BORDERS_ID = 'borders';
export const NATION_ID = 'nation';

export interface ShapeSprite {
  svg: string;
  /** A digest of the content, for an address that can be cached for good. */
  version: string;
}

/** Every shape of both views as one SVG file; fill and stroke come from the <use> that draws each. */
export function renderShapeSprite(geometry: MapGeometry): ShapeSprite {
  const path = (id: string, d: string): string => `<path id="${id}" d="${d}"/>`;
  const svg = [
    '<svg xmlns="http://www.w3.org/2000/svg"><defs>',
    ...geometry.states.map((s) => path(areaId('state', s.key), s.d)),
    ...geometry.offices.map((o) => path(areaId('field_office', o.key), o.d)),
    ...geometry.insets.map((t) => path(insetId(t.key), t.d)),
    path(BORDERS_ID, geometry.stateBorders),
    path(NATION_ID, geometry.nationOutline),
    '</defs></svg>\n',
  ].join('');
  return { svg, version: createHash('sha256').update(svg).digest('hex').slice(0, 12) };
}
