import { translate, type Lang } from '../platform/i18n';
import type { Labeler } from '../reference/labeler';
import { toMapReference } from '../maps/reference';
import { loadMapGeometry, renderChoropleth, type MapGeometry } from '../maps';
import { renderShapeSprite } from '../maps/sprite';
import type { Reference } from '../reference/types';
import { UNKNOWN_OFFICE_KEY, type CaseFilter } from './types';

// The map page's "public record" layer: documented public cases by state or field office, drawn with the
// release maps' own renderer and tabled the same way. No threshold: every case is already public, so the
// map withholds nothing and its legend has no "withheld" key. Retracted cases are not counted.

export type CaseMapView = 'state' | 'field_office';

/** Builds the layer's renderer once per app; the geometry is read on first use and shared by every map. */
export function createCaseMaps(reference: Reference, labeler: Labeler) {
  let geometry: MapGeometry | undefined;
  let shapesVersion: string | undefined;
  const getGeometry = (): MapGeometry => (geometry ??= loadMapGeometry(toMapReference(reference)).geometry);
  // The same sprite the release maps draw from (same geometry, same fingerprint), so a browser that has
  // the shapes file from /map reuses it here.
  const getShapesVersion = (): string => (shapesVersion ??= renderShapeSprite(getGeometry()).version);

  /** "Documented public cases by state, 2024": the title says which dataset this is, every time. */
  function title(view: CaseMapView, filter: CaseFilter, lang: Lang): string {
    const base = translate(lang, `cases.map.title_${view}`);
    const parts = [
      filter.action ? labeler.label('action_type', filter.action, lang) : undefined,
      filter.year,
    ].filter(Boolean);
    return parts.length > 0 ? `${base}: ${parts.join(', ')}` : base;
  }

  /** The map as SVG: inline in a page (shapes from the sprite) or standalone (every path written in). */
  function render(input: {
    view: CaseMapView;
    counts: ReadonlyMap<string, number>;
    filter: CaseFilter;
    lang: Lang;
    standalone: boolean;
    caption?: string[];
  }): string {
    const { view, lang } = input;
    const g = getGeometry();
    const names = new Map<string, string>();
    for (const area of view === 'state' ? g.states : g.offices)
      names.set(area.key, labeler.label(view, area.key, lang));
    for (const inset of g.insets) names.set(inset.key, labeler.label('state', inset.key, lang));
    // Areas without a case are left out, so they draw as "no documented case" rather than as a zero.
    const values = new Map([...input.counts].filter(([, n]) => n > 0));
    return renderChoropleth({
      geometry: g,
      view,
      values,
      threshold: 1,
      hideSuppressed: true,
      labels: {
        title: title(view, input.filter, lang),
        legendTitle: translate(lang, 'cases.map.legend_title'),
        suppressed: '',
        noData: translate(lang, 'cases.map.no_case'),
      },
      standalone: input.standalone,
      caption: input.caption ?? [],
      locale: lang,
      names,
      idPrefix: view === 'state' ? 'cases-map-states' : 'cases-map-offices',
      ...(input.standalone ? {} : { shapesHref: `/map/shapes.svg?v=${getShapesVersion()}` }),
    });
  }

  /** The same numbers as table rows, areas with at least one case, by name; the unknown office last. */
  function rows(view: CaseMapView, counts: ReadonlyMap<string, number>, filter: CaseFilter, lang: Lang) {
    return labeler.sort(view, [...counts.keys()], lang).map((key) => ({
      label: labeler.label(view, key, lang),
      count: counts.get(key) ?? 0,
      unknown: key === UNKNOWN_OFFICE_KEY,
      // The list of those very cases: the map's numbers can always be read case by case.
      href: `/cases?${new URLSearchParams({
        [view === 'state' ? 'state' : 'office']: key,
        ...(filter.action ? { action: filter.action } : {}),
        ...(filter.year ? { year: filter.year } : {}),
      }).toString()}`,
    }));
  }

  return { title, render, rows };
}

export type CaseMaps = ReturnType<typeof createCaseMaps>;
