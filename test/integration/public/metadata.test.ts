import request from 'supertest';
import { loadReference } from '../../../src/reference/store';
import type { Reference } from '../../../src/reference/types';
import { TABLES } from '../../../src/releases/tables';
import { buildTestApp, type TestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { insertTestRelease } from '../../support/public-release';
import { assertWellFormedXml } from '../../unit/maps/xml';

// What search engines and feed readers take in: schema.org Dataset JSON-LD on each release page, and an
// Atom feed of the releases in each language.

let database: TestDatabase;
let testApp: TestApp;
let reference: Reference;

beforeAll(async () => {
  database = await createTestDatabase();
  reference = await loadReference(database.db);
  testApp = await buildTestApp(database.db, { PUBLIC_ORIGIN: 'https://represalia.example' });
});
afterAll(() => database.destroy());

const ORIGIN = 'https://represalia.example';

describe('GET /data/releases.atom', () => {
  it('is a valid feed with no entries before the first release, so people can subscribe early', async () => {
    const response = await request(testApp.app).get('/data/releases.atom').expect(200);
    expect(response.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    assertWellFormedXml(response.text);
    expect(response.text).not.toContain('<entry>');
    expect(response.text).toContain('<updated>1970-01-01T00:00:00Z</updated>');
  });

  it('lists every release, newest first, in the feed language with links in both', async () => {
    await insertTestRelease(database.db, reference, {
      label: '2025-Q4',
      cutoff: '2025-12-31',
      publishedOn: '2026-01-20',
      notesEn: 'Notes with <markup> & "quotes".',
    });
    await insertTestRelease(database.db, reference, { label: '2026-Q3' });
    const english = (await request(testApp.app).get('/data/releases.atom').expect(200)).text;
    assertWellFormedXml(english);
    expect(english).toContain('<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">');
    expect(english).toContain(`<id>${ORIGIN}/data/releases.atom</id>`);
    expect(english).toContain('<updated>2026-10-20T00:00:00Z</updated>');
    expect(english.indexOf('Release 2026-Q3')).toBeLessThan(english.indexOf('Release 2025-Q4'));
    expect(english).toContain(`hreflang="en" href="${ORIGIN}/data/releases/2025-Q4"`);
    expect(english).toContain(`hreflang="es" href="${ORIGIN}/es/data/releases/2025-Q4"`);
    expect(english).toContain(`href="${ORIGIN}/data/releases/2025-Q4/datapackage.json"`);
    expect(english).toContain('Notes with &lt;markup&gt; &amp; &quot;quotes&quot;.');
    expect(english).toContain('are withheld');
    const spanish = (await request(testApp.app).get('/es/data/releases.atom').expect(200)).text;
    assertWellFormedXml(spanish);
    expect(spanish).toContain('xml:lang="es"');
    expect(spanish).toContain('<title>Publicación 2026-Q3</title>');
    expect(spanish).toContain('están reservadas');
    expect(spanish).toContain(
      `<link rel="self" type="application/atom+xml" href="${ORIGIN}/es/data/releases.atom"/>`,
    );
  });

  it('is announced in the head of the data pages', async () => {
    for (const path of ['/data', '/data/releases', '/es/data/releases/2025-Q4']) {
      const page = (await request(testApp.app).get(path).expect(200)).text;
      expect(page).toMatch(
        /<link rel="alternate" type="application\/atom\+xml" href="(\/es)?\/data\/releases.atom"/,
      );
    }
  });

  it('refuses parameters with a 400', async () => {
    await request(testApp.app).get('/data/releases.atom?page=2').expect(400);
  });
});

// The JSON-LD block of a page, parsed.
function jsonLdOf(html: string): Record<string, unknown> {
  const blocks = [...html.matchAll(/<script type="application\/ld\+json">([^<]*)<\/script>/g)];
  expect(blocks).toHaveLength(1);
  return JSON.parse(blocks[0]![1]!) as Record<string, unknown>;
}

describe('schema.org Dataset on release pages', () => {
  it.each(['/data', '/data/releases/2026-Q3', '/es/data/releases/2026-Q3'])(
    '%s describes the release for dataset search',
    async (path) => {
      const html = (await request(testApp.app).get(path).expect(200)).text;
      const dataset = jsonLdOf(html);
      expect(dataset).toMatchObject({
        '@context': 'https://schema.org',
        '@type': 'Dataset',
        version: '2026-Q3',
        datePublished: '2026-10-20',
        license: 'https://creativecommons.org/licenses/by/4.0/',
        creator: { '@type': 'Organization', name: 'Represalia' },
        spatialCoverage: { '@type': 'Place', name: 'United States' },
        temporalCoverage: '../2026-09-30',
        url: `${ORIGIN}/data/releases/2026-Q3`,
      });
      expect(String(dataset.name)).toContain('2026-Q3');
      expect(String(dataset.description).length).toBeGreaterThanOrEqual(50);
      expect(String(dataset.citation)).toContain('Represalia, release 2026-Q3, published 2026-10-20');
      const downloads = dataset.distribution as {
        '@type': string;
        encodingFormat: string;
        contentUrl: string;
      }[];
      expect(downloads.map((d) => d.contentUrl.split('/').pop())).toEqual([
        ...TABLES.map((t) => `${t.name}.csv`),
        'datapackage.json',
        'all.zip',
      ]);
      for (const download of downloads) {
        expect(download['@type']).toBe('DataDownload');
        const response = await request(testApp.app).get(new URL(download.contentUrl).pathname).expect(200);
        expect(response.headers['content-type']).toContain(download.encodingFormat);
      }
    },
  );

  it('sits only on release pages', async () => {
    for (const path of ['/', '/map', '/data/releases', '/methodology']) {
      expect((await request(testApp.app).get(path)).text).not.toContain('application/ld+json');
    }
  });
});
