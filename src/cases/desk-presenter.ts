import { translate, type Lang } from '../platform/i18n';
import type { Labeler } from '../reference/labeler';
import { LIMITS, SOURCE_KINDS, type Problem, type PublicCase } from './types';
import type { RawCase, RawSource } from './validate';

// The desk's case form, as the template needs it: the values as typed (so nothing is lost on a refusal),
// the reference lists as options, and each problem translated next to its field and in a summary above.

/** A case's stored fields as the form's strings, for the edit page. */
export function rawFromCase(c: PublicCase): RawCase {
  return {
    month: c.month.slice(0, 7),
    state: c.state,
    fieldOffice: c.fieldOffice ?? '',
    actionTypes: c.actionTypes,
    activismTypes: c.activismTypes,
    targetRole: c.targetRole,
    summaryEn: c.summaryEn,
    summaryEs: c.summaryEs ?? '',
    sources: c.sources.map((s) => ({
      url: s.url,
      title: s.title,
      publisher: s.publisher ?? '',
      published: s.publishedOn ?? '',
      kind: s.kind,
    })),
  };
}

export const EMPTY_CASE: RawCase = {
  month: '',
  state: '',
  fieldOffice: '',
  actionTypes: [],
  activismTypes: [],
  targetRole: '',
  summaryEn: '',
  summaryEs: '',
  sources: [],
};

const BLANK_SOURCE: RawSource = { url: '', title: '', publisher: '', published: '', kind: 'news' };

// Where each problem's field is on the page, for the summary's links.
function fieldId(problem: Problem): string {
  const source = problem.params?.source;
  if (source !== undefined) return `source-${Number(source) - 1}-${problem.field.replace('source_', '')}`;
  return `case-${problem.field.replaceAll('_', '-')}`;
}

/** The form's model: values, options and translated problems. */
export function caseFormModel(input: {
  labeler: Labeler;
  stateCodes: string[];
  officeCodes: string[];
  raw: RawCase;
  problems: Problem[];
  lang: Lang;
}) {
  const { labeler, raw, lang } = input;
  const message = (p: Problem) => translate(lang, p.key, p.params ?? {});
  const errorOf = (field: string, source?: number) =>
    input.problems
      .filter(
        (p) =>
          p.field === field &&
          (source === undefined ? p.params?.source === undefined : p.params?.source === source + 1),
      )
      .map(message)
      .join(' ') || undefined;
  const checkboxes = (kind: 'action_type' | 'activism_type', chosen: string[]) =>
    labeler.codes(kind).map((code) => ({
      value: code.code,
      label: labeler.label(kind, code.code, lang),
      checked: chosen.includes(code.code),
      id: `case-${kind}-${code.code}`,
    }));
  // The sources as typed, and one blank row for adding another (no script needed to grow the list).
  const sources = raw.sources.length < LIMITS.sourcesPerCase ? [...raw.sources, BLANK_SOURCE] : raw.sources;
  return {
    values: raw,
    errors: input.problems.map((p) => ({
      target: `#${fieldId(p)}`,
      text:
        p.params?.source !== undefined
          ? translate(lang, 'cases.desk.source_problem', { n: p.params.source, problem: message(p) })
          : message(p),
    })),
    fieldErrors: {
      month: errorOf('month'),
      state: errorOf('state'),
      fieldOffice: errorOf('field_office'),
      actionTypes: errorOf('action_types'),
      activismTypes: errorOf('activism_types'),
      targetRole: errorOf('target_role'),
      summaryEn: errorOf('summary_en'),
      summaryEs: errorOf('summary_es'),
      // Problems with the list as a whole (none given, too many).
      sources: errorOf('source_url'),
    },
    states: labeler.sort('state', input.stateCodes, lang).map((code) => ({
      value: code,
      label: labeler.label('state', code, lang),
      selected: code === raw.state.trim().toUpperCase(),
    })),
    offices: labeler.sort('field_office', input.officeCodes, lang).map((code) => ({
      value: code,
      label: labeler.label('field_office', code, lang),
      selected: code === raw.fieldOffice.trim().toUpperCase(),
    })),
    actions: checkboxes('action_type', raw.actionTypes),
    activism: checkboxes('activism_type', raw.activismTypes),
    roles: labeler.codes('target_role').map((code) => ({
      value: code.code,
      label: labeler.label('target_role', code.code, lang),
      selected: code.code === raw.targetRole,
    })),
    sources: sources.map((source, index) => ({
      index,
      number: index + 1,
      ...source,
      existing: index < raw.sources.length,
      kinds: SOURCE_KINDS.map((kind) => ({
        value: kind,
        label: translate(lang, `cases.source_kinds.${kind}`),
        selected: kind === source.kind,
      })),
      errors: {
        url: errorOf('source_url', index),
        title: errorOf('source_title', index),
        publisher: errorOf('source_publisher', index),
        published: errorOf('source_published', index),
        kind: errorOf('source_kind', index),
      },
    })),
  };
}
