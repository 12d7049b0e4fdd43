import fc from 'fast-check';
import { parseCaseFile, type ParsedFile } from '../../../src/cases/csv-file';
import { translate } from '../../../src/platform/i18n';
import { caseReference, HEADER, importFile, importLine, threeCaseFile } from './support';

// The importer's parser on good files, bad files and hostile ones: it reads the whole file, lists every
// bad line by number, and never throws whatever bytes it is given.

const reference = caseReference();
const TODAY = '2026-11-27';
const parse = (bytes: Uint8Array): ParsedFile => parseCaseFile(bytes, reference, TODAY);
const problemsOf = (result: ParsedFile) =>
  result.ok ? [] : result.problems.map((p) => [p.line, p.field, p.key]);

describe('parseCaseFile on a good file', () => {
  it('reads three cases from four lines, the lines of one case becoming its sources', () => {
    const result = parse(threeCaseFile());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.lines).toBe(4);
    expect(result.cases.map((c) => c.lines)).toEqual([[2, 3], [4], [5]]);
    expect(result.cases[0]!.fields.sources.map((s) => s.url)).toEqual([
      'https://example.org/news/1',
      'https://example.org/reports/review#page=14',
    ]);
    expect(result.cases[1]!.fields).toMatchObject({ state: 'TX', fieldOffice: null, summaryEs: null });
    expect(result.cases[2]!.fields).toMatchObject({ state: 'NC', fieldOffice: 'ATL', month: '2023-09-01' });
  });

  it('takes a BOM, LF endings, columns in any order, the optional publisher, and codes with spaces', () => {
    const columns = HEADER.split(',').reverse();
    const header = [...columns, 'source_publisher'].join(',');
    const values: Record<string, string> = {
      month: '2025-01',
      state: 'il',
      field_office: 'chi',
      action_types: ' social_media_monitoring ; arrest ;',
      activism_types: 'online_advocacy',
      target_role: 'journalist',
      summary_en: 'Synthetic example.',
      summary_es: '',
      source_url: 'https://example.com/a',
      source_title: 'A title, with a comma',
      source_published: '',
      source_kind: 'news',
      source_publisher: 'Example Times',
    };
    const line = [...columns, 'source_publisher'].map((c) => JSON.stringify(values[c])).join(',');
    const result = parse(Buffer.from(`\ufeff${header}\n${line}\n`, 'utf8'));
    expect(result).toMatchObject({
      ok: true,
      cases: [
        {
          fields: {
            state: 'IL',
            fieldOffice: 'CHI',
            actionTypes: ['social_media_monitoring', 'arrest'],
            sources: [{ title: 'A title, with a comma', publisher: 'Example Times', publishedOn: null }],
          },
        },
      ],
    });
  });
});

describe('parseCaseFile on a bad file', () => {
  it('refuses with every bad line, its number, the column and the reason', () => {
    const result = parse(
      importFile([
        importLine(),
        importLine({ month: '03/2025', source_url: 'https://example.org/2' }),
        importLine({ source_url: 'http://example.org/3' }),
        importLine({
          state: 'TX',
          field_office: 'SEA',
          action_types: 'arrest;flying',
          source_url: 'https://example.org/4',
        }),
      ]),
    );
    expect(problemsOf(result)).toEqual([
      [3, 'month', 'cases.errors.month'],
      [4, 'source_url', 'cases.errors.source_url_https'],
      [5, 'field_office', 'cases.errors.field_office'],
      [5, 'action_types', 'cases.errors.unknown_code'],
    ]);
  });

  it('counts lines from the top of the file, quoted line breaks and blank lines included', () => {
    const multiline = importLine({ summary_en: 'Synthetic example:\nspans\nthree lines.' });
    const result = parse(
      importFile([multiline, '', importLine({ month: 'never', source_url: 'https://example.org/9' })]),
    );
    expect(problemsOf(result)).toEqual([[6, 'month', 'cases.errors.month']]);
  });

  it('reports a stray quote and a short line at their own lines, and still checks the lines after them', () => {
    const result = parse(
      importFile([
        importLine(),
        '2025-03,WA,SEA,surv"eillance,protest,organizer,a,b,https://example.org/q,t,2025-01-01,news',
        'not,enough,fields',
        importLine({ month: 'x', source_url: 'https://example.org/z' }),
      ]),
    );
    expect(problemsOf(result)).toEqual([
      [3, 'file', 'cases.import.broken_line'],
      [4, 'file', 'cases.import.field_count'],
      [5, 'month', 'cases.errors.month'],
    ]);
  });

  it('reports a quote that is never closed at the line it opens on', () => {
    const result = parse(importFile([importLine(), '2025-03,WA,SEA,"surveillance,protest', importLine()]));
    expect(problemsOf(result)).toEqual([[3, 'file', 'cases.import.broken_line']]);
  });

  it('refuses two lines that cite one source for one month and state', () => {
    const result = parse(
      importFile([
        importLine(),
        importLine(),
        importLine({ summary_en: 'Synthetic example: another telling.' }),
      ]),
    );
    expect(problemsOf(result)).toEqual([
      [3, 'source_url', 'cases.import.repeated_line'],
      [4, 'source_url', 'cases.import.source_conflict'],
    ]);
  });

  it.each([
    ['a header without some columns', 'month,state\n2025-03,WA\n', 'cases.import.missing_columns'],
    ['an unknown column', `${HEADER},notes\n`, 'cases.import.unknown_columns'],
    ['semicolons between columns', `${HEADER.replaceAll(',', ';')}\n`, 'cases.import.semicolons'],
    ['no lines after the header', `${HEADER}\n`, 'cases.import.no_rows'],
    ['nothing at all', '', 'cases.import.empty'],
  ])('refuses %s', (_name, text, key) => {
    expect(problemsOf(parse(Buffer.from(text, 'utf8'))).map(([, , k]) => k)).toContain(key);
  });

  it('refuses a file that is not UTF-8, and one over 5 MB without reading it', () => {
    expect(problemsOf(parse(Buffer.from([0x6d, 0x6f, 0x6e, 0xe9, 0x0a])))).toEqual([
      [null, 'file', 'cases.import.not_utf8'],
    ]);
    expect(problemsOf(parse(new Uint8Array(5 * 1024 * 1024 + 1)))).toEqual([
      [null, 'file', 'cases.import.too_large'],
    ]);
  });
});

describe('parseCaseFile on hostile files', () => {
  const hostileCell = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.constantFrom(
      '"',
      '""',
      '"a"b"',
      '\r',
      '\n',
      '\u0000',
      '\u202e',
      '=HYPERLINK("https://evil")',
      ';;;',
      ',',
      '\ufeff',
    ),
  );

  // Random bytes, and text made of CSV's own punctuation under a valid header (quotes, commas, line breaks).
  const csvLikeBytes = fc.oneof(
    fc.uint8Array({ maxLength: 400 }),
    fc
      .string({
        unit: fc.constantFrom(',', '"', '\n', '\r', ';', 'a', 'W', '2', '-', ' ', '\ufeff', 'é'),
        maxLength: 300,
      })
      .map((text) => Buffer.from(`${HEADER}\n${text}`, 'utf8')),
  );

  it('never throws on random bytes, and every refusal names a translated reason and a real line', () => {
    // Counted so that the checks on refusals are known to have run, not skipped by `ok` on every input.
    let refusals = 0;
    fc.assert(
      fc.property(csvLikeBytes, (bytes) => {
        const result = parse(bytes);
        if (result.ok) return;
        refusals += result.problems.length;
        const lineCount = Buffer.from(bytes)
          .toString('utf8')
          .split(/\r\n|\r|\n/).length;
        for (const problem of result.problems) {
          expect(translate('en', problem.key)).not.toBe(problem.key);
          if (problem.line !== null) expect(problem.line).toBeLessThanOrEqual(lineCount + 1);
        }
      }),
      { numRuns: 300 },
    );
    expect(refusals).toBeGreaterThan(0);
  });

  it('refuses a valid file with one cell made hostile by naming that line, or accepts it whole', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3 }),
        fc.constantFrom(...HEADER.split(',')),
        hostileCell,
        (index, column, value) => {
          const lines = threeCaseFile().toString('utf8').trimEnd().split('\r\n').slice(1);
          lines[index] = importLine({
            [column]: value,
            source_url: `https://example.net/${index}`,
            ...(column === 'source_url' ? { source_url: value } : {}),
          });
          const result = parse(importFile(lines));
          if (result.ok) {
            // Four lines, in order from line 2 (a line break inside a quoted cell moves the later ones down).
            const lines = result.cases.flatMap((c) => c.lines).sort((a, b) => a - b);
            expect(lines).toHaveLength(4);
            expect(lines[0]).toBe(2);
            return;
          }
          for (const problem of result.problems) expect(translate('es', problem.key)).not.toBe(problem.key);
          expect(result.problems.some((p) => p.line === index + 2 || p.line === null)).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });
});
