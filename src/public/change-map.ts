import { translate, type Lang } from '../platform/i18n';
import type { ReleaseData } from './catalog';
import { cellChange, publishedCount, type CellChange } from './changes';
import { formatDifference } from './changes-view';
import type { Labeler } from '../reference/labeler';
import { mapTable, mapTitle, renderMap, selectionCells, type MapRender, type MapSelection } from './map-view';
import { computeClasses, renderChoropleth, type MapClass } from '../maps';
import { formatCount } from '../maps/format';
import { UNKNOWN_OFFICE } from '../reference/dimensions';

// "Change since the previous release" on the map page: the same table of both releases, drawn as the
// difference where both published the area's count. An area withheld in either release is hatched and
// never given a difference; an area only one release has (a year the earlier one could not hold) is
// drawn as having no comparison.

// Decreases (which cumulative releases should never show, but the map must not hide) in orange, no
// change in grey, increases in the map's blues.
const DECREASE = '#b35806';
const NO_CHANGE = '#e3e3e3';

/** The areas of the selection compared between two releases, keyed by state or office code. */
export function selectionChanges(
  previous: ReleaseData,
  current: ReleaseData,
  selection: MapSelection,
): Map<string, CellChange> {
  const before = selectionCells(previous, selection);
  const after = selectionCells(current, selection);
  const table = mapTable(selection);
  const out = new Map<string, CellChange>();
  for (const key of new Set([...after.keys(), ...before.keys()])) {
    const cell = after.get(key) ?? before.get(key)!;
    out.set(key, cellChange(table, cell.keys, before.get(key), after.get(key)));
  }
  return out;
}

/** Classes for differences: one for decreases, one for no change, up to four for increases. */
export function changeClasses(differences: readonly number[]): MapClass[] {
  const classes: MapClass[] = [];
  const lowest = Math.min(...differences);
  if (lowest < 0) classes.push({ min: lowest, color: DECREASE });
  if (differences.some((d) => d === 0) || lowest < 0) classes.push({ min: 0, color: NO_CHANGE });
  // The first increase class starts at the smallest increase, so no value falls between classes.
  return [
    ...classes,
    ...computeClasses(
      differences.filter((d) => d > 0),
      4,
    ),
  ];
}

/** The title of a change map: "Reports by state: change since release 2025-Q4". */
export function changeTitle(
  selection: MapSelection,
  previousLabel: string,
  labeler: Labeler,
  lang: Lang,
): string {
  return translate(lang, 'public.map.title_change', {
    base: mapTitle(selection, labeler, lang),
    previous: previousLabel,
  });
}

/** Renders the selection as a map of published differences against the previous release. */
export function renderChangeMap(input: MapRender & { previous: ReleaseData }): string {
  const { selection, labeler, lang, previous } = input;
  const changes = selectionChanges(previous, input.data, selection);
  const values = new Map<string, number | null>();
  for (const [key, change] of changes) {
    if (change.difference !== null) values.set(key, change.difference);
    else if (change.previous && change.current) values.set(key, null);
  }
  const areas = selection.view === 'state' ? input.geometry.states : input.geometry.offices;
  const names = new Map<string, string>();
  for (const area of areas) names.set(area.key, labeler.label(selection.view, area.key, lang));
  for (const inset of input.geometry.insets) names.set(inset.key, labeler.label('state', inset.key, lang));
  const differences = [...values.values()].filter((v): v is number => v !== null);
  return renderChoropleth({
    geometry: input.geometry,
    view: selection.view,
    values,
    threshold: input.data.record.threshold,
    floor: -Infinity,
    formatValue: (n) => formatDifference(n, lang),
    classes: changeClasses(differences),
    labels: {
      title: changeTitle(selection, previous.record.label, labeler, lang),
      legendTitle: translate(lang, 'public.map.legend_change'),
      suppressed: translate(lang, 'public.map.change_withheld'),
      noData: translate(lang, 'public.map.change_none'),
    },
    standalone: input.standalone,
    caption: input.caption ?? [],
    locale: lang,
    names,
    ...(input.idPrefix ? { idPrefix: input.idPrefix } : {}),
    ...(input.shapesHref ? { shapesHref: input.shapesHref } : {}),
  });
}

/** The map of a selection: counts, or changes when a previous release is given. */
export function renderSelectionMap(input: MapRender, previous: ReleaseData | undefined): string {
  return previous ? renderChangeMap({ ...input, previous }) : renderMap(input);
}

/** The change map's numbers as table rows, sorted by name; the unknown office comes last. */
export function changeRows(
  previous: ReleaseData,
  current: ReleaseData,
  selection: MapSelection,
  labeler: Labeler,
  lang: Lang,
) {
  const changes = selectionChanges(previous, current, selection);
  const text = (cell: CellChange['previous']): { text: string; withheld: boolean } => {
    if (!cell) return { text: translate(lang, 'public.changes.not_in_release'), withheld: false };
    const n = publishedCount(cell);
    return n === null
      ? { text: translate(lang, 'public.changes.withheld'), withheld: true }
      : { text: formatCount(n, lang), withheld: false };
  };
  return labeler.sort(selection.view, changes.keys(), lang).map((key) => {
    const change = changes.get(key)!;
    return {
      label: labeler.label(selection.view, key, lang),
      previous: text(change.previous),
      current: text(change.current),
      difference: change.difference === null ? null : formatDifference(change.difference, lang),
      unknown: key === UNKNOWN_OFFICE,
    };
  });
}
