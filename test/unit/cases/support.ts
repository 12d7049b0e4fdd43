import type { RawCase } from '../../../src/cases/validate';
import type { Reference } from '../../../src/reference/types';
import { loadTestReference } from '../../support/reference-csv';

/** The repository's reference data with the office areas filled in, as the migrations load them. */
export function caseReference(): Reference {
  const reference = loadTestReference();
  const split = new Set(reference.splitCounties.map((county) => county.state));
  return {
    ...reference,
    areas: reference.offices.flatMap((office) =>
      office.states.map((state) => ({ office: office.code, state, wholeState: !split.has(state) })),
    ),
  };
}

/** A case as the desk's form or a CSV line gives it, valid unless overridden. */
export function rawCase(overrides: Partial<RawCase> = {}): RawCase {
  return {
    month: '2025-03',
    state: 'WA',
    fieldOffice: '',
    actionTypes: ['surveillance'],
    activismTypes: ['protest'],
    targetRole: 'organizer',
    summaryEn: 'Synthetic example: followed after a vigil.',
    summaryEs: '',
    sources: [
      {
        url: 'https://example.org/news/1',
        title: 'Example Daily: a story',
        publisher: '',
        published: '2025-04-01',
        kind: 'news',
      },
    ],
    ...overrides,
  };
}

export const HEADER =
  'month,state,field_office,action_types,activism_types,target_role,summary_en,summary_es,source_url,source_title,source_published,source_kind';

/** One import line (the columns of HEADER), valid unless overridden; values are quoted for CSV. */
export function importLine(overrides: Record<string, string> = {}): string {
  const values: Record<string, string> = {
    month: '2025-03',
    state: 'WA',
    field_office: 'SEA',
    action_types: 'surveillance;home_or_workplace_visit',
    activism_types: 'protest',
    target_role: 'organizer',
    summary_en: 'Synthetic example: followed after a vigil, then visited at work.',
    summary_es: 'Ejemplo sintético: seguida después de una vigilia.',
    source_url: 'https://example.org/news/1',
    source_title: 'Example Daily: Organizer followed',
    source_published: '2025-04-01',
    source_kind: 'news',
    ...overrides,
  };
  return HEADER.split(',')
    .map((column) => `"${(values[column] ?? '').replaceAll('"', '""')}"`)
    .join(',');
}

/** A whole import file: the header and the given lines, CRLF as spreadsheets write it. */
export function importFile(lines: string[], header = HEADER): Buffer {
  return Buffer.from([header, ...lines].join('\r\n') + '\r\n', 'utf8');
}

/** Three cases in four lines: the first has two sources. */
export function threeCaseFile(): Buffer {
  return importFile([
    importLine(),
    importLine({ source_url: 'https://example.org/reports/review#page=14', source_kind: 'published_report' }),
    importLine({
      month: '2024-11',
      state: 'TX',
      field_office: '',
      action_types: 'arrest',
      summary_en: 'Synthetic example: arrested at a check-in.',
      summary_es: '',
      source_url: 'https://example.com/court/1',
      source_kind: 'court_record',
    }),
    importLine({
      month: '2023-09',
      state: 'NC',
      field_office: '',
      summary_en: 'Synthetic example: check-ins moved to weekly.',
      source_url: 'https://example.org/foia/1',
      source_kind: 'foia',
    }),
  ]);
}
