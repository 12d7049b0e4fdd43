import { Resvg } from '@resvg/resvg-js';
import { renderChoropleth, type ChoroplethOptions } from '../../../src/maps/choropleth';
import { buildMapGeometry } from '../../../src/maps/geometry';
import type { MapGeometry, MapReference, MapView } from '../../../src/maps/types';
import { loadMapReference } from './reference-fixture';
import { assertWellFormedXml } from './xml';

let reference: MapReference;
let geometry: MapGeometry;

beforeAll(() => {
  reference = loadMapReference();
  geometry = buildMapGeometry(reference);
});

const LABELS = {
  title: 'Reports by state',
  legendTitle: 'Reports',
  suppressed: 'fewer than {k}',
  noData: 'no data',
};

// A deterministic spread of values, with every fifth area suppressed.
function valuesFor(view: MapView): Map<string, number | null> {
  const keys =
    view === 'state' ? reference.states.map((s) => s.usps) : reference.fieldOffices.map((o) => o.code);
  return new Map(keys.map((k, i) => [k, i % 5 === 0 ? null : 11 + ((i * 37) % 300)]));
}

function render(overrides: Partial<ChoroplethOptions> = {}): string {
  const view = overrides.view ?? 'state';
  return renderChoropleth({
    geometry,
    view,
    values: valuesFor(view),
    threshold: 11,
    labels: LABELS,
    standalone: false,
    ...overrides,
  });
}

// The <path> or <g> whose <title> begins with the given text, as markup.
function elementTitled(svg: string, title: string): string {
  const at = svg.indexOf(`<title>${title}`);
  if (at < 0) throw new Error(`nothing titled ${title}`);
  const start = Math.max(
    svg.lastIndexOf('<path', at),
    svg.lastIndexOf('<g>', at),
    svg.lastIndexOf('<circle', at),
  );
  return svg.slice(start, at);
}

const fillOf = (markup: string): string | undefined => /fill="([^"]+)"/.exec(markup)?.[1];

describe('renderChoropleth', () => {
  it.each<[MapView, boolean]>([
    ['state', false],
    ['state', true],
    ['field_office', false],
    ['field_office', true],
  ])(
    'writes well-formed SVG with no style attribute or element (%s view, standalone %s)',
    (view, standalone) => {
      const svg = render({ view, standalone, caption: ['Release 2026-Q3', 'Represalia, CC BY 4.0'] });
      assertWellFormedXml(svg);
      expect(() => new Resvg(svg)).not.toThrow(); // resvg's strict XML parser agrees
      expect(svg).not.toMatch(/style\s*=/i);
      expect(svg).not.toMatch(/<style/i);
      expect(svg.startsWith('<?xml')).toBe(standalone);
    },
  );

  it('gives every state a shape with its name and value in a title', () => {
    const svg = render();
    for (const s of geometry.states) expect(svg).toContain(`<title>${s.name}: `);
    expect(svg.match(/<path d="M[^"]*" fill="[^"]+"><title>/g)).toHaveLength(51);
    expect(svg.includes('<title>Alabama: fewer than 11</title>')).toBe(true); // the first state is suppressed
    expect(svg.includes('<title>Alaska: 48</title>')).toBe(true);
  });

  it('hatches suppressed areas and draws none of them in a class colour', () => {
    const values = new Map<string, number | null>([
      ['TX', null],
      ['CA', 250],
      ['NY', 5], // below k: a caller's bug must still not show the count
    ]);
    const svg = render({ values, idPrefix: 'm' });
    expect(fillOf(elementTitled(svg, 'Texas: fewer than 11'))).toBe('url(#m-hatch)');
    expect(fillOf(elementTitled(svg, 'New York: fewer than 11'))).toBe('url(#m-hatch)');
    expect(svg).not.toContain('New York: 5');
    expect(fillOf(elementTitled(svg, 'California: 250'))).toMatch(/^#[0-9a-f]{6}$/);
    expect(fillOf(elementTitled(svg, 'Ohio: no data'))).toBe('#ffffff');
    expect(svg).toContain('<pattern id="m-hatch"');
  });

  it('shows the territories in the inset with titles, American Samoa only in the state view', () => {
    const states = render({
      values: new Map([
        ['PR', 40],
        ['VI', null],
        ['GU', 12],
        ['MP', null],
        ['AS', null],
      ]),
    });
    for (const t of [
      'Puerto Rico: 40',
      'U.S. Virgin Islands: fewer than 11',
      'Guam: 12',
      'Northern Mariana Islands: fewer than 11',
      'American Samoa: fewer than 11',
    ]) {
      expect(states).toContain(`<title>${t}</title>`);
    }
    const offices = render({
      view: 'field_office',
      values: new Map([
        ['MIA', 500],
        ['SFR', null],
        ['HOU', 20],
      ]),
    });
    expect(offices).not.toContain('American Samoa');
    const miami = fillOf(elementTitled(offices, 'Miami Field Office: 500'));
    expect(miami).toMatch(/^#/);
    // A territory takes the class of the office that covers it.
    const insetFill = (title: string): string | undefined =>
      /<path d="[^"]+" fill="([^"]+)"/.exec(offices.slice(offices.indexOf(`<title>${title}`)))?.[1];
    expect(insetFill('Puerto Rico (Miami Field Office): 500')).toBe(miami);
    expect(insetFill('U.S. Virgin Islands (Miami Field Office): 500')).toBe(miami);
    expect(insetFill('Guam (San Francisco Field Office): fewer than 11')).toBe(
      'url(#map-offices-hatch-fine)',
    );
    expect(insetFill('Northern Mariana Islands (San Francisco Field Office): fewer than 11')).toBe(
      'url(#map-offices-hatch-fine)',
    );
  });

  it('marks each field office with a circle in the field-office view only', () => {
    expect(render({ view: 'field_office' }).match(/<circle /g)).toHaveLength(25);
    expect(render({ view: 'state' })).not.toContain('<circle');
  });

  it('draws the five Texas offices as five differently valued areas', () => {
    const values = new Map<string, number | null>([
      ['DAL', 15],
      ['ELP', 60],
      ['HLG', null],
      ['HOU', 400],
      ['SNA', 1000],
    ]);
    const svg = render({ view: 'field_office', values });
    const fills = ['Dallas', 'El Paso', 'Harlingen', 'Houston', 'San Antonio'].map((n) =>
      fillOf(elementTitled(svg, `${n} Field Office: `)),
    );
    expect(new Set(fills).size).toBe(5);
  });

  it('escapes every label, name and caption so hostile text stays text', () => {
    const evil = `<&"'>]]>`;
    const svg = render({
      standalone: true,
      labels: { title: evil, legendTitle: evil, suppressed: `${evil} {k}`, noData: evil, description: evil },
      caption: [evil],
      names: new Map([['TX', evil]]),
      values: new Map([['TX', null]]),
    });
    assertWellFormedXml(svg);
    expect(svg).not.toContain(evil);
    expect(svg).toContain('&lt;&amp;&quot;&apos;&gt;]]&gt;');
  });

  it('is accessible: role img, labelled by its own title and description', () => {
    const svg = render({ idPrefix: 'x1' });
    expect(svg).toMatch(/^<svg [^>]*role="img"[^>]*aria-labelledby="x1-title x1-desc"/);
    expect(svg).toContain('<title id="x1-title">Reports by state</title>');
    expect(svg).toContain('<desc id="x1-desc">');
  });

  it('scales inline and has a fixed size standalone, with the title and caption drawn in', () => {
    const inline = render();
    expect(inline).toMatch(/^<svg [^>]*viewBox="0 0 975 \d+"/);
    expect(inline).not.toMatch(/^<svg [^>]*width=/);
    const file = render({
      standalone: true,
      caption: ['Release 2026-Q3', 'Represalia, release 2026-Q3, CC BY 4.0'],
    });
    expect(file).toMatch(/<svg [^>]*width="975" height="\d+"/);
    expect(file).toContain('>Reports by state</text>');
    expect(file).toContain('>Represalia, release 2026-Q3, CC BY 4.0</text>');
  });

  it('lists "no data" in the legend only when some area has no cell', () => {
    const all = new Map(geometry.states.map((s) => [s.key, 20]));
    const territories = new Map(geometry.insets.map((t) => [t.key, 20]));
    expect(render({ values: new Map([...all, ...territories]) })).not.toContain('>no data</text>');
    expect(render({ values: all })).toContain('>no data</text>'); // the territories have no cell
  });

  it('formats Spanish numbers the Spanish way', () => {
    const svg = render({
      locale: 'es',
      values: new Map([['TX', 12345]]),
      names: new Map([['TX', 'Texas (es)']]),
    });
    expect(svg).toContain('<title>Texas (es): 12.345</title>');
  });

  it('formats numbers in the page language and fills {k} in the suppressed label', () => {
    const svg = render({
      locale: 'en',
      values: new Map([
        ['TX', 12345],
        ['CA', null],
      ]),
      threshold: 11,
    });
    expect(svg).toContain('<title>Texas: 12,345</title>');
    expect(svg).toContain('<title>California: fewer than 11</title>');
  });
});
