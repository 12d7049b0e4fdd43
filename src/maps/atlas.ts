import { readFileSync } from 'node:fs';
import { presimplify, simplify } from 'topojson-simplify';
import type { GeometryCollection, Topology } from 'topojson-specification';

// The us-atlas topologies, read from disk rather than imported so the type checker never has to digest
// megabytes of JSON. They are read only while the geometry is built, once per process.

export type CountiesTopology = Topology<{
  counties: GeometryCollection;
  states: GeometryCollection;
  nation: GeometryCollection;
}>;
export type StatesTopology = Topology<{ states: GeometryCollection; nation: GeometryCollection }>;

function readAtlas<T>(file: string): T {
  return JSON.parse(readFileSync(require.resolve(`us-atlas/${file}`), 'utf8')) as T;
}

/** Counties, states and nation, pre-projected to 975×610 (Albers USA with AK and HI moved in). */
export function loadAlbersCounties(): CountiesTopology {
  const topology = readAtlas<CountiesTopology>('counties-albers-10m.json');
  // Visvalingam simplification: drop points whose triangle is under two square pixels at the
  // map's 975-wide size. Invisible on screen, and it cuts the inline map (sent with every page) by more
  // than half. Shared arcs are simplified once, so neighbouring shapes still meet exactly.
  return simplify<CountiesTopology['objects']>(presimplify(topology), SIMPLIFY_MIN_AREA);
}

const SIMPLIFY_MIN_AREA = 2;

/** Counties, states and nation in longitude/latitude: the unprojected twin of the albers atlas. */
export function loadLonLatCounties(): CountiesTopology {
  return readAtlas<CountiesTopology>('counties-10m.json');
}

/** States and territories in longitude/latitude: the only us-atlas file that holds PR, VI, GU, MP and AS. */
export function loadLonLatStates(): StatesTopology {
  return readAtlas<StatesTopology>('states-10m.json');
}
