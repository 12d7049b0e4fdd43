// Test and bench helpers: the real reference geography and synthetic approved reports aggregated into atoms.
import type {
  CodeAtom,
  GeoAtom,
  GeoPair,
  PairAtom,
  ReleaseAtoms,
  ReleaseUniverse,
} from '../../../src/releases/atoms';
import { buildGeography } from '../../../src/releases/geography';
import { CODE_KINDS, type CodeKind } from '../../../src/releases/tables';
import { loadTestReference } from '../../support/reference-csv';

/** The real universe: 56 states and territories, 25 offices, the four code lists, and the given quarters. */
export function referenceUniverse(quarters: readonly string[]): ReleaseUniverse {
  const reference = loadTestReference();
  const states = reference.states.map((s) => s.usps);
  const offices = reference.offices.map((o) => ({ code: o.code, states: o.states }));
  const codes = Object.fromEntries(CODE_KINDS.map((k) => [k, [] as string[]])) as Record<CodeKind, string[]>;
  for (const code of reference.codes) codes[code.kind].push(code.code);
  return { geography: buildGeography(states, offices), quarters, codes };
}

/** Quarters from `from` to `to` inclusive, as 'YYYY-Qn'. */
export function quarterRange(from: number, to: number): string[] {
  const out: string[] = [];
  for (let y = from; y <= to; y++) for (let q = 1; q <= 4; q++) out.push(`${y}-Q${q}`);
  return out;
}

export interface Report {
  readonly state: string;
  readonly office: string | null;
  readonly quarter: string;
  readonly codes: Readonly<Record<CodeKind, readonly string[]>>;
}

/** Deterministic PRNG (mulberry32), so a failing seed reproduces. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Skewed choice: index i has weight 1/(i+1), like real reports piling up in a few places. */
function zipf(random: () => number, n: number): number {
  let total = 0;
  for (let i = 0; i < n; i++) total += 1 / (i + 1);
  let x = random() * total;
  for (let i = 0; i < n; i++) if ((x -= 1 / (i + 1)) <= 0) return i;
  return n - 1;
}

/** Random approved reports over a universe: skewed geography and codes, 1–2 actions, exactly one target role. */
export function syntheticReports(universe: ReleaseUniverse, count: number, seed: number): Report[] {
  const random = rng(seed);
  const states = [...new Set(universe.geography.map((p) => p.state))];
  const order = states
    .map((s, i) => ({ s, w: random() + i * 0 }))
    .sort((a, b) => a.w - b.w)
    .map((x) => x.s);
  const pairsOf = new Map<string, GeoPair[]>(
    states.map((s) => [s, universe.geography.filter((p) => p.state === s)]),
  );
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const some = (list: readonly string[], max: number): string[] => [
    ...new Set(
      Array.from({ length: 1 + Math.floor(random() * max) }, () => list[zipf(random, list.length)]!),
    ),
  ];
  return Array.from({ length: count }, () => {
    const state = order[zipf(random, order.length)]!;
    const pair = pick(pairsOf.get(state)!);
    return {
      state,
      office: pair.office,
      quarter: pick(universe.quarters),
      codes: {
        action_type: some(universe.codes.action_type, 2),
        activism_type: some(universe.codes.activism_type, 2),
        evidence_type: random() < 0.3 ? [] : some(universe.codes.evidence_type, 2),
        target_role: [universe.codes.target_role[zipf(random, universe.codes.target_role.length)]!],
      },
    };
  });
}

/** Aggregates reports into atoms the way the SQL layer will (GROUP BY state, office, quarter / code). */
export function atomsFromReports(universe: ReleaseUniverse, reports: readonly Report[]): ReleaseAtoms {
  const geo = new Map<string, GeoAtom>();
  const codes = new Map<string, CodeAtom>();
  const pairs = new Map<string, PairAtom>();
  const bump = <T extends { count: number }>(map: Map<string, T>, key: string, make: () => T): void => {
    const existing = map.get(key);
    map.set(key, existing ? { ...existing, count: existing.count + 1 } : make());
  };
  for (const r of reports) {
    bump(geo, `${r.state}|${r.office}|${r.quarter}`, () => ({
      state: r.state,
      office: r.office,
      quarter: r.quarter,
      count: 1,
    }));
    for (const kind of CODE_KINDS) {
      for (const code of r.codes[kind]) {
        bump(codes, `${kind}|${code}|${r.state}|${r.office}`, () => ({
          kind,
          code,
          state: r.state,
          office: r.office,
          count: 1,
        }));
      }
    }
    for (const action of r.codes.action_type) {
      for (const activism of r.codes.activism_type) {
        bump(pairs, `${action}|${activism}`, () => ({ action, activism, count: 1 }));
      }
    }
  }
  return { universe, geo: [...geo.values()], codes: [...codes.values()], pairs: [...pairs.values()] };
}
