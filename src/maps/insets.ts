import { geoMercator } from 'd3-geo';
import { feature } from 'topojson-client';
import type { GeometryObject } from 'topojson-specification';
import type { StatesTopology } from './atlas';
import { compactPath } from './compact-path';
import { INSET_BOX, STRIP_TOP } from './layout';
import type { InsetShape, StateRef } from './types';

// The albers atlas holds only the 50 states and DC, so the territories are drawn from the
// longitude/latitude atlas, each projected on its own into a small frame under the map.

/** The territories drawn in the inset strip, in reading order. */
export const INSET_ORDER = ['PR', 'VI', 'GU', 'MP', 'AS'] as const;

// Margin inside each frame so the shape never touches the border.
const PAD = 6;

/** Projects each territory into its frame once, returning path strings that every render reuses. */
export function buildInsets(
  topology: StatesTopology,
  states: readonly StateRef[],
  officeOf: (usps: string) => string | null,
): InsetShape[] {
  const byFips = new Map(topology.objects.states.geometries.map((g) => [String(g.id), g]));
  const insets: InsetShape[] = [];
  for (const usps of INSET_ORDER) {
    const state = states.find((s) => s.usps === usps);
    if (!state) continue; // the reference data decides which territories exist
    const object = byFips.get(state.fips);
    if (!object) throw new Error(`us-atlas has no shape for ${usps} (FIPS ${state.fips})`);
    const box = {
      x: INSET_BOX.left + insets.length * (INSET_BOX.width + INSET_BOX.gap),
      y: STRIP_TOP + 4,
      width: INSET_BOX.width,
      height: INSET_BOX.height,
    };
    const shape = feature(topology, object as GeometryObject);
    const projection = geoMercator().fitExtent(
      [
        [box.x + PAD, box.y + PAD],
        [box.x + box.width - PAD, box.y + box.height - PAD],
      ],
      shape,
    );
    const d = compactPath(projection)(shape);
    insets.push({ key: usps, name: state.name, officeKey: officeOf(usps), d, box });
  }
  return insets;
}
