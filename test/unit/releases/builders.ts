// Small hand-made universes and reports for the release tests.
import type { GeoPair, ReleaseUniverse } from '../../../src/releases/atoms';
import type { ReleaseCell } from '../../../src/releases/audit';
import type { ReleaseAtoms } from '../../../src/releases/atoms';
import { buildSystem, type SystemCell } from '../../../src/releases/disclosure/system';
import type { Report } from './support';

/** A universe of one-office states (office = 'O' + state) plus any extra pairs, with one code per kind by default. */
export function smallUniverse(
  states: readonly string[],
  quarters: readonly string[],
  extra: readonly GeoPair[] = [],
): ReleaseUniverse {
  return {
    geography: [...states.map((s) => ({ state: s, office: `O${s}` })), ...extra],
    quarters,
    codes: {
      action_type: ['arrest'],
      activism_type: ['organizer'],
      evidence_type: ['photo'],
      target_role: ['self'],
    },
  };
}

const smallCodes = {
  action_type: ['arrest'],
  activism_type: ['organizer'],
  evidence_type: ['photo'],
  target_role: ['self'],
};

/** `count` identical reports in one place, carrying one code of each kind (the universe's first, when given). */
export function reports(
  state: string,
  office: string | null,
  quarter: string,
  count: number,
  universe?: ReleaseUniverse,
): Report[] {
  const codes = universe
    ? {
        action_type: universe.codes.action_type.slice(0, 1),
        activism_type: universe.codes.activism_type.slice(0, 1),
        evidence_type: universe.codes.evidence_type.slice(0, 1),
        target_role: universe.codes.target_role.slice(0, 1),
      }
    : smallCodes;
  return Array.from({ length: count }, () => ({ state, office, quarter, codes }));
}

/** Every cell of one release with its true count. */
export function trueCells(atoms: ReleaseAtoms): readonly SystemCell[] {
  return buildSystem([{ universe: atoms.universe, atoms }]).releases[0]!.cells;
}

/** Primary suppression only, the naive release the auditor exists to refuse. */
export function naiveRelease(atoms: ReleaseAtoms, k: number): ReleaseCell[] {
  return trueCells(atoms).map((c) => ({
    table: c.table,
    keys: c.keys,
    status: c.count < k ? 'suppressed' : 'published',
    value: c.count < k ? null : c.count,
  }));
}
