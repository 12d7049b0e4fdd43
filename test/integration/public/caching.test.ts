import { once } from 'node:events';
import { get, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import request from 'supertest';
import { loadReference } from '../../../src/reference/store';
import type { Reference } from '../../../src/reference/types';
import { buildTestApp, type TestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { insertTestRelease } from '../../support/public-release';

let database: TestDatabase;
let testApp: TestApp;
let reference: Reference;

beforeAll(async () => {
  database = await createTestDatabase();
  reference = await loadReference(database.db);
  await insertTestRelease(database.db, reference, { label: '2025-Q4', cutoff: '2025-12-31' });
  testApp = await buildTestApp(database.db);
});
afterAll(() => database.destroy());

const ROUTES = [
  '/',
  '/map',
  '/map?release=2025-Q4&view=field_office',
  '/map/states.svg?release=2025-Q4',
  '/map/states.png?release=2025-Q4',
  '/data',
  '/data/releases',
  '/data/releases/2025-Q4',
  '/data/releases/2025-Q4/by_state.csv',
  '/data/releases/2025-Q4/all.zip',
  '/data/releases/2025-Q4/datapackage.json',
  '/data/releases/2025-Q4/changes',
  '/data/releases/2025-Q4/changes.csv',
  '/data/releases.atom',
  '/es/data/releases.atom',
  '/data/boundaries/states.geojson',
  '/api/v1/releases',
  '/api/v1/releases/2025-Q4/tables/by_state',
  '/codebook',
  '/methodology',
  '/es/map',
];

describe('conditional requests', () => {
  it.each(ROUTES)('%s answers 304 to If-None-Match with its ETag', async (path) => {
    const first = await request(testApp.app).get(path).expect(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w.-]+"$/);
    const again = await request(testApp.app).get(path).set('If-None-Match', etag).expect(304);
    expect(again.text ?? '').toBe('');
    expect(again.headers.etag).toBe(etag);
    expect(again.headers['cache-control']).toBe(first.headers['cache-control']);
    await request(testApp.app).get(path).set('If-None-Match', '"something-else"').expect(200);
  });

  it('caches release-pinned addresses long and "latest" ones briefly', async () => {
    const maxAge = async (path: string): Promise<number> =>
      Number(
        /max-age=(\d+)/.exec((await request(testApp.app).get(path)).headers['cache-control'] as string)?.[1],
      );
    for (const latest of ['/', '/map', '/data', '/data/releases', '/api/v1/releases']) {
      expect(await maxAge(latest)).toBeLessThanOrEqual(300);
    }
    for (const pinned of [
      '/map?release=2025-Q4',
      '/data/releases/2025-Q4',
      '/data/releases/2025-Q4/by_state.csv',
    ]) {
      expect(await maxAge(pinned)).toBeGreaterThanOrEqual(86400);
    }
  });

  it('changes the ETag of pages when a release is published, and not of pinned files', async () => {
    const tag = async (path: string): Promise<string> =>
      (await request(testApp.app).get(path)).headers.etag as string;
    const before = {
      home: await tag('/'),
      data: await tag('/data'),
      pinned: await tag('/data/releases/2025-Q4'),
      csv: await tag('/data/releases/2025-Q4/by_state.csv'),
      feed: await tag('/data/releases.atom'),
    };
    await insertTestRelease(database.db, reference, { label: '2026-Q3' });
    expect(await tag('/')).not.toBe(before.home);
    expect(await tag('/data')).not.toBe(before.data);
    // A pinned page says whether its release is the latest and how many there are: a new version.
    expect(await tag('/data/releases/2025-Q4')).not.toBe(before.pinned);
    expect(await tag('/data/releases/2025-Q4/by_state.csv')).toBe(before.csv);
    expect(await tag('/data/releases.atom')).not.toBe(before.feed);
    const home = await request(testApp.app).get('/').set('If-None-Match', before.home).expect(200);
    expect(home.text).toContain('release 2026-Q3');
  });

  it('serves byte-identical pages from the cache', async () => {
    const a = await request(testApp.app).get('/data/releases/2025-Q4');
    const b = await request(testApp.app).get('/data/releases/2025-Q4');
    expect(b.text).toBe(a.text);
  });
});

describe('compression', () => {
  // The raw bytes of a response, as sent: supertest would decode them.
  let origin: string;
  let server: Server;
  beforeAll(async () => {
    server = testApp.app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const fetchRaw = (path: string, acceptEncoding: string, ifNoneMatch?: string) =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; bytes: Buffer }>((resolve, reject) => {
      const headers = {
        'accept-encoding': acceptEncoding,
        ...(ifNoneMatch ? { 'if-none-match': ifNoneMatch } : {}),
      };
      get(origin + path, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: Buffer.concat(chunks) }),
        );
      }).on('error', reject);
    });

  it.each([
    '/',
    '/map',
    '/data/releases/2025-Q4',
    '/map/states.svg?release=2025-Q4',
    '/data/boundaries/field-offices.geojson',
    '/data/releases/2025-Q4/datapackage.json',
  ])(
    '%s is sent in brotli or gzip as accepted, the same bytes once decoded, under its own ETag',
    async (path) => {
      const plain = await fetchRaw(path, 'identity');
      const br = await fetchRaw(path, 'gzip, deflate, br');
      const gz = await fetchRaw(path, 'gzip');
      expect([plain.status, br.status, gz.status]).toEqual([200, 200, 200]);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(br.headers['content-encoding']).toBe('br');
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(brotliDecompressSync(br.bytes).equals(plain.bytes)).toBe(true);
      expect(gunzipSync(gz.bytes).equals(plain.bytes)).toBe(true);
      expect(br.bytes.length).toBeLessThan(gz.bytes.length);
      for (const { headers } of [plain, br, gz]) expect(headers.vary).toMatch(/Accept-Encoding/);
      const tags = [plain, br, gz].map(({ headers }) => headers.etag!);
      expect(new Set(tags).size).toBe(3);
      expect((await fetchRaw(path, 'br', tags[1])).status).toBe(304);
      // A cache holding the gzip bytes does not get a 304 for a brotli request: those bytes differ.
      expect((await fetchRaw(path, 'br', tags[2])).status).toBe(200);
    },
  );

  it('sends a body too small to compress as it is, and revalidates it whatever the client accepts', async () => {
    const path = '/api/v1/releases/2025-Q4/tables/national_total';
    const small = await fetchRaw(path, 'br');
    expect(small.bytes.length).toBeLessThanOrEqual(1024);
    expect(small.headers['content-encoding']).toBeUndefined();
    const plainTag = (await fetchRaw(path, 'identity')).headers.etag!;
    expect(small.headers.etag).toBe(plainTag);
    expect((await fetchRaw(path, 'br', plainTag)).status).toBe(304);
  });

  it('never compresses PNG or ZIP files, which are compressed already', async () => {
    for (const path of ['/map/states.png?release=2025-Q4', '/data/releases/2025-Q4/all.zip']) {
      const { status, headers } = await fetchRaw(path, 'br, gzip');
      expect(status).toBe(200);
      expect(headers['content-encoding']).toBeUndefined();
    }
  });
});

describe('canonical addresses', () => {
  // Pages are cached whole, with their language link: a page first rendered for /es/METHODOLOGY/ would
  // link every later visitor to /METHODOLOGY/ (issue 10). Other spellings are redirected instead.
  it.each([
    ['/METHODOLOGY/', '/methodology'],
    ['/es/Methodology', '/es/methodology'],
    ['/Codebook/', '/codebook'],
    ['/data/', '/data'],
    ['/DATA/releases/2025-Q4/', '/data/releases/2025-Q4'],
    ['/es/Map?release=2025-Q4&view=state', '/es/map?release=2025-Q4&view=state'],
  ])('sends %s to %s before anything is rendered or cached', async (odd, canonical) => {
    const fresh = await buildTestApp(database.db);
    const response = await request(fresh.app).get(odd).expect(301);
    expect(response.headers.location).toBe(canonical);
    // The first page the cache holds is the canonical one, and its twin link is canonical too.
    const page = await request(fresh.app).get(canonical).expect(200);
    const twin = /class="lang-switch" href="([^"]+)"/.exec(page.text)?.[1]?.replace(/&amp;/g, '&');
    const path = canonical.split('?')[0]!;
    const other = path.startsWith('/es/') ? path.slice(3) : `/es${path}`;
    expect(twin?.split('?')[0]).toBe(other);
  });

  it('serves the Spanish home page at /es as well as /es/', async () => {
    await request(testApp.app).get('/es').expect(200);
    await request(testApp.app).get('/es/').expect(200);
  });
});
