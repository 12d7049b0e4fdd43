import type { Lang } from '../platform/i18n';
import type { Labeler } from '../reference/labeler';
import type { Reference } from '../reference/types';

/** What the home page shows: the field offices and the places each covers, in the page's language. */
export function homeView(reference: Reference, labeler: Labeler, lang: Lang) {
  const nameOf = new Map(
    reference.states.map((state) => [state.usps, labeler.label('state', state.usps, lang)]),
  );
  return {
    officeCount: reference.offices.length,
    placeCount: reference.states.length,
    offices: reference.offices.map((office) => ({
      code: office.code,
      name: labeler.label('field_office', office.code, lang),
      city: office.city,
      places: office.states.map((usps) => nameOf.get(usps) ?? usps).join(', '),
    })),
  };
}
