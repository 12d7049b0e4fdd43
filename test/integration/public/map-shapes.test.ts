import request from 'supertest';
import { loadReference } from '../../../src/reference/store';
import { buildTestApp, type TestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { insertTestRelease } from '../../support/public-release';
import { assertWellFormedXml } from '../../unit/maps/xml';

// The pages' maps draw their shapes from one file at a fingerprinted address: every shape a page
// references is in the file that address serves, and that address may be cached for good.

let database: TestDatabase;
let testApp: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  await insertTestRelease(database.db, await loadReference(database.db), { label: '2026-Q3' });
  testApp = await buildTestApp(database.db);
});
afterAll(() => database.destroy());

const references = (html: string): { href: string; id: string }[] =>
  [...html.matchAll(/<use href="([^"#]+)#([^"]+)"/g)].map((m) => ({
    href: m[1]!.replaceAll('&#x3D;', '=').replaceAll('&amp;', '&'),
    id: m[2]!,
  }));

describe('the map shapes file', () => {
  it.each(['/', '/map', '/map?view=field_office', '/es/map?year=2025', '/es/'])(
    '%s references only shapes the fingerprinted file holds',
    async (page) => {
      const html = (await request(testApp.app).get(page).expect(200)).text;
      const used = references(html);
      expect(used.length).toBeGreaterThan(20);
      const hrefs = new Set(used.map((u) => u.href));
      expect(hrefs.size).toBe(1);
      const [href] = [...hrefs];
      expect(href).toMatch(/^\/map\/shapes\.svg\?v=[0-9a-f]{12}$/);
      const file = await request(testApp.app).get(href!).expect(200);
      expect(file.headers['content-type']).toMatch(/^image\/svg\+xml/);
      expect(file.headers['cache-control']).toBe('public, max-age=31536000');
      const svg = file.text || (file.body as Buffer).toString('utf8');
      assertWellFormedXml(svg);
      for (const { id } of used) expect(svg).toContain(`<path id="${id}" d="M`);
      // Shapes only: no number, no name, nothing from a release.
      expect(svg).not.toMatch(/<title|<text|2026-Q3/);
    },
  );

  it('is cached briefly at any other version, which a page from an older deploy may still ask for', async () => {
    for (const path of ['/map/shapes.svg', '/map/shapes.svg?v=000000000000']) {
      const response = await request(testApp.app).get(path).expect(200);
      expect(response.headers['cache-control']).toBe('public, max-age=3600');
    }
  });
});
