// The demo seed's releases as the pure engine sees them: the seed's own report generator, the reference
// data read from the CSV files, and the SQL layer's periods and cutoffs. For tests and the benches.
import { buildDemoReports } from '../../../seeds/demo';
import type { Reference } from '../../../src/reference/types';
import type { ReleaseAtoms, ReleaseUniverse } from '../../../src/releases/atoms';
import { buildGeography } from '../../../src/releases/geography';
import { EARLIER_PERIOD, FIRST_YEAR, periodsThrough } from '../../../src/releases/periods';
import { CODE_KINDS, type CodeKind } from '../../../src/releases/tables';
import { loadTestReference } from '../../support/reference-csv';
import { atomsFromReports, type Report } from './support';

/**
 * The reference data as the database would load it, enough for the demo seed's generator: states by name,
 * every office over whole states, no county split, codes numbered from 0 and without labels.
 */
function referenceFromCsv(): Reference {
  const reference = loadTestReference();
  const states = [...reference.states].sort((a, b) => a.nameEn.localeCompare(b.nameEn));
  const offices = reference.offices;
  const areas = offices.flatMap((o) =>
    o.states.map((state) => ({ office: o.code, state, wholeState: true })),
  );
  const codes = reference.codes.map((c) => ({
    kind: c.kind,
    code: c.code,
    position: c.position - 1,
    labelEn: '',
    definitionEn: '',
  }));
  return { states, offices, areas, splitCounties: [], codes };
}

/** The period of an incident month, as PERIOD_SQL computes it. */
function periodOf(month: string): string {
  const year = Number(month.slice(0, 4));
  if (year < FIRST_YEAR) return EARLIER_PERIOD;
  return `${year}-Q${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}`;
}

/** The demo seed's releases for these cutoffs, aggregated the way the SQL layer does. */
export function demoSeedInputs(
  cutoffs: readonly string[],
): { universe: ReleaseUniverse; atoms: ReleaseAtoms; approved: number }[] {
  const reference = referenceFromCsv();
  const geography = buildGeography(
    reference.states.map((s) => s.usps),
    reference.offices.map((o) => ({ code: o.code, states: o.states })),
  );
  const codes = Object.fromEntries(
    CODE_KINDS.map((kind) => [kind, reference.codes.filter((c) => c.kind === kind).map((c) => c.code)]),
  ) as Record<CodeKind, string[]>;
  const reports = buildDemoReports(reference);
  return cutoffs.map((cutoff) => {
    const universe: ReleaseUniverse = { geography, quarters: periodsThrough(cutoff), codes };
    const counted: Report[] = reports
      .filter((r) => r.status === 'approved' && r.decisionOn != null && r.decisionOn <= cutoff)
      .map((r) => ({
        state: r.state,
        office: r.fieldOffice,
        quarter: periodOf(r.incidentMonth),
        codes: {
          action_type: r.actionTypes,
          activism_type: r.activismTypes,
          evidence_type: r.evidenceTypes,
          target_role: [r.targetRole],
        },
      }));
    return { universe, atoms: atomsFromReports(universe, counted), approved: counted.length };
  });
}
