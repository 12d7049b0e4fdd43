import { BadRequestError } from '../platform/errors';
import { translate, type Lang } from '../platform/i18n';
import type { ReleaseCell } from '../releases/read';
import { UNKNOWN_OFFICE } from '../reference/dimensions';
import type { ReleaseData } from './catalog';
import type { Labeler } from '../reference/labeler';
import { renderChoropleth, type MapGeometry } from '../maps';
import type { MapViewName } from './params';
import { cellView, type CellView } from './tables-view';

// A map is one table of a release: by state or by field office, on its own or for one year or one action
// type. The filters only ever pick among the release's fixed tables (DESIGN section 6).

export interface MapSelection {
  view: MapViewName;
  year?: string | undefined;
  action?: string | undefined;
  /** Draw the change since the previous release instead of the counts (change-map.ts). */
  compare?: 'previous' | undefined;
}

/** The release table a selection shows. */
export function mapTable(selection: MapSelection): string {
  const geo = selection.view;
  if (selection.year) return `${geo}_by_year`;
  if (selection.action) return `${geo}_by_action_type`;
  return geo === 'state' ? 'by_state' : 'by_field_office';
}

// Per release and view, worked out once: every map request validates against them.
const filterCache = new WeakMap<ReleaseData, Map<MapViewName, { years: string[]; actions: string[] }>>();

/** The years and action types a release's map tables hold, for the form and for validation. */
export function mapFilters(data: ReleaseData, view: MapViewName): { years: string[]; actions: string[] } {
  const byView = filterCache.get(data) ?? new Map<MapViewName, { years: string[]; actions: string[] }>();
  filterCache.set(data, byView);
  let filters = byView.get(view);
  if (!filters) {
    const keys = (table: string, dim: string): string[] => [
      ...new Set((data.tables.get(table) ?? []).map((c) => c.keys[dim] ?? '')),
    ];
    filters = {
      years: keys(`${view}_by_year`, 'year'),
      actions: keys(`${view}_by_action_type`, 'action_type'),
    };
    byView.set(view, filters);
  }
  return filters;
}

/** Refuses a year or action type the release has no table rows for (400, in the page's language). */
export function checkSelection(data: ReleaseData, selection: MapSelection): void {
  const filters = mapFilters(data, selection.view);
  if (selection.year && !filters.years.includes(selection.year))
    throw new BadRequestError('public.errors.unknown_year');
  if (selection.action && !filters.actions.includes(selection.action))
    throw new BadRequestError('public.errors.unknown_action');
}

/** The cells of the selection, one per area (and the unknown office), keyed by state or office code. */
export function selectionCells(data: ReleaseData, selection: MapSelection): Map<string, ReleaseCell> {
  const cells = data.tables.get(mapTable(selection)) ?? [];
  const out = new Map<string, ReleaseCell>();
  for (const cell of cells) {
    if (selection.year && cell.keys.year !== selection.year) continue;
    if (selection.action && cell.keys.action_type !== selection.action) continue;
    out.set(cell.keys[selection.view] ?? '', cell);
  }
  return out;
}

/** The map's title in a language: "Reports by state, 2024", "Reports by field office: Arrest". */
export function mapTitle(selection: MapSelection, labeler: Labeler, lang: Lang): string {
  const base = translate(lang, `public.map.title_${selection.view}`);
  if (selection.year)
    return translate(lang, 'public.map.title_year', {
      base,
      year: labeler.label('year', selection.year, lang),
    });
  if (selection.action)
    return translate(lang, 'public.map.title_action', {
      base,
      action: labeler.label('action_type', selection.action, lang),
    });
  return base;
}

export interface MapRender {
  geometry: MapGeometry;
  data: ReleaseData;
  selection: MapSelection;
  labeler: Labeler;
  lang: Lang;
  standalone: boolean;
  caption?: string[];
  idPrefix?: string;
  /** Inline maps draw their shapes from the sprite at this address (see src/maps/sprite.ts). */
  shapesHref?: string;
}

/** Renders the selection's choropleth as SVG, inline for a page or standalone for embedding. */
export function renderMap(input: MapRender): string {
  const { data, selection, labeler, lang } = input;
  const cells = selectionCells(data, selection);
  const values = new Map<string, number | null>();
  for (const [key, cell] of cells) values.set(key, cell.status === 'published' ? cell.value : null);
  const areas = selection.view === 'state' ? input.geometry.states : input.geometry.offices;
  const names = new Map<string, string>();
  for (const area of areas) names.set(area.key, labeler.label(selection.view, area.key, lang));
  for (const inset of input.geometry.insets) names.set(inset.key, labeler.label('state', inset.key, lang));
  return renderChoropleth({
    geometry: input.geometry,
    view: selection.view,
    values,
    threshold: data.record.threshold,
    labels: {
      title: mapTitle(selection, labeler, lang),
      legendTitle: translate(lang, 'public.map.legend_title'),
      suppressed: translate(lang, 'public.withheld'),
      noData: translate(lang, 'public.map.no_data'),
    },
    standalone: input.standalone,
    caption: input.caption ?? [],
    locale: lang,
    names,
    ...(input.idPrefix ? { idPrefix: input.idPrefix } : {}),
    ...(input.shapesHref ? { shapesHref: input.shapesHref } : {}),
  });
}

/** The same numbers as the map, as table rows sorted by name; the unknown office comes last. */
export function mapRows(
  data: ReleaseData,
  selection: MapSelection,
  labeler: Labeler,
  lang: Lang,
): { label: string; cell: CellView; unknown: boolean }[] {
  const cells = selectionCells(data, selection);
  return labeler.sort(selection.view, cells.keys(), lang).map((key) => ({
    label: labeler.label(selection.view, key, lang),
    cell: cellView(cells.get(key), data.record.threshold, lang),
    unknown: key === UNKNOWN_OFFICE,
  }));
}
