import { renderChoropleth, type ChoroplethOptions } from '../../../src/maps/choropleth';
import { buildMapGeometry } from '../../../src/maps/geometry';
import { renderShapeSprite } from '../../../src/maps/sprite';
import type { MapGeometry, MapReference, MapView } from '../../../src/maps/types';
import { loadMapReference } from './reference-fixture';
import { assertWellFormedXml } from './xml';

// Inline maps draw their shapes from one sprite file: every shape they reference must be in it, with
// the same path the standalone map writes in, and nothing else about the map may change.

let reference: MapReference;
let geometry: MapGeometry;

beforeAll(() => {
  reference = loadMapReference();
  geometry = buildMapGeometry(reference);
});

const HREF = '/map/shapes.svg?v=0123456789ab';

function render(view: MapView, shapesHref?: string): string {
  const keys =
    view === 'state' ? reference.states.map((s) => s.usps) : reference.fieldOffices.map((o) => o.code);
  const options: ChoroplethOptions = {
    geometry,
    view,
    values: new Map(keys.map((k, i) => [k, i % 4 === 0 ? null : 20 + i])),
    threshold: 11,
    labels: { title: 'Reports', legendTitle: 'Reports', suppressed: 'fewer than {k}', noData: 'no data' },
    standalone: false,
    ...(shapesHref ? { shapesHref } : {}),
  };
  return renderChoropleth(options);
}

// The sprite's paths by id.
function spritePaths(svg: string): Map<string, string> {
  return new Map([...svg.matchAll(/<path id="([^"]+)" d="([^"]*)"\/>/g)].map((m) => [m[1]!, m[2]!]));
}

describe('the shape sprite', () => {
  it('is well-formed and holds every state, office, territory, the borders and the outline', () => {
    const { svg, version } = renderShapeSprite(geometry);
    assertWellFormedXml(svg);
    expect(version).toMatch(/^[0-9a-f]{12}$/);
    const ids = [...spritePaths(svg).keys()];
    expect(ids).toHaveLength(geometry.states.length + geometry.offices.length + geometry.insets.length + 2);
    expect(new Set(ids).size).toBe(ids.length);
    // Fill and stroke come from each <use>, so the sprite sets neither.
    expect(svg).not.toMatch(/fill=|stroke=/);
  });

  it.each(['state', 'field_office'] as const)(
    'lets a %s map reference shapes instead of carrying them, and nothing else changes',
    (view) => {
      const inline = render(view);
      const referenced = render(view, HREF);
      assertWellFormedXml(referenced);
      expect(referenced).not.toContain(' d="');
      const paths = spritePaths(renderShapeSprite(geometry).svg);
      // Each <use> points into the sprite at a shape that exists, and draws what the inline <path> drew.
      const uses = [...referenced.matchAll(/<use href="([^"#]+)#([^"]+)"/g)];
      expect(uses.length).toBeGreaterThan(view === 'state' ? 55 : 25);
      for (const [, href, id] of uses) {
        expect(href).toBe(HREF);
        expect(inline).toContain(`d="${paths.get(id!)}"`);
      }
      // Swap each reference back for its path: the two renders are then the same markup.
      const restored = referenced.replace(
        /<use href="[^"#]+#([^"]+)" ([^>]*?)(\/?)>([\s\S]*?)<\/use>/g,
        (_m, id: string, attributes: string, _slash: string, content: string) =>
          `<path d="${paths.get(id)}" ${attributes}>${content}</path>`,
      );
      expect(restored).toBe(inline);
    },
  );

  it('changes its version only when a shape changes', () => {
    const a = renderShapeSprite(geometry).version;
    expect(renderShapeSprite(geometry).version).toBe(a);
    const moved = { ...geometry, nationOutline: `${geometry.nationOutline}M0 0l1 1z` };
    expect(renderShapeSprite(moved).version).not.toBe(a);
  });
});
