// Times the pure release core (suppression and the independent gate) and prints what it withholds: the demo
// seed's two releases in sequence (the seed's own report distribution, the SQL layer's periods and cutoffs)
// and 1,000,000 synthetic reports in two releases. Budgets (DESIGN sections 6 and 7): information loss at
// most 10 % over all tables and at most 1 in 10 over the one-dimensional ones, the national total published,
// both demo releases within 60 s of the first start, 30 s per release at 1M reports.
//   npx tsx bench/release-core.ts [seed|large] [--cutoffs 2024-06-30,2026-09-30]
import type { ReleaseAtoms, ReleaseUniverse } from '../src/releases/atoms';
import { auditSeries } from '../src/releases/disclosure/gate';
import { getHighs } from '../src/releases/disclosure/lp';
import { buildRelease, type BuiltRelease } from '../src/releases/disclosure/suppress';
import type { SeriesRelease } from '../src/releases/disclosure/system';
import { DEMO_RELEASES } from '../seeds/demo-releases';
import { demoSeedInputs } from '../test/unit/releases/demo-inputs';
import {
  atomsFromReports,
  quarterRange,
  referenceUniverse,
  syntheticReports,
} from '../test/unit/releases/support';

const K = 11;

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

function report(label: string, built: BuiltRelease, gateMs: number, certified: number): void {
  const { loss, stats } = built;
  const pct = (a: number, b: number) => (b === 0 ? '0.0' : ((100 * a) / b).toFixed(1));
  console.log(
    `  ${label}: build ${seconds(stats.millis)} (${stats.rounds} rounds, ${stats.solves} LP solves, ${stats.iterations} simplex iterations), gate ${seconds(gateMs)} (${certified} certificates verified)`,
  );
  console.log(
    `    information loss: ${loss.withheld} of ${loss.publishable} publishable cells withheld (${pct(loss.withheld, loss.publishable)} %); ` +
      `one-dimensional ${loss.oneDimension.withheld} of ${loss.oneDimension.publishable} (${pct(loss.oneDimension.withheld, loss.oneDimension.publishable)} %); ` +
      `no protection withholds fewer than ${stats.lossLowerBound} (${pct(stats.lossLowerBound, loss.publishable)} %); national total ${loss.nationalTotalPublished ? 'published' : 'WITHHELD'}`,
  );
  console.log(
    '    table                             published  below k  increment<k  protecting  (publishable)',
  );
  for (const t of loss.tables) {
    console.log(
      `    ${t.table.padEnd(32)} ${String(t.published).padStart(9)} ${String(t.belowK).padStart(8)} ${String(t.incrementBelowK).padStart(12)} ${String(t.protecting).padStart(11)}  (${t.publishable})`,
    );
  }
}

/** Builds each release on top of the ones before, then gates it with every earlier release, as publishing does. */
async function series(
  inputs: readonly { label: string; universe: ReleaseUniverse; atoms: ReleaseAtoms }[],
): Promise<void> {
  const started = performance.now();
  const history: SeriesRelease[] = [];
  for (const input of inputs) {
    const current = { universe: input.universe, atoms: input.atoms };
    const built = await buildRelease({ history, current, k: K });
    const gateStarted = performance.now();
    const verdict = await auditSeries({
      series: [...history, { ...current, cells: built.cells }],
      k: K,
      certificates: built.certificates,
    });
    const gateMs = performance.now() - gateStarted;
    if (!verdict.ok)
      throw new Error(`${input.label}: the gate refused the release (${verdict.failures.length} failures)`);
    report(input.label, built, gateMs, verdict.stats.certified);
    history.push({ ...current, label: input.label, cells: built.cells });
  }
  console.log(`  ALL RELEASES (build + gate): ${seconds(performance.now() - started)}`);
}

async function demoSeed(cutoffs: readonly string[]): Promise<void> {
  console.log(`\ndemo seed: the releases the first start builds (cutoffs ${cutoffs.join(', ')})`);
  const inputs = demoSeedInputs(cutoffs);
  inputs.forEach((input, i) => console.log(`  cutoff ${cutoffs[i]}: ${input.approved} approved reports`));
  await series(inputs.map((input, i) => ({ ...input, label: cutoffs[i]! })));
}

async function large(reports: number): Promise<void> {
  console.log(`\nlarge: ${reports.toLocaleString('en-US')} synthetic reports, 80 % in the first release`);
  const early = referenceUniverse(['before-2017', ...quarterRange(2017, 2025)]);
  const later = referenceUniverse(['before-2017', ...quarterRange(2017, 2026)]);
  const all = syntheticReports(early, reports, 2);
  await series([
    {
      label: 'first',
      universe: early,
      atoms: atomsFromReports(early, all.slice(0, Math.floor(reports * 0.8))),
    },
    { label: 'second', universe: later, atoms: atomsFromReports(later, all) },
  ]);
}

async function main(): Promise<void> {
  const only = process.argv[2]?.startsWith('--') ? undefined : process.argv[2];
  const at = process.argv.indexOf('--cutoffs');
  const cutoffs = at > 0 ? process.argv[at + 1]!.split(',') : DEMO_RELEASES.map((r) => r.cutoff);
  await getHighs();
  if (!only || only === 'seed') await demoSeed(cutoffs);
  if (!only || only === 'large') await large(1_000_000);
  console.log(`\nRSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
}

if (require.main === module) void main();
