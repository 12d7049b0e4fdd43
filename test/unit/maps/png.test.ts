import { renderChoropleth } from '../../../src/maps/choropleth';
import { buildMapGeometry } from '../../../src/maps/geometry';
import { svgToPng, svgToPngAsync } from '../../../src/maps/png';
import { loadMapReference } from './reference-fixture';

describe('svgToPng', () => {
  it('rasterizes a standalone map to a PNG twice the drawing width', () => {
    const geometry = buildMapGeometry(loadMapReference());
    const svg = renderChoropleth({
      geometry,
      view: 'field_office',
      values: new Map([
        ['HOU', 40],
        ['MIA', null],
      ]),
      threshold: 11,
      labels: {
        title: 'Reports by field office',
        legendTitle: 'Reports',
        suppressed: 'fewer than {k}',
        noData: 'no data',
      },
      standalone: true,
      caption: ['Represalia, release 2026-Q3, CC BY 4.0'],
    });
    const png = svgToPng(svg);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.readUInt32BE(16)).toBe(1950); // IHDR width
    expect(svgToPng(svg, { width: 600 }).readUInt32BE(16)).toBe(600);
  });

  it('renders off the main thread to the same PNG, one render at a time', async () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="20" height="20" fill="#083776"/></svg>';
    const [a, b] = await Promise.all([svgToPngAsync(svg), svgToPngAsync(svg, { width: 80 })]);
    expect(a).toEqual(svgToPng(svg));
    expect(b.readUInt32BE(16)).toBe(80);
  });

  it('rejects malformed SVG without blocking the renders queued behind it', async () => {
    await expect(svgToPngAsync('<svg')).rejects.toThrow();
    const ok = await svgToPngAsync('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>');
    expect(ok.readUInt32BE(16)).toBe(8);
  });
});
