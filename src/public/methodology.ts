import type { Lang } from '../platform/i18n';
import type { Labeler } from '../reference/labeler';
import type { Reference } from '../reference/types';
import { BOUNDARY_SOURCE } from './datapackage';
import { homeView } from './home';
import { BOUNDARY_DECIMALS, BOUNDARY_SIMPLIFICATION_KM2 } from '../maps/boundaries';

// The methodology page: mostly prose from the translations, plus the facts it must state exactly (the
// threshold, the states split between field offices by county, the offices and what they cover).

/** The methodology page in one language; `threshold` is the latest release's k, or the configured one. */
export function methodologyModel(reference: Reference, labeler: Labeler, lang: Lang, threshold: number) {
  const nameOf = new Map(reference.states.map((s) => [s.usps, labeler.label('state', s.usps, lang)]));
  const officeName = new Map(
    reference.offices.map((o) => [o.code, labeler.label('field_office', o.code, lang)]),
  );
  const splits = new Map<string, Set<string>>();
  for (const county of reference.splitCounties) {
    const offices = splits.get(county.state) ?? new Set<string>();
    offices.add(county.office);
    splits.set(county.state, offices);
  }
  return {
    threshold,
    boundaries: {
      tolerance: BOUNDARY_SIMPLIFICATION_KM2,
      decimals: BOUNDARY_DECIMALS,
      sourceHref: BOUNDARY_SOURCE.path,
      states: '/data/boundaries/states.geojson',
      offices: '/data/boundaries/field-offices.geojson',
    },
    splitStates: [...splits].map(([usps, offices]) => ({
      name: nameOf.get(usps) ?? usps,
      offices: [...offices]
        .map((code) => officeName.get(code) ?? code)
        .sort()
        .join(', '),
      count: offices.size,
    })),
    ...homeView(reference, labeler, lang),
  };
}
