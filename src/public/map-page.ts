import { translate, type Lang } from '../platform/i18n';
import type { PageResult } from '../platform/send';
import { changeRows, changeTitle } from './change-map';
import { pageResult } from './freshness';
import { checkSelection, mapFilters, mapRows, mapTable, mapTitle, type MapSelection } from './map-view';
import type { MapQuery } from './params';
import { releaseHeader } from './release-view';
import type { SiteParts } from './site-parts';

// The map page (/map): a release's counts, or its changes since the previous release, by state or field
// office, for one year or action at most; its canonical address; and its picker's single filter select.

export type MapPageDeps = Omit<SiteParts, 'reference'>;

/** The canonical query string ('' or '?…') of a selection, in one fixed order. */
export function selectionQuery(label: string | undefined, selection: MapSelection): string {
  const params = new URLSearchParams();
  if (label) params.set('release', label);
  if (selection.view !== 'state') params.set('view', selection.view);
  if (selection.year) params.set('year', selection.year);
  if (selection.action) params.set('action', selection.action);
  if (selection.compare) params.set('compare', selection.compare);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Where the map form's single filter select leads: the canonical /map address. */
export function mapFormTarget(query: MapQuery): string {
  const [kind, value] = (query.filter ?? '').split(':');
  return `/map${selectionQuery(query.release, {
    view: query.view ?? 'state',
    year: kind === 'year' ? value : undefined,
    action: kind === 'action' ? value : undefined,
    compare: query.compare,
  })}`;
}

/** Builds the map page's results over the public site's release resolution and caches. */
export function createMapPage(deps: MapPageDeps) {
  const { origin, labeler, catalog, resolver, freshness, drawing } = deps;

  async function map(query: MapQuery, lang: Lang): Promise<PageResult> {
    const r = await resolver.resolve(query.release);
    const selection: MapSelection = {
      view: query.view ?? 'state',
      year: query.year,
      action: query.action,
      compare: query.compare,
    };
    if (r) checkSelection(r.data, selection);
    const previous = r && selection.compare ? await resolver.comparedWith(r) : undefined;
    const canonical = selectionQuery(query.release, selection);
    const version = freshness.ofRelease(r, previous ? `p${previous.record.label}` : '', true);
    return pageResult(lang, '/map', canonical, 'public/map', 'public.map.page_title', version, async () => {
      if (!r) return { hasRelease: false };
      // Only a page being built needs the list (for the release picker); cache hits and 304s skip it.
      const releases = await catalog.list();
      const { record } = r.data;
      const pinned = selectionQuery(record.label, selection);
      const filters = mapFilters(r.data, selection.view);
      const table = mapTable(selection);
      const rows = previous ? [] : mapRows(r.data, selection, labeler, lang);
      const file = selection.view === 'state' ? 'states' : 'field-offices';
      const fileQuery = selectionQuery(record.label, { ...selection, view: 'state' });
      const change = previous && {
        previousLabel: previous.record.label,
        rows: changeRows(previous, r.data, selection, labeler, lang),
        changesHref: `/data/releases/${record.label}/changes`,
      };
      return {
        hasRelease: true,
        release: releaseHeader(record, lang, origin),
        title: previous
          ? changeTitle(selection, previous.record.label, labeler, lang)
          : mapTitle(selection, labeler, lang),
        change,
        canCompare: releases.at(-1)?.id !== record.id,
        measures: [
          { value: '', label: translate(lang, 'public.map.measure_count'), selected: !previous },
          { value: 'previous', label: translate(lang, 'public.map.measure_change'), selected: !!previous },
        ],
        releases: releases.map((rec) => ({ label: rec.label, selected: rec.id === record.id })),
        views: (['state', 'field_office'] as const).map((v) => ({
          value: v,
          label: translate(lang, `public.map.view_${v}`),
          selected: v === selection.view,
        })),
        filterAll: !selection.year && !selection.action,
        years: labeler.sort('year', filters.years, lang).map((y) => ({
          value: `year:${y}`,
          label: labeler.label('year', y, lang),
          selected: y === selection.year,
        })),
        actions: labeler.sort('action_type', filters.actions, lang).map((a) => ({
          value: `action:${a}`,
          label: labeler.label('action_type', a, lang),
          selected: a === selection.action,
        })),
        map: drawing.inline(r.data, selection, lang, undefined, previous),
        rows,
        areaHeader: translate(lang, `public.dimensions.${selection.view}`),
        hasUnknown: (change ? change.rows : rows).some((row) => row.unknown),
        svgHref: `/map/${file}.svg${fileQuery}`,
        pngHref: `/map/${file}.png${fileQuery}`,
        csvHref: `/data/releases/${record.label}/${previous ? 'changes' : table}.csv`,
        permalink: `/map${pinned}`,
        isPinned: r.pinned,
      };
    });
  }

  return { map, mapFormTarget };
}
