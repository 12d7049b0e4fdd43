import { stringify } from 'csv-stringify/sync';
import { LANGS, translate, type Lang } from '../platform/i18n';
import { neutralize } from '../public/csv';
import { bilingual, type Labeler } from '../public/labels';
import { UNKNOWN_OFFICE_KEY, type CaseFilter, type PublicCase, type SourceKind } from './types';

// The public record as downloads: CSV (one line per source, the import file's shape plus ids, labels in
// both languages and the retraction) and JSON (one object per case). Both are built from the same list
// the pages show, in the same order, so a script and a reader see the same cases.

export const CASES_CSV_COLUMNS = [
  'case_id',
  'case_url',
  'status',
  'month',
  'state',
  'state_label_en',
  'state_label_es',
  'field_office',
  'field_office_label_en',
  'field_office_label_es',
  'action_types',
  'action_types_label_en',
  'action_types_label_es',
  'activism_types',
  'activism_types_label_en',
  'activism_types_label_es',
  'target_role',
  'target_role_label_en',
  'target_role_label_es',
  'summary_en',
  'summary_es',
  'retracted_on',
  'retraction_reason_en',
  'retraction_reason_es',
  'source_url',
  'source_title',
  'source_publisher',
  'source_published',
  'source_kind',
  'source_kind_label_en',
  'source_kind_label_es',
] as const;

const sourceKindLabels = (kind: SourceKind): Record<Lang, string> =>
  Object.fromEntries(LANGS.map((lang) => [lang, translate(lang, `cases.source_kinds.${kind}`)])) as Record<
    Lang,
    string
  >;

const codeLabels = (labeler: Labeler, kind: 'action_type' | 'activism_type', codes: string[]) =>
  codes.map((code) => ({ code, label: bilingual(labeler, kind, code) }));

/** Every case as CSV, one line per source: formula-safe, UTF-8 with a BOM, CRLF (RFC 4180, Excel-ready). */
export function casesCsv(cases: readonly PublicCase[], labeler: Labeler, origin: string): string {
  const rows = cases.flatMap((c) => {
    const state = bilingual(labeler, 'state', c.state);
    const office = c.fieldOffice ? bilingual(labeler, 'field_office', c.fieldOffice) : { en: '', es: '' };
    const actions = codeLabels(labeler, 'action_type', c.actionTypes);
    const activism = codeLabels(labeler, 'activism_type', c.activismTypes);
    const role = bilingual(labeler, 'target_role', c.targetRole);
    const caseColumns = [
      String(c.id),
      `${origin}/cases/${c.id}`,
      c.retraction ? 'retracted' : 'documented',
      c.month.slice(0, 7),
      c.state,
      state.en,
      state.es,
      c.fieldOffice ?? '',
      office.en,
      office.es,
      c.actionTypes.join(';'),
      actions.map((a) => a.label.en).join('; '),
      actions.map((a) => a.label.es).join('; '),
      c.activismTypes.join(';'),
      activism.map((a) => a.label.en).join('; '),
      activism.map((a) => a.label.es).join('; '),
      c.targetRole,
      role.en,
      role.es,
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
        kind.en,
        kind.es,
      ];
    });
  });
  // Desk-written text can start with "=", "+", "-" or "@": a spreadsheet must never run it as a formula.
  return stringify(
    [[...CASES_CSV_COLUMNS], ...rows].map((row) => row.map(neutralize)),
    { bom: true, record_delimiter: 'windows' },
  );
}

/** Every case as the API's JSON, with both languages' labels and each case's address. */
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
    state: { code: c.state, label: bilingual(labeler, 'state', c.state) },
    fieldOffice: {
      code: c.fieldOffice,
      label: bilingual(labeler, 'field_office', c.fieldOffice ?? UNKNOWN_OFFICE_KEY),
    },
    actionTypes: codeLabels(labeler, 'action_type', c.actionTypes),
    activismTypes: codeLabels(labeler, 'activism_type', c.activismTypes),
    targetRole: { code: c.targetRole, label: bilingual(labeler, 'target_role', c.targetRole) },
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
