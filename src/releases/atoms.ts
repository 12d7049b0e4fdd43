// The unknowns the disclosure audit reasons about, as the SQL layer produces them from approved reports.
import { EARLIER_PERIOD } from './periods';
import type { CodeKind } from './tables';

/** A state × field office combination a report can carry; office null is "don't know" (or no office covers it). */
export interface GeoPair {
  readonly state: string;
  readonly office: string | null;
}

/** What could exist in a release: the tables' rows and columns, whether or not any report falls there. */
export interface ReleaseUniverse {
  /** Valid state × office pairs, in display order of states. */
  readonly geography: readonly GeoPair[];
  /** Quarters covered, oldest first, as 'YYYY-Qn'. */
  readonly quarters: readonly string[];
  /** Every code of each kind, in codebook order. */
  readonly codes: Readonly<Record<CodeKind, readonly string[]>>;
}

/** Approved reports in one state × office × quarter cell. */
export interface GeoAtom {
  readonly state: string;
  readonly office: string | null;
  readonly quarter: string;
  readonly count: number;
}

/** Approved reports with one code, by state × office; a report with two codes of a kind counts in both. */
export interface CodeAtom {
  readonly kind: CodeKind;
  readonly code: string;
  readonly state: string;
  readonly office: string | null;
  readonly count: number;
}

/** Approved reports carrying both an action type and an activism type, nationally. */
export interface PairAtom {
  readonly action: string;
  readonly activism: string;
  readonly count: number;
}

/** Everything one release is computed from; absent atoms count zero. */
export interface ReleaseAtoms {
  readonly universe: ReleaseUniverse;
  readonly geo: readonly GeoAtom[];
  readonly codes: readonly CodeAtom[];
  readonly pairs: readonly PairAtom[];
}

/**
 * How many codes of a kind one report carries. An attacker knows these rules from the form, so they are
 * constraints of the audit: exactly one target role per report makes the role counts sum to the total.
 */
export type Cardinality = 'any' | 'atLeastOne' | 'exactlyOne';

export const KIND_CARDINALITY: Readonly<Record<CodeKind, Cardinality>> = {
  action_type: 'any',
  activism_type: 'any',
  evidence_type: 'any',
  target_role: 'exactlyOne',
};

/** The year part of a 'YYYY-Qn' quarter; the one bucket before the first year is its own year row. */
export function yearOf(quarter: string): string {
  return quarter === EARLIER_PERIOD ? quarter : quarter.slice(0, 4);
}
