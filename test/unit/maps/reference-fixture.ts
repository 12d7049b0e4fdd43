import { toMapReference } from '../../../src/maps/reference';
import type { MapReference } from '../../../src/maps/types';
import { loadTestReference } from '../../support/reference-csv';

// The map input built from the repository's reference CSVs, as the app builds it from its database.

/** States, field offices and the county split, from the one reader of reference/*.csv. */
export function loadMapReference(): MapReference {
  return toMapReference(loadTestReference());
}
