// Times the pure release core (cells, suppression, audit): the demo seed's two releases in sequence (the
// seed's own report distribution, the SQL layer's periods and cutoffs), synthetic atoms of the demo's size,
// and 1,000,000 reports, with an earlier release in each case. Run: npx tsx bench/release-core.ts
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { buildDemoReports } from '../seeds/demo';
import type { Reference } from '../src/reference/types';
import type { ReleaseAtoms, ReleaseUniverse } from '../src/releases/atoms';
import { auditRelease, type PreviousRelease } from '../src/releases/audit';
import { computeCells } from '../src/releases/cells';
import { buildGeography } from '../src/releases/geography';
import { getHighs } from '../src/releases/lp';
import { EARLIER_PERIOD, FIRST_YEAR, periodsThrough } from '../src/releases/periods';
import { suppressRelease, type SuppressedRelease } from '../src/releases/suppress';
import { CODE_KINDS, type CodeKind } from '../src/releases/tables';
import {
  atomsFromReports,
  quarterRange,
  referenceUniverse,
  syntheticReports,
  type Report,
} from '../test/unit/releases/support';

const K = 11;

async function time<T>(label: string, run: () => Promise<T> | T): Promise<T> {
  const start = performance.now();
  const result = await run();
  console.log(`  ${label.padEnd(40)} ${((performance.now() - start) / 1000).toFixed(2)} s`);
  return result;
}

function describe(label: string, r: SuppressedRelease): void {
  const s = r.stats;
  console.log(
    `  ${label}: ${r.cells.length} cells, ${s.primary} primary + ${s.complementary} complementary suppressed, ` +
      `${s.rounds} rounds, ${s.solves} LP solves / ${s.iterations} iterations (cells ${s.millis.cells.toFixed(0)} ms, audit ${s.millis.audit.toFixed(0)} ms)`,
  );
}

/** Builds release 1, then release 2 with release 1 as history, then audits release 2 independently. */
async function twoReleases(
  first: { universe: ReleaseUniverse; atoms: ReleaseAtoms },
  second: { universe: ReleaseUniverse; atoms: ReleaseAtoms },
): Promise<void> {
  const started = performance.now();
  const r1 = await time('release 1: suppress + audit', () => suppressRelease({ atoms: first.atoms, k: K }));
  const previousReleases: PreviousRelease[] = [
    { universe: first.universe, cells: r1.cells, atoms: first.atoms },
  ];
  const r2 = await time('release 2 (after 1): suppress + audit', () =>
    suppressRelease({ atoms: second.atoms, k: K, previousReleases }),
  );
  const both = (performance.now() - started) / 1000;
  const verdict = await time('release 2: independent audit', () =>
    auditRelease({ atoms: second.atoms, cells: r2.cells, k: K, previousReleases }),
  );
  describe('release 1', r1);
  describe('release 2', r2);
  console.log(
    `  independent audit: ok=${verdict.ok}, ${verdict.stats.families} families, ${verdict.stats.solves} solves / ${verdict.stats.iterations} iterations, ` +
      `${verdict.stats.screened} screened`,
  );
  console.log(`  BOTH RELEASES (suppress + audit): ${both.toFixed(2)} s`);
}

function readCsv(name: string): Record<string, string>[] {
  const text = readFileSync(join(__dirname, '../reference', name), 'utf8');
  return parse(text, { columns: true, skip_empty_lines: true });
}

/** The reference data as the database would load it, enough for the demo seed's generator. */
function referenceFromCsv(): Reference {
  const states = readCsv('states.csv').map((r) => ({
    usps: r.usps!,
    nameEn: r.name!,
    nameEs: r.name!,
    fips: r.fips!,
    type: r.type as 'state',
  }));
  states.sort((a, b) => a.nameEn.localeCompare(b.nameEn));
  const offices = readCsv('field_offices.csv').map((r) => ({
    code: r.code!,
    name: r.name!,
    city: r.city!,
    state: r.state!,
    lat: Number(r.lat),
    lon: Number(r.lon),
    states: r.aor_states!.split(';'),
  }));
  const areas = offices.flatMap((o) =>
    o.states.map((state) => ({ office: o.code, state, wholeState: true })),
  );
  const position = new Map<string, number>();
  const codes = readCsv('taxonomy.csv').map((r) => {
    const kind = r.kind as CodeKind;
    const at = position.get(kind) ?? 0;
    position.set(kind, at + 1);
    return {
      kind,
      code: r.code!,
      position: at,
      labelEn: '',
      labelEs: '',
      definitionEn: '',
      definitionEs: '',
    };
  });
  return { states, offices, areas, splitCounties: [], codes };
}

/** The period of an incident month, as PERIOD_SQL computes it. */
function periodOf(month: string): string {
  const year = Number(month.slice(0, 4));
  if (year < FIRST_YEAR) return EARLIER_PERIOD;
  return `${year}-Q${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}`;
}

/** The demo seed's two releases' inputs, from its own generator, aggregated the way the SQL layer does. */
export function demoSeedInputs(): { universe: ReleaseUniverse; atoms: ReleaseAtoms }[] {
  const reference = referenceFromCsv();
  const geography = buildGeography(
    reference.states.map((s) => s.usps),
    reference.offices.map((o) => ({ code: o.code, states: o.states })),
  );
  const codes = Object.fromEntries(
    CODE_KINDS.map((kind) => [kind, reference.codes.filter((c) => c.kind === kind).map((c) => c.code)]),
  ) as Record<CodeKind, string[]>;
  const reports = buildDemoReports(reference);
  const release = (cutoff: string) => {
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
    console.log(
      `  cutoff ${cutoff}: ${counted.length} approved reports, ${universe.quarters.length} periods`,
    );
    return { universe, atoms: atomsFromReports(universe, counted) };
  };
  return [release('2025-12-31'), release('2026-09-30')];
}

async function demoSeed(): Promise<void> {
  console.log('\ndemo seed: the two releases the first start builds');
  const [first, second] = demoSeedInputs();
  await twoReleases(first!, second!);
}

async function scenario(name: string, reports: number, seed: number): Promise<void> {
  console.log(`\n${name}: ${reports.toLocaleString('en-US')} synthetic reports`);
  const earlyUniverse = referenceUniverse(quarterRange(2017, 2025));
  const universe = referenceUniverse(quarterRange(2017, 2026));
  const all = await time('generate reports', () => syntheticReports(earlyUniverse, reports, seed));
  const early = all.slice(0, Math.floor(reports * 0.8));
  const earlyAtoms = await time('aggregate to atoms (release 1)', () =>
    atomsFromReports(earlyUniverse, early),
  );
  const atoms = await time('aggregate to atoms (release 2)', () => atomsFromReports(universe, all));
  await time('compute cells', () => computeCells(atoms));
  await twoReleases({ universe: earlyUniverse, atoms: earlyAtoms }, { universe, atoms });
}

async function main(): Promise<void> {
  const only = process.argv[2];
  await time('load HiGHS (once per process)', () => getHighs());
  if (!only || only === 'seed') await demoSeed();
  if (!only || only === 'demo') await scenario('demo', 3000, 1);
  if (!only || only === 'large') await scenario('large', 1_000_000, 2);
  console.log(`\nRSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
}

if (require.main === module) void main();
