import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fromRoot } from '../platform/paths';
import { buildBoundaries, type Boundaries } from './boundaries';
import { buildMapGeometry } from './geometry';
import type { MapGeometry, MapReference } from './types';

// The map geometry, built ahead of time. Building it at run time means parsing the 800 KB counties
// atlas and merging counties into office areas: the memory that takes (about 35 MB) stays with the
// process afterwards, a sixth of its budget, for 75 KB of path strings. So `npm run maps:build` writes
// the result next to this file, stamped with a digest of the reference data and the libraries it came
// from, and the app uses it only when the stamp matches what it would build now; otherwise it builds.

const PREBUILT_FILE = fromRoot('src/maps/geometry.prebuilt.json');
// The boundaries as GeoJSON (boundaries.ts), kept apart: only their download reads them.
const BOUNDARIES_FILE = fromRoot('src/maps/boundaries.prebuilt.json');

interface Prebuilt {
  digest: string;
  geometry: MapGeometry;
}

// Everything the geometry depends on besides this code: the reference data and the versions of the
// atlas and of the libraries that project, merge and simplify it. (A change to the code itself is
// caught by a test that compares the prebuilt geometry with a fresh build.)
const INPUT_PACKAGES = ['us-atlas', 'd3-geo', 'topojson-client', 'topojson-simplify'];

/** A digest of everything the geometry is built from, to tell whether a prebuilt one still fits. */
export function geometryDigest(reference: MapReference): string {
  // In a fixed order: the database lists states and offices by name, and collations differ.
  const byKey = <T>(list: readonly T[], key: (item: T) => string): T[] =>
    [...list].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const canonical = {
    states: byKey(reference.states, (s) => s.usps),
    fieldOffices: byKey(reference.fieldOffices, (o) => o.code),
    splitCounties: byKey(reference.splitCounties, (c) => c.countyFips),
  };
  const hash = createHash('sha256').update(JSON.stringify(canonical));
  for (const name of INPUT_PACKAGES) {
    const manifest = JSON.parse(readFileSync(fromRoot(`node_modules/${name}/package.json`), 'utf8')) as {
      version: string;
    };
    hash.update(`${name}@${manifest.version}`);
  }
  return hash.digest('hex');
}

/** The prebuilt geometry when it was built from this reference data, otherwise one built now. */
export function loadMapGeometry(
  reference: MapReference,
  file = PREBUILT_FILE,
): { geometry: MapGeometry; prebuilt: boolean } {
  if (existsSync(file)) {
    const prebuilt = JSON.parse(readFileSync(file, 'utf8')) as Prebuilt;
    if (prebuilt.digest === geometryDigest(reference)) return { geometry: prebuilt.geometry, prebuilt: true };
  }
  return { geometry: buildMapGeometry(reference), prebuilt: false };
}

/** Builds the geometry and writes it, stamped, for loadMapGeometry. */
export function writePrebuiltGeometry(reference: MapReference, file = PREBUILT_FILE): void {
  const prebuilt: Prebuilt = { digest: geometryDigest(reference), geometry: buildMapGeometry(reference) };
  writeFileSync(file, `${JSON.stringify(prebuilt)}\n`);
}

/** The prebuilt boundaries when they were built from this reference data, otherwise ones built now. */
export function loadBoundaries(
  reference: MapReference,
  file = BOUNDARIES_FILE,
): { boundaries: Boundaries; prebuilt: boolean } {
  if (existsSync(file)) {
    const prebuilt = JSON.parse(readFileSync(file, 'utf8')) as { digest: string; boundaries: Boundaries };
    if (prebuilt.digest === geometryDigest(reference))
      return { boundaries: prebuilt.boundaries, prebuilt: true };
  }
  return { boundaries: buildBoundaries(reference), prebuilt: false };
}

/** Builds the boundaries and writes them, stamped, for loadBoundaries. */
export function writePrebuiltBoundaries(reference: MapReference, file = BOUNDARIES_FILE): void {
  const prebuilt = { digest: geometryDigest(reference), boundaries: buildBoundaries(reference) };
  writeFileSync(file, `${JSON.stringify(prebuilt)}\n`);
}
