import { buildDemoReports, seedDemo } from '../../../seeds/demo';
import { loadReference } from '../../../src/reference/store';
import { LANGS, message } from '../../../src/platform/i18n';
import { officesForState } from '../../../src/reference/lookup';
import { createTestDatabase, type TestDatabase } from '../../support/database';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.destroy());

describe('reference data loaded by migrations', () => {
  it('holds 50 states, DC and 5 territories, 25 offices and four code lists in both languages', async () => {
    const reference = await loadReference(database.db);
    expect(reference.states).toHaveLength(56);
    expect(reference.offices).toHaveLength(25);
    expect(
      reference.codes
        .map((code) => code.kind)
        .filter((kind, i, all) => all.indexOf(kind) === i)
        .sort(),
    ).toEqual(['action_type', 'activism_type', 'evidence_type', 'target_role']);
  });

  it('has every code and state named in every catalog, as the database holds them in English and Spanish', async () => {
    // The catalogs (locales/*.json, reference.*) are what pages show; the database's columns are what the
    // migrations loaded from reference/*.csv. They must say the same, or a page and a download disagree.
    const codes = await database
      .db('codes')
      .select('kind', 'code', 'label_en', 'label_es', 'definition_en', 'definition_es');
    for (const code of codes) {
      const key = `reference.codes.${code.kind}.${code.code}`;
      expect({ key, en: message('en', `${key}.label`), es: message('es', `${key}.label`) }).toEqual({
        key,
        en: code.label_en,
        es: code.label_es,
      });
      expect({ key, en: message('en', `${key}.definition`), es: message('es', `${key}.definition`) }).toEqual(
        { key, en: code.definition_en, es: code.definition_es },
      );
      for (const lang of LANGS) expect(message(lang, `${key}.label`)?.trim()).toBeTruthy();
    }
    const states = await database.db('states').select('usps', 'name_en', 'name_es');
    for (const state of states) {
      const key = `reference.states.${state.usps}`;
      expect({ key, en: message('en', key), es: message('es', key) }).toEqual({
        key,
        en: state.name_en,
        es: state.name_es,
      });
    }
    const offices = await database.db('field_offices').select('code', 'name');
    for (const office of offices) expect(message('en', `reference.offices.${office.code}`)).toBe(office.name);
  });

  it('splits Texas among five offices, California among three and New York between two, by county', async () => {
    const reference = await loadReference(database.db);
    expect(officesForState(reference, 'TX').sort()).toEqual(['DAL', 'ELP', 'HLG', 'HOU', 'SNA']);
    expect(officesForState(reference, 'CA').sort()).toEqual(['LOS', 'SFR', 'SND']);
    expect(officesForState(reference, 'NY').sort()).toEqual(['BUF', 'NYC']);
    expect(officesForState(reference, 'GA')).toEqual(['ATL']);
    expect(officesForState(reference, 'AS')).toEqual([]);
    const texasCounties = reference.splitCounties.filter((county) => county.state === 'TX');
    expect(texasCounties).toHaveLength(254);
    expect(reference.areas.find((area) => area.state === 'TX')?.wholeState).toBe(false);
    expect(reference.areas.find((area) => area.state === 'GA')?.wholeState).toBe(true);
  });
});

describe('the demo seed', () => {
  it('writes at least 3,000 reports over states, offices, quarters since 2017 and every code, idempotently', async () => {
    const added = await seedDemo(database.db, { NODE_ENV: 'test' });
    expect(added).toBeGreaterThanOrEqual(3000);
    expect(await seedDemo(database.db, { NODE_ENV: 'test' })).toBe(0);

    const count = async (sql: string) => {
      const result: { rows: { n: string }[] } = await database.db.raw(sql);
      return Number(result.rows[0]?.n);
    };
    expect(await count('select count(*) n from reports')).toBe(added);
    expect(await count('select count(distinct state) n from reports')).toBeGreaterThanOrEqual(50);
    expect(await count('select count(distinct field_office) n from reports')).toBe(25);
    expect(await count("select count(*) n from reports where incident_month < '2017-01-01'")).toBe(0);
    expect(
      await count("select count(distinct date_trunc('quarter', incident_month)) n from reports"),
    ).toBeGreaterThanOrEqual(36);
    expect(
      await count(
        "select count(*) n from codes c where not exists (select 1 from report_codes rc where rc.kind = c.kind and rc.code = c.code) and not exists (select 1 from reports r where c.kind = 'target_role' and r.target_role = c.code)",
      ),
    ).toBe(0);
    expect(await count("select count(*) n from reports where status = 'approved'")).toBeGreaterThan(2000);
  });

  it('is deterministic', async () => {
    const reference = await loadReference(database.db);
    expect(buildDemoReports(reference, 50)).toEqual(buildDemoReports(reference, 50));
  });

  it('refuses to run in production', async () => {
    await expect(seedDemo(database.db, { NODE_ENV: 'production' })).rejects.toThrow(/production/);
  });
});
