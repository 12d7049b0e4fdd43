// The unknowns of one release's reports, as an attacker must reason about them, and the rules every set
// of reports obeys whatever the counts. Pure: no I/O.
import { KIND_CARDINALITY, yearOf, type ReleaseAtoms, type ReleaseUniverse } from '../atoms';
import { CODE_KINDS, TABLES, isCodeKind, type CodeKind } from '../tables';

/**
 * One unknown. Reports by place are kept per year, not per quarter, plus one national unknown per quarter:
 * quarters appear only in the national by-quarter table, and any state × year counts and national quarter
 * counts with equal yearly totals can be spread over state × quarter (a transportation problem with equal
 * margins always has a non-negative solution), so the attacker loses nothing and the model is 3x smaller.
 */
export type VariableInfo =
  | { readonly type: 'geo'; readonly pair: number; readonly year: number }
  | { readonly type: 'quarter'; readonly quarter: number }
  | { readonly type: 'code'; readonly kind: CodeKind; readonly code: number; readonly pair: number | null }
  | { readonly type: 'pair'; readonly action: number; readonly activism: number }
  /**
   * A named sum, defined by an equality row and appearing in no cell: the reports of one place, all
   * reports, or one per-place code nationally. Rules written against the sum take 2 coefficients instead of
   * hundreds, which makes each LP solve several times faster without changing what it can prove.
   */
  | {
      readonly type: 'sum';
      readonly of: 'pair' | 'national' | 'code';
      readonly index: number;
      readonly kind?: CodeKind;
    };

/** A linear rule over one space's unknowns: `lower ≤ Σ coefs·x ≤ upper`. */
export interface SpaceRow {
  readonly vars: Int32Array;
  readonly coefs: Float64Array;
  readonly lower: number;
  readonly upper: number;
}

export interface VariableSpace {
  readonly universe: ReleaseUniverse;
  readonly years: readonly string[];
  readonly infos: readonly VariableInfo[];
  /** Stable names, equal across releases for the same unknown, so releases can be linked. */
  readonly keys: readonly string[];
  /** Kinds some table crosses with geography: their unknowns stay per state × office. */
  readonly perPairKinds: ReadonlySet<CodeKind>;
  /** geoVars[pair][year] */
  readonly geoVars: readonly (readonly number[])[];
  readonly quarterVars: readonly number[];
  /** codeVars[kind][code]: one unknown per pair, or a single national one. */
  readonly codeVars: Readonly<Record<CodeKind, readonly (readonly number[])[]>>;
  /** pairVars[action][activism] */
  readonly pairVars: readonly (readonly number[])[];
  /** The named sums: reports per place, all reports, and per-place codes nationally (by kind, then code). */
  readonly sums: {
    readonly pair: readonly number[];
    readonly national: number;
    readonly code: Readonly<Partial<Record<CodeKind, readonly number[]>>>;
  };
}

function kindsNeedingGeography(): Set<CodeKind> {
  const kinds = new Set<CodeKind>();
  for (const table of TABLES) {
    if (!table.dimensions.some((d) => d === 'state' || d === 'field_office')) continue;
    for (const d of table.dimensions) if (isCodeKind(d)) kinds.add(d);
  }
  return kinds;
}

/** Numbers every unknown of a universe. */
export function buildSpace(universe: ReleaseUniverse): VariableSpace {
  const infos: VariableInfo[] = [];
  const keys: string[] = [];
  const add = (info: VariableInfo, key: string): number => {
    infos.push(info);
    keys.push(key);
    return infos.length - 1;
  };
  const years = [...new Set(universe.quarters.map(yearOf))];
  const pairKey = (pair: number): string => {
    const p = universe.geography[pair]!;
    return `${p.state}/${p.office ?? ''}`;
  };
  const geoVars = universe.geography.map((_, pair) =>
    years.map((y, year) => add({ type: 'geo', pair, year }, `g:${pairKey(pair)}:${y}`)),
  );
  const quarterVars = universe.quarters.map((q, quarter) => add({ type: 'quarter', quarter }, `q:${q}`));
  const perPairKinds = kindsNeedingGeography();
  const codeVars = {} as Record<CodeKind, number[][]>;
  for (const kind of CODE_KINDS) {
    codeVars[kind] = universe.codes[kind].map((c, code) =>
      perPairKinds.has(kind)
        ? universe.geography.map((_, pair) =>
            add({ type: 'code', kind, code, pair }, `c:${kind}:${c}:${pairKey(pair)}`),
          )
        : [add({ type: 'code', kind, code, pair: null }, `n:${kind}:${c}`)],
    );
  }
  const pairVars = universe.codes.action_type.map((a, action) =>
    universe.codes.activism_type.map((b, activism) => add({ type: 'pair', action, activism }, `p:${a}:${b}`)),
  );
  const sums = {
    pair: universe.geography.map((_, pair) =>
      add({ type: 'sum', of: 'pair', index: pair }, `s:${pairKey(pair)}`),
    ),
    national: add({ type: 'sum', of: 'national', index: 0 }, 's:national'),
    code: Object.fromEntries(
      [...perPairKinds].map((kind) => [
        kind,
        universe.codes[kind].map((c, code) =>
          add({ type: 'sum', of: 'code', index: code, kind }, `s:${kind}:${c}`),
        ),
      ]),
    ) as Partial<Record<CodeKind, number[]>>,
  };
  return { universe, years, infos, keys, perPairKinds, geoVars, quarterVars, codeVars, pairVars, sums };
}

/** The true value of every unknown, from the atoms the SQL layer aggregates; atoms outside the universe are refused. */
export function trueValues(space: VariableSpace, atoms: ReleaseAtoms): Float64Array {
  const u = space.universe;
  const values = new Float64Array(space.infos.length);
  const pairIndex = new Map(u.geography.map((p, i) => [`${p.state}/${p.office ?? ''}`, i]));
  const quarterIndex = new Map(u.quarters.map((q, i) => [q, i]));
  const yearIndex = new Map(space.years.map((y, i) => [y, i]));
  const codeIndex = Object.fromEntries(
    CODE_KINDS.map((k) => [k, new Map(u.codes[k].map((c, i) => [c, i]))]),
  ) as Record<CodeKind, Map<string, number>>;
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`atom outside the release universe: ${what}`);
    return value;
  };
  const bump = (index: number, count: number): void => {
    values[index] = values[index]! + count;
  };
  for (const a of atoms.geo) {
    const pair = need(pairIndex.get(`${a.state}/${a.office ?? ''}`), `${a.state}/${a.office}`);
    const quarter = need(quarterIndex.get(a.quarter), a.quarter);
    bump(space.geoVars[pair]![yearIndex.get(yearOf(a.quarter))!]!, a.count);
    bump(space.quarterVars[quarter]!, a.count);
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
  for (const row of sumDefinitions(space)) {
    // Each definition reads `sum − Σ parts = 0`, the sum last.
    let total = 0;
    for (let j = 0; j < row.vars.length - 1; j++) total += values[row.vars[j]!]!;
    values[row.vars[row.vars.length - 1]!] = total;
  }
  return values;
}

const row = (pos: readonly number[], neg: readonly number[], sense: 'le' | 'eq' | 'ge'): SpaceRow => ({
  vars: Int32Array.from([...pos, ...neg]),
  coefs: Float64Array.from([...pos.map(() => 1), ...neg.map(() => -1)]),
  lower: sense === 'le' ? -Infinity : 0,
  upper: sense === 'ge' ? Infinity : 0,
});

/**
 * What an attacker knows about any set of reports besides the published numbers, all homogeneous so the
 * reports added between two releases obey them too: a code count never exceeds the reports it is counted
 * in, one-per-report kinds sum exactly to the reports, a pair count never exceeds either code's count,
 * and the national quarters of a year add up to the year.
 */
export function structuralRows(space: VariableSpace): SpaceRow[] {
  const rows: SpaceRow[] = sumDefinitions(space);
  const pairTotal = (pair: number): number[] => [space.sums.pair[pair]!];
  const nationalTotal = [space.sums.national];
  for (const kind of CODE_KINDS) {
    const cardinality = KIND_CARDINALITY[kind];
    const codes = space.codeVars[kind];
    if (codes.length === 0) continue;
    if (space.perPairKinds.has(kind)) {
      space.universe.geography.forEach((_, pair) => {
        const total = pairTotal(pair);
        const perCode = codes.map((vars) => vars[pair]!);
        for (const v of perCode) rows.push(row([v], total, 'le'));
        if (cardinality !== 'any') rows.push(row(perCode, total, cardinality === 'exactlyOne' ? 'eq' : 'ge'));
      });
    } else {
      for (const vars of codes) rows.push(row(vars, nationalTotal, 'le'));
      if (cardinality !== 'any')
        rows.push(row(codes.flat(), nationalTotal, cardinality === 'exactlyOne' ? 'eq' : 'ge'));
    }
  }
  const actionTotal = (action: number): readonly number[] =>
    space.sums.code.action_type?.[action] !== undefined
      ? [space.sums.code.action_type[action]]
      : space.codeVars.action_type[action]!;
  space.pairVars.forEach((byActivism, action) =>
    byActivism.forEach((v, activism) => {
      rows.push(row([v], actionTotal(action), 'le'));
      rows.push(row([v], space.codeVars.activism_type[activism]!, 'le'));
    }),
  );
  space.years.forEach((y, year) => {
    const quarters = space.quarterVars.filter((_, q) => yearOf(space.universe.quarters[q]!) === y);
    rows.push(
      row(
        quarters,
        space.geoVars.map((vars) => vars[year]!),
        'eq',
      ),
    );
  });
  return rows;
}

/** The rows defining the named sums, each as `Σ parts − sum = 0` with the sum last. */
function sumDefinitions(space: VariableSpace): SpaceRow[] {
  const define = (parts: readonly number[], sum: number): SpaceRow => row(parts, [sum], 'eq');
  const rows = space.sums.pair.map((sum, pair) => define(space.geoVars[pair]!, sum));
  rows.push(define(space.sums.pair, space.sums.national));
  for (const [kind, sums] of Object.entries(space.sums.code) as [CodeKind, number[]][])
    sums.forEach((sum, code) => rows.push(define(space.codeVars[kind][code]!, sum)));
  return rows;
}
