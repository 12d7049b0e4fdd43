import { barChart, columnChart, niceScale } from '../../../src/public/charts';
import { assertWellFormedXml } from '../maps/xml';

const bars = [
  { label: 'Before 2017', value: null, tick: 'Before 2017' },
  { label: '2017 Q1', value: 25, tick: '2017' },
  { label: '2017 Q2 <&>', value: null },
  { label: '2017 Q3', value: 140 },
];
const input = {
  id: 'chart-x',
  title: 'Reports by quarter & more',
  description: 'Bar chart "quoted"',
  bars,
  withheldLabel: 'withheld',
  locale: 'en',
};

describe.each([
  ['columnChart', columnChart],
  ['barChart', barChart],
])('%s', (_name, chart) => {
  const svg = chart(input);

  it('is well-formed XML with escaped text', () => {
    expect(() => assertWellFormedXml(svg)).not.toThrow();
    expect(svg).toContain('2017 Q2 &lt;&amp;&gt;');
  });

  it('is an image named by its title and description', () => {
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="chart-x-title chart-x-desc"/);
    expect(svg).toContain('<title id="chart-x-title">Reports by quarter &amp; more</title>');
    expect(svg).toContain('<desc id="chart-x-desc">');
  });

  it('gives every bar a title, withheld ones "withheld" and never a number', () => {
    expect(svg).toContain('<title>2017 Q1: 25</title>');
    expect(svg).toContain('<title>2017 Q3: 140</title>');
    expect(svg).toContain('<title>Before 2017: withheld</title>');
    expect(svg).toContain('fill="url(#chart-x-hatch)"');
    expect(svg).not.toMatch(/fewer/i);
  });

  it('draws every withheld bar as the same small mark, whatever the scale: its height says nothing', () => {
    const marks = [...svg.matchAll(/<rect [^>]*fill="url\(#chart-x-hatch\)"[^>]*>/g)].map((m) => m[0]);
    // Two withheld bars, plus the legend's swatch.
    expect(marks).toHaveLength(3);
    for (const mark of marks) expect(Number(/height="([\d.]+)"/.exec(mark)?.[1])).toBeLessThanOrEqual(16);
  });

  it('uses presentation attributes only (no style, no script)', () => {
    expect(svg).not.toMatch(/style=|<style|<script|on[a-z]+=/i);
  });
});

describe('niceScale', () => {
  it.each([
    [11, 15, 5],
    [140, 150, 50],
    [1, 1, 1],
    [1000, 1000, 250],
  ])('rounds %d up to %d in whole steps of %d', (max, expected, step) => {
    expect(niceScale(max)).toEqual({ max: expected, step });
  });
});
