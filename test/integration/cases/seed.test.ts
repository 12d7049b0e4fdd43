import { seedDemoCases } from '../../../seeds/demo-cases';
import { createTestDatabase, type TestDatabase } from '../../support/database';

// The demo's starter cases: clearly synthetic, imported through the importer, idempotent, never in production.

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.destroy());

describe('the demo seed of the public record', () => {
  it('refuses to run in production', async () => {
    await expect(seedDemoCases(database.db, { NODE_ENV: 'production' })).rejects.toThrow(/production/);
    expect(Number((await database.db('public_cases').count<{ n: string }[]>({ n: '*' }))[0]!.n)).toBe(0);
  });

  it('adds seven synthetic cases with example.org or example.com sources, one retracted, and only once', async () => {
    expect(await seedDemoCases(database.db, { NODE_ENV: 'test' })).toBe(7);
    expect(await seedDemoCases(database.db, { NODE_ENV: 'test' })).toBe(0);
    const cases = await database.db('public_cases').select('summary_en', 'summary_es', 'retracted_on');
    expect(cases).toHaveLength(7);
    for (const c of cases as { summary_en: string; summary_es: string }[]) {
      expect(c.summary_en).toMatch(/^Synthetic example: /);
      expect(c.summary_es).toMatch(/^Ejemplo sintético: /);
    }
    expect(cases.filter((c: { retracted_on: unknown }) => c.retracted_on !== null)).toHaveLength(1);
    const sources = await database.db('public_case_sources').select<{ url: string }[]>('url');
    expect(sources).toHaveLength(8);
    for (const { url } of sources) expect(new URL(url).hostname).toMatch(/^example\.(org|com)$/);
  });
});
