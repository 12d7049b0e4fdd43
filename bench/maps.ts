// Times the map core: the one-off geometry build at start-up, then each render, standalone SVG and PNG.
// Run with `npx tsx bench/maps.ts`; the budget is under 10 ms per SVG render.
import { buildMapGeometry, renderChoropleth, svgToPng, svgToPngAsync } from '../src/maps';
import type { MapView } from '../src/maps';
import { loadMapReference } from '../test/unit/maps/reference-fixture';

const reference = loadMapReference();

let t = performance.now();
const geometry = buildMapGeometry(reference);
const buildMs = performance.now() - t;

// Deterministic values with a fifth of the areas suppressed, like a small release.
function valuesFor(view: MapView): Map<string, number | null> {
  const keys =
    view === 'state' ? reference.states.map((s) => s.usps) : reference.fieldOffices.map((o) => o.code);
  return new Map(keys.map((k, i) => [k, i % 5 === 0 ? null : 11 + ((i * 37) % 300)]));
}

const labels = {
  title: 'Reports by area',
  legendTitle: 'Reports',
  suppressed: 'fewer than {k}',
  noData: 'no data',
};
const caption = ['Represalia, release 2026-Q3, published 2026-10-01, CC BY 4.0'];

function timeIt(runs: number, fn: () => unknown): { mean: number; p95: number } {
  for (let i = 0; i < 20; i++) fn(); // warm the JIT first: the server renders many times
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { mean: times.reduce((a, b) => a + b, 0) / runs, p95: times[Math.floor(runs * 0.95)] ?? NaN };
}

console.log(`geometry build (once, at start-up): ${buildMs.toFixed(1)} ms`);
for (const view of ['state', 'field_office'] as const) {
  const values = valuesFor(view);
  for (const standalone of [false, true]) {
    const render = (): string =>
      renderChoropleth({ geometry, view, values, threshold: 11, labels, standalone, caption });
    const r = timeIt(500, render);
    console.log(
      `render ${view.padEnd(12)} ${standalone ? 'standalone' : 'inline    '}: mean ${r.mean.toFixed(2)} ms, p95 ${r.p95.toFixed(2)} ms, ${(render().length / 1024).toFixed(0)} KiB`,
    );
  }
}

// PNGs: sequential async renders, as the queue in svgToPngAsync runs them, yielding to the event loop
// between renders as a server does.
async function benchPng(): Promise<void> {
  for (const view of ['state', 'field_office'] as const) {
    const svg = renderChoropleth({
      geometry,
      view,
      values: valuesFor(view),
      threshold: 11,
      labels,
      standalone: true,
      caption,
    });
    svgToPng(svg); // warm-up: fonts, code paths
    const start = performance.now();
    const runs = 20;
    let bytes = 0;
    for (let i = 0; i < runs; i++) bytes = (await svgToPngAsync(svg)).length;
    console.log(
      `png    ${view.padEnd(12)} 1950 px wide : mean ${((performance.now() - start) / runs).toFixed(0)} ms, ${(bytes / 1024).toFixed(0)} KiB`,
    );
  }
  console.log(`rss after ${40} PNG renders: ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB`);
}
void benchPng();
