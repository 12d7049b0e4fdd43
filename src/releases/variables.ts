// Numbering of the audit's unknowns for one release. Code kinds that only national tables show are
// collapsed to one national unknown per code: their per-state counts appear in no published equation,
// and any national count up to the total can be spread over states, so nothing an attacker can infer is lost.
import type { GeoPair, ReleaseAtoms, ReleaseUniverse } from './atoms';
import { CODE_KINDS, TABLES, isCodeKind, type CodeKind } from './tables';

export type VariableInfo =
  | { readonly type: 'geo'; readonly pair: number; readonly quarter: number }
  | { readonly type: 'code'; readonly kind: CodeKind; readonly code: number; readonly pair: number | null }
  | { readonly type: 'pair'; readonly action: number; readonly activism: number };

export interface VariableSpace {
  readonly universe: ReleaseUniverse;
  readonly infos: readonly VariableInfo[];
  /** Stable names, equal across releases for the same atom, so releases can be linked. */
  readonly keys: readonly string[];
  readonly perPairKinds: ReadonlySet<CodeKind>;
  /** geoVars[pair][quarter] */
  readonly geoVars: readonly (readonly number[])[];
  /** codeVars[kind][code] lists the code's unknowns: one per pair, or a single national one. */
  readonly codeVars: Readonly<Record<CodeKind, readonly (readonly number[])[]>>;
  /** pairVars[action][activism] */
  readonly pairVars: readonly (readonly number[])[];
}

/** Kinds that some table crosses with geography, so their unknowns must stay per state × office. */
function kindsNeedingGeography(): Set<CodeKind> {
  const kinds = new Set<CodeKind>();
  for (const table of TABLES) {
    const geo = table.dimensions.some((d) => d === 'state' || d === 'field_office');
    if (!geo) continue;
    for (const d of table.dimensions) if (isCodeKind(d)) kinds.add(d);
  }
  return kinds;
}

/** Numbers every unknown of a release's universe, collapsing national-only code kinds. */
export function buildVariableSpace(universe: ReleaseUniverse): VariableSpace {
  const infos: VariableInfo[] = [];
  const keys: string[] = [];
  const add = (info: VariableInfo, key: string): number => {
    infos.push(info);
    keys.push(key);
    return infos.length - 1;
  };
  const pairKey = (p: GeoPair): string => `${p.state}/${p.office ?? ''}`;
  const geoVars = universe.geography.map((p, pair) =>
    universe.quarters.map((q, quarter) => add({ type: 'geo', pair, quarter }, `g:${pairKey(p)}:${q}`)),
  );
  const perPairKinds = kindsNeedingGeography();
  const codeVars = {} as Record<CodeKind, number[][]>;
  for (const kind of CODE_KINDS) {
    codeVars[kind] = universe.codes[kind].map((c, code) =>
      perPairKinds.has(kind)
        ? universe.geography.map((p, pair) =>
            add({ type: 'code', kind, code, pair }, `c:${kind}:${c}:${pairKey(p)}`),
          )
        : [add({ type: 'code', kind, code, pair: null }, `n:${kind}:${c}`)],
    );
  }
  const pairVars = universe.codes.action_type.map((a, action) =>
    universe.codes.activism_type.map((b, activism) => add({ type: 'pair', action, activism }, `p:${a}:${b}`)),
  );
  return { universe, infos, keys, perPairKinds, geoVars, codeVars, pairVars };
}

/** The true value of every unknown, from the atoms; atoms outside the universe are rejected, not dropped. */
export function trueValues(space: VariableSpace, atoms: ReleaseAtoms): Float64Array {
  const u = space.universe;
  const values = new Float64Array(space.infos.length);
  const pairIndex = new Map(u.geography.map((p, i) => [`${p.state}/${p.office ?? ''}`, i]));
  const quarterIndex = new Map(u.quarters.map((q, i) => [q, i]));
  const codeIndex = Object.fromEntries(
    CODE_KINDS.map((k) => [k, new Map(u.codes[k].map((c, i) => [c, i]))]),
  ) as Record<CodeKind, Map<string, number>>;
  const bump = (index: number, count: number): void => {
    values[index] = (values[index] ?? 0) + count;
  };
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`atom outside the release universe: ${what}`);
    return value;
  };
  for (const a of atoms.geo) {
    const pair = need(pairIndex.get(`${a.state}/${a.office ?? ''}`), `${a.state}/${a.office}`);
    const quarter = need(quarterIndex.get(a.quarter), a.quarter);
    bump(space.geoVars[pair]![quarter]!, a.count);
  }
  for (const a of atoms.codes) {
    const code = need(codeIndex[a.kind].get(a.code), `${a.kind}:${a.code}`);
    const pair = need(pairIndex.get(`${a.state}/${a.office ?? ''}`), `${a.state}/${a.office}`);
    const vars = space.codeVars[a.kind][code]!;
    bump(space.perPairKinds.has(a.kind) ? vars[pair]! : vars[0]!, a.count);
  }
  for (const a of atoms.pairs) {
    const action = need(codeIndex.action_type.get(a.action), a.action);
    const activism = need(codeIndex.activism_type.get(a.activism), a.activism);
    bump(space.pairVars[action]![activism]!, a.count);
  }
  return values;
}
