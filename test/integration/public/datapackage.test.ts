import { strFromU8, unzipSync } from 'fflate';
import request from 'supertest';
import { loadReference } from '../../../src/reference/store';
import type { Reference } from '../../../src/reference/types';
import { TABLES } from '../../../src/releases/tables';
import { buildTestApp, type TestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { buildReleaseCells, insertTestRelease } from '../../support/public-release';
import { validateCsv, type Dialect, type TableSchema } from '../../support/table-schema';

// Every release's Frictionless Data Package must describe its CSV files exactly: the same columns in the
// same order, every value of the declared type and within its codes, at /data/releases/:label/datapackage.json
// (paths resolved beside it) and inside all.zip (files beside it).

let database: TestDatabase;
let testApp: TestApp;
let reference: Reference;

interface Resource {
  name: string;
  path: string;
  profile?: string;
  format?: string;
  mediatype?: string;
  encoding?: string;
  dialect?: Dialect;
  schema?: TableSchema;
  licenses?: object[];
  sources?: object[];
}
interface Descriptor {
  profile: string;
  name: string;
  title: string;
  version: string;
  created: string;
  licenses: { name?: string; path?: string }[];
  sources: { title: string }[];
  description: string;
  threshold: number;
  resources: Resource[];
}

const LABELS = ['2025-Q4', '2026-Q3'];

function binary(res: request.Response, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

beforeAll(async () => {
  database = await createTestDatabase();
  reference = await loadReference(database.db);
  testApp = await buildTestApp(database.db);
  await insertTestRelease(
    database.db,
    reference,
    { label: '2025-Q4', cutoff: '2025-12-31', publishedOn: '2026-01-20' },
    buildReleaseCells(reference, '2025-12-31', 3),
  );
  await insertTestRelease(database.db, reference, { label: '2026-Q3' });
});
afterAll(() => database.destroy());

const descriptorOf = async (label: string): Promise<{ text: string; json: Descriptor }> => {
  const response = await request(testApp.app).get(`/data/releases/${label}/datapackage.json`).expect(200);
  expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  return { text: response.text, json: JSON.parse(response.text) as Descriptor };
};

// The descriptor rules of Data Package v1 that a validator checks before reading any data.
function checkDescriptor(d: Descriptor, label: string): void {
  expect(d.profile).toBe('tabular-data-package');
  expect(d.name).toMatch(/^[-a-z0-9._/]+$/);
  expect(d.version).toBe(label);
  expect(d.created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  expect(d.title).toContain(label);
  expect(d.description.length).toBeGreaterThan(50);
  expect(d.licenses).toEqual([expect.objectContaining({ name: 'CC-BY-4.0' })]);
  for (const source of d.sources) expect(source.title).toEqual(expect.any(String));
  expect(d.threshold).toBe(11);
  const names = d.resources.map((r) => r.name);
  expect(new Set(names).size).toBe(names.length);
  for (const resource of d.resources) {
    expect(resource.name).toMatch(/^[-a-z0-9._/]+$/);
    // A relative path may not climb out of the package or be absolute.
    if (!/^https?:\/\//.test(resource.path)) expect(resource.path).not.toMatch(/^\/|\.\./);
    if (resource.profile === 'tabular-data-resource')
      expect(resource.schema?.fields.length).toBeGreaterThan(0);
  }
  expect(names).toEqual([
    ...TABLES.map((t) => t.name),
    'codebook',
    'boundaries-states',
    'boundaries-field-offices',
  ]);
}

describe('GET /data/releases/:label/datapackage.json', () => {
  it.each(LABELS)(
    'describes release %s, and every CSV it names validates against its schema',
    async (label) => {
      const { json } = await descriptorOf(label);
      checkDescriptor(json, label);
      const base = `/data/releases/${label}/`;
      for (const resource of json.resources.filter((r) => r.profile === 'tabular-data-resource')) {
        const csv = await request(testApp.app)
          .get(new URL(resource.path, `http://x${base}`).pathname)
          .expect(200);
        expect([resource.name, validateCsv(csv.text, resource.schema!, resource.dialect)]).toEqual([
          resource.name,
          [],
        ]);
      }
    },
  );

  it("types counts as integers, codes as strings with the codebook's codes, and explains withheld cells", async () => {
    const { json } = await descriptorOf('2026-Q3');
    const byState = json.resources.find((r) => r.name === 'state_by_action_type')!.schema!;
    expect(byState.missingValues).toEqual(['']);
    expect(byState.primaryKey).toEqual(['state', 'action_type']);
    const field = (name: string) => byState.fields.find((f) => f.name === name)!;
    expect(field('count')).toMatchObject({ type: 'integer', constraints: { minimum: 11 } });
    expect((field('count') as { description?: string }).description).toMatch(/withheld/);
    expect((field('count') as { description?: string }).description).not.toMatch(/fewer than 11 is/i);
    expect(field('action_type').constraints!.enum).toEqual(
      reference.codes.filter((c) => c.kind === 'action_type').map((c) => c.code),
    );
    expect(field('state').constraints!.enum).toHaveLength(reference.states.length);
    expect(field('status').constraints!.enum).toEqual(['published', 'withheld']);
  });

  it('names the boundaries with their source and licence', async () => {
    const { json } = await descriptorOf('2026-Q3');
    const boundaries = json.resources.filter((r) => r.name.startsWith('boundaries-'));
    expect(boundaries).toHaveLength(2);
    for (const resource of boundaries) {
      expect(resource.mediatype).toBe('application/geo+json');
      expect(JSON.stringify(resource.sources)).toContain('Census Bureau');
      expect(JSON.stringify(resource.licenses)).toMatch(/ISC.*public domain/);
      await request(testApp.app).get(new URL(resource.path).pathname).expect(200);
    }
  });

  it('is inside all.zip, the same bytes, beside the files it names', async () => {
    const { text, json } = await descriptorOf('2025-Q4');
    const zip = await request(testApp.app).get('/data/releases/2025-Q4/all.zip').buffer(true).parse(binary);
    const files = unzipSync(new Uint8Array(zip.body as Buffer));
    expect(strFromU8(files['represalia-2025-Q4/datapackage.json']!)).toBe(text);
    for (const resource of json.resources.filter((r) => r.profile === 'tabular-data-resource')) {
      const file = files[`represalia-2025-Q4/${resource.path}`];
      expect([resource.path, file !== undefined]).toEqual([resource.path, true]);
      expect(validateCsv(Buffer.from(file!).toString('utf8'), resource.schema!, resource.dialect)).toEqual(
        [],
      );
    }
  });

  it('is read by a validator that fails on a file that drifts from it', async () => {
    const { json } = await descriptorOf('2026-Q3');
    const schema = json.resources.find((r) => r.name === 'by_state')!.schema!;
    const csv = (await request(testApp.app).get('/data/releases/2026-Q3/by_state.csv')).text;
    const lines = csv.split('\r\n');
    // The count column follows one label column per language.
    const count =
      lines[1]!.split(',')[
        lines[0]!
          .replace(/^\ufeff/, '')
          .split(',')
          .indexOf('count')
      ];
    expect(validateCsv(csv, schema).length).toBe(0);
    expect(validateCsv(csv.replace('count,status', 'n,status'), schema)).not.toEqual([]);
    expect(
      validateCsv([lines[0], lines[1]!.replace(/^[A-Z]{2}/, 'ZZ'), ''].join('\r\n'), schema),
    ).not.toEqual([]);
    expect(validateCsv([lines[0], lines[1], lines[1], ''].join('\r\n'), schema)).not.toEqual([]);
    if (count)
      expect(
        validateCsv([lines[0], lines[1]!.replace(`,${count},`, ',3,'), ''].join('\r\n'), schema),
      ).not.toEqual([]);
  });

  it('answers 404 for an unknown release and 400 for any parameter', async () => {
    await request(testApp.app).get('/data/releases/1999-Q1/datapackage.json').expect(404);
    await request(testApp.app).get('/data/releases/2026-Q3/datapackage.json?x=1').expect(400);
    await request(testApp.app).get('/es/data/releases/2026-Q3/datapackage.json').expect(200);
  });
});

describe('GET /data/releases/:label/codebook.csv', () => {
  it('is the codebook the zip holds', async () => {
    const single = await request(testApp.app).get('/data/releases/2026-Q3/codebook.csv').expect(200);
    expect(single.headers['content-disposition']).toBe(
      'attachment; filename="represalia-2026-Q3-codebook.csv"',
    );
    const zip = await request(testApp.app).get('/data/releases/2026-Q3/all.zip').buffer(true).parse(binary);
    const files = unzipSync(new Uint8Array(zip.body as Buffer));
    expect(Buffer.from(files['represalia-2026-Q3/codebook.csv']!).toString('utf8')).toBe(single.text);
  });
});
