import { toCsv } from '../platform/csv-safe';
import { LANGS, translate, type Lang } from '../platform/i18n';
import { allLanguages, type Labeler } from '../reference/labeler';
import { UNKNOWN_OFFICE_KEY, type CaseFilter, type PublicCase, type SourceKind } from './types';

// The public record as downloads: CSV (one line per source, the import file's shape plus ids, labels in
// every language and the retraction) and JSON (one object per case). Both are built from the same list
// the pages show, in the same order, so a script and a reader see the same cases.

// One label column per language served (state_label_en, state_label_es, state_label_pt, …): the columns
// follow the catalogs in locales/, so a new language adds its columns without a code change.
const labelled = (name: string): string[] => [name, ...LANGS.map((lang) => `${name}_label_${lang}`)];

export const CASES_CSV_COLUMNS: readonly string[] = [
  'case_id',
  'case_url',
  'status',
  'month',
  ...labelled('state'),
  ...labelled('field_office'),
  ...labelled('action_types'),
  ...labelled('activism_types'),
  ...labelled('target_role'),
  // The desk writes summaries and retraction reasons in English and Spanish only.
  'summary_en',
  'summary_es',
  'retracted_on',
  'retraction_reason_en',
  'retraction_reason_es',
  'source_url',
  'source_title',
  'source_publisher',
  'source_published',
  ...labelled('source_kind'),
];

const sourceKindLabels = (kind: SourceKind): Record<Lang, string> =>
  Object.fromEntries(LANGS.map((lang) => [lang, translate(lang, `cases.source_kinds.${kind}`)]));

const codeLabels = (labeler: Labeler, kind: 'action_type' | 'activism_type', codes: string[]) =>
  codes.map((code) => ({ code, label: allLanguages(labeler, kind, code) }));

/** Every case as CSV, one line per source: formula-safe, UTF-8 with a BOM, CRLF (RFC 4180, Excel-ready). */
export function casesCsv(cases: readonly PublicCase[], labeler: Labeler, origin: string): string {
  const rows = cases.flatMap((c) => {
    const state = allLanguages(labeler, 'state', c.state);
    const office = c.fieldOffice ? allLanguages(labeler, 'field_office', c.fieldOffice) : undefined;
    const each = (pick: (lang: Lang) => string): string[] => LANGS.map(pick);
    const actions = codeLabels(labeler, 'action_type', c.actionTypes);
    const activism = codeLabels(labeler, 'activism_type', c.activismTypes);
    const role = allLanguages(labeler, 'target_role', c.targetRole);
    const caseColumns = [
      String(c.id),
      `${origin}/cases/${c.id}`,
      c.retraction ? 'retracted' : 'documented',
      c.month.slice(0, 7),
      c.state,
      ...each((lang) => state[lang] ?? ''),
      c.fieldOffice ?? '',
      ...each((lang) => office?.[lang] ?? ''),
      c.actionTypes.join(';'),
      ...each((lang) => actions.map((a) => a.label[lang] ?? '').join('; ')),
      c.activismTypes.join(';'),
      ...each((lang) => activism.map((a) => a.label[lang] ?? '').join('; ')),
      c.targetRole,
      ...each((lang) => role[lang] ?? ''),
      c.summaryEn,
      c.summaryEs ?? '',
      c.retraction?.on ?? '',
      c.retraction?.reasonEn ?? '',
      c.retraction?.reasonEs ?? '',
    ];
    return c.sources.map((source) => {
      const kind = sourceKindLabels(source.kind);
      return [
        ...caseColumns,
        source.url,
        source.title,
        source.publisher ?? '',
        source.publishedOn ?? '',
        source.kind,
        ...each((lang) => kind[lang] ?? ''),
      ];
    });
  });
  // Desk-written text can start with "=", "+", "-" or "@": a spreadsheet must never run it as a formula.
  return toCsv([[...CASES_CSV_COLUMNS], ...rows]);
}

/** Every case as the API's JSON, with every language's labels and each case's address. */
export function casesJson(
  cases: readonly PublicCase[],
  labeler: Labeler,
  origin: string,
  filter: CaseFilter,
) {
  return {
    about:
      'Already-public cases with their sources (the public record). They are not counted in the data releases, and the releases do not count them.',
    filter,
    count: cases.length,
    cases: cases.map((c) => caseJson(c, labeler, origin)),
  };
}

/** One case as the API describes it. */
export function caseJson(c: PublicCase, labeler: Labeler, origin: string) {
  return {
    id: c.id,
    url: `${origin}/cases/${c.id}`,
    status: c.retraction ? 'retracted' : 'documented',
    month: c.month.slice(0, 7),
    state: { code: c.state, label: allLanguages(labeler, 'state', c.state) },
    fieldOffice: {
      code: c.fieldOffice,
      label: allLanguages(labeler, 'field_office', c.fieldOffice ?? UNKNOWN_OFFICE_KEY),
    },
    actionTypes: codeLabels(labeler, 'action_type', c.actionTypes),
    activismTypes: codeLabels(labeler, 'activism_type', c.activismTypes),
    targetRole: { code: c.targetRole, label: allLanguages(labeler, 'target_role', c.targetRole) },
    summary: { en: c.summaryEn, es: c.summaryEs },
    retraction: c.retraction
      ? { on: c.retraction.on, reason: { en: c.retraction.reasonEn, es: c.retraction.reasonEs } }
      : null,
    sources: c.sources.map((source) => ({
      url: source.url,
      title: source.title,
      publisher: source.publisher,
      published: source.publishedOn,
      kind: { code: source.kind, label: sourceKindLabels(source.kind) },
    })),
  };
}
