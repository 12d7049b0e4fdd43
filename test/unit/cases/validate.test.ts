import fc from 'fast-check';
import { translate } from '../../../src/platform/i18n';
import { checkSourceUrl, cleanText, validateCase, type RawCase } from '../../../src/cases/validate';
import { caseReference, rawCase } from './support';

const reference = caseReference();
const TODAY = '2026-11-27';

describe('checkSourceUrl', () => {
  it.each([
    ['https://example.org/news/story?id=1#p2', 'https://example.org/news/story?id=1#p2'],
    ['  HTTPS://Example.ORG/a  ', 'https://example.org/a'],
    ['https://example.org:8443', 'https://example.org:8443/'],
    ['https://xn--bcher-kva.example/', 'https://xn--bcher-kva.example/'],
  ])('accepts %s as %s', (input, expected) => {
    expect(checkSourceUrl(input)).toEqual({ ok: true, url: expected });
  });

  it.each([
    ['', 'cases.errors.source_url_missing'],
    ['http://example.org/', 'cases.errors.source_url_https'],
    ['javascript:alert(1)', 'cases.errors.source_url_https'],
    ['data:text/html,<script>', 'cases.errors.source_url_https'],
    ['ftp://example.org/file', 'cases.errors.source_url_https'],
    ['example.org/news', 'cases.errors.source_url'],
    ['https://localhost/admin', 'cases.errors.source_url'],
    ['https://127.0.0.1/', 'cases.errors.source_url'],
    ['https://[::1]/', 'cases.errors.source_url'],
    ['https://user:secret@example.org/', 'cases.errors.source_url'],
    ['https://exa\nmple.org/', 'cases.errors.source_url'],
    ['https://example.org/a b', 'cases.errors.source_url'],
    ['https://example.org/\u202egnp.exe', 'cases.errors.source_url'],
    [`https://example.org/${'a'.repeat(2100)}`, 'cases.errors.source_url'],
    ['https://', 'cases.errors.source_url'],
  ])('refuses %j', (input, key) => {
    expect(checkSourceUrl(input)).toEqual({ ok: false, key });
  });

  it('never throws, and whatever it accepts is an https URL the parser writes back unchanged', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.webUrl({ withFragments: true, withQueryParameters: true }),
          fc.string(),
          fc.string({ unit: 'binary' }),
        ),
        (input) => {
          const result = checkSourceUrl(input);
          if (!result.ok) return expect(translate('en', result.key)).not.toBe(result.key);
          const url = new URL(result.url);
          expect(url.protocol).toBe('https:');
          expect(url.href).toBe(result.url);
          expect(result.url).not.toMatch(/\s/);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('cleanText', () => {
  it('flattens line breaks and runs of spaces, and refuses control and text-direction characters', () => {
    expect(cleanText('  one\r\ntwo\tthree   four ')).toEqual({ ok: true, text: 'one two three four' });
    expect(cleanText('evil\u202etxt.exe')).toEqual({ ok: false });
    expect(cleanText('bell\u0007')).toEqual({ ok: false });
    expect(cleanText('c1\u0085')).toEqual({ ok: false });
  });
});

describe('validateCase', () => {
  it('accepts a case, fills the office a single-office state settles, and keeps the month as its first day', () => {
    const result = validateCase(reference, rawCase(), TODAY);
    expect(result).toEqual({
      ok: true,
      value: expect.objectContaining({
        month: '2025-03-01',
        state: 'WA',
        fieldOffice: 'SEA',
        summaryEs: null,
      }),
    });
  });

  it('leaves the office unknown in a state split between offices, and refuses an office that does not cover the state', () => {
    expect(validateCase(reference, rawCase({ state: 'tx' }), TODAY)).toMatchObject({
      ok: true,
      value: { state: 'TX', fieldOffice: null },
    });
    expect(validateCase(reference, rawCase({ state: 'TX', fieldOffice: 'SEA' }), TODAY)).toEqual({
      ok: false,
      problems: [{ field: 'field_office', key: 'cases.errors.field_office', params: { state: 'TX' } }],
    });
  });

  it('lists every problem at once, each with a key both catalogs translate', () => {
    const result = validateCase(
      reference,
      rawCase({
        month: '2031-01',
        state: 'ZZ',
        actionTypes: ['teleportation'],
        activismTypes: [''],
        targetRole: 'king',
        summaryEn: ' ',
        sources: [
          { url: 'http://example.org', title: '', publisher: '', published: '2025-02-30', kind: 'rumour' },
        ],
      }),
      TODAY,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.field)).toEqual([
      'month',
      'state',
      'action_types',
      'activism_types',
      'target_role',
      'summary_en',
      'source_url',
      'source_title',
      'source_published',
      'source_kind',
    ]);
    for (const problem of result.problems) {
      for (const lang of ['en', 'es'] as const) expect(translate(lang, problem.key)).not.toBe(problem.key);
    }
  });

  it('refuses a future month, a future source date, two sources with one link and more than twenty sources', () => {
    const source = rawCase().sources[0]!;
    const problems = (raw: RawCase) => {
      const result = validateCase(reference, raw, TODAY);
      return result.ok ? [] : result.problems.map((p) => p.key);
    };
    expect(problems(rawCase({ month: '2026-12' }))).toEqual(['cases.errors.month_future']);
    expect(problems(rawCase({ sources: [{ ...source, published: '2026-11-28' }] }))).toEqual([
      'cases.errors.source_published_future',
    ]);
    expect(
      problems(rawCase({ sources: [source, { ...source, url: 'HTTPS://EXAMPLE.ORG/news/1' }] })),
    ).toEqual(['cases.errors.source_repeated']);
    const many = Array.from({ length: 21 }, (_, i) => ({ ...source, url: `https://example.org/${i}` }));
    expect(problems(rawCase({ sources: many }))).toEqual(['cases.errors.sources_many']);
    expect(problems(rawCase({ sources: [] }))).toEqual(['cases.errors.sources_missing']);
  });
});
