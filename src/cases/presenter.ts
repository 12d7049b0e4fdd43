import { LANGS, intlLocale, longDate, translate, type Lang } from '../platform/i18n';
import { labelerFor, type Labeler } from '../reference/labeler';
import { officesForState } from '../reference/lookup';
import type { Reference } from '../reference/types';
import { UNKNOWN_OFFICE_KEY, type CaseFilter, type PublicCase } from './types';

// What the public record's pages show, in the page's language. Labels for states, offices and codes come
// from the one labeler (reference/labeler.ts: one set of labels everywhere); the desk's texts are shown
// as written, marked with their language when the page's is missing.

const monthFormats = new Map(
  LANGS.map((lang) => [
    lang,
    new Intl.DateTimeFormat(intlLocale(lang), { month: 'long', year: 'numeric', timeZone: 'UTC' }),
  ]),
);

/** "March 2025" · "marzo de 2025" from a first-of-month date. */
export function monthLabel(month: string, lang: Lang): string {
  const format = monthFormats.get(lang) ?? monthFormats.get('en');
  return format ? format.format(new Date(`${month}T00:00:00Z`)) : month.slice(0, 7);
}

/**
 * The Spanish text when there is one on a Spanish page, otherwise the English, with its language: the desk
 * writes in those two only, and a page in another language shows the English marked lang="en".
 */
function inLanguage(en: string, es: string | null, lang: Lang): { text: string; lang: Lang } {
  return lang === 'es' && es ? { text: es, lang: 'es' } : { text: en, lang: 'en' };
}

/** Builds the presenter once per app, with the labels of the reference data. */
export function createCasePresenter(reference: Reference) {
  const labeler: Labeler = labelerFor(reference);

  function officeLabel(c: PublicCase, lang: Lang): string | null {
    if (c.fieldOffice) return labeler.label('field_office', c.fieldOffice, lang);
    // Only a split state leaves the office open; say so rather than leave a gap.
    return officesForState(reference, c.state).length > 1
      ? labeler.label('field_office', UNKNOWN_OFFICE_KEY, lang)
      : null;
  }

  function caseView(c: PublicCase, lang: Lang) {
    const summary = inLanguage(c.summaryEn, c.summaryEs, lang);
    const reason = c.retraction ? inLanguage(c.retraction.reasonEn, c.retraction.reasonEs, lang) : null;
    return {
      id: c.id,
      href: `/cases/${c.id}`,
      month: monthLabel(c.month, lang),
      monthIso: c.month.slice(0, 7),
      state: labeler.label('state', c.state, lang),
      stateCode: c.state,
      office: officeLabel(c, lang),
      actions: c.actionTypes.map((code) => labeler.label('action_type', code, lang)),
      activism: c.activismTypes.map((code) => labeler.label('activism_type', code, lang)),
      role: labeler.label('target_role', c.targetRole, lang),
      summary: summary.text,
      // Only marked when it differs from the page's language, so screen readers switch voice.
      summaryLang: summary.lang === lang ? undefined : summary.lang,
      retracted: c.retraction
        ? {
            on: longDate(c.retraction.on, lang),
            onIso: c.retraction.on,
            reason: reason!.text,
            reasonLang: reason!.lang === lang ? undefined : reason!.lang,
          }
        : null,
      sources: c.sources.map((source) => ({
        url: source.url,
        title: source.title,
        publisher: source.publisher ?? new URL(source.url).hostname,
        published: source.publishedOn ? longDate(source.publishedOn, lang) : null,
        publishedIso: source.publishedOn,
        kind: translate(lang, `cases.source_kinds.${source.kind}`),
      })),
    };
  }

  /** The options of the list's filter form, with the current choice selected. */
  function filterForm(filter: CaseFilter, years: string[], lang: Lang) {
    const option = (value: string, label: string, current: string | undefined) => ({
      value,
      label,
      selected: value === current,
    });
    return {
      states: labeler
        .sort(
          'state',
          reference.states.map((s) => s.usps),
          lang,
        )
        .map((usps) => option(usps, labeler.label('state', usps, lang), filter.state)),
      offices: [
        ...labeler
          .sort(
            'field_office',
            reference.offices.map((o) => o.code),
            lang,
          )
          .map((code) => option(code, labeler.label('field_office', code, lang), filter.office)),
        option(UNKNOWN_OFFICE_KEY, labeler.label('field_office', UNKNOWN_OFFICE_KEY, lang), filter.office),
      ],
      actions: labeler
        .codes('action_type')
        .map((code) => option(code.code, labeler.label('action_type', code.code, lang), filter.action)),
      years: [...new Set([...years, ...(filter.year ? [filter.year] : [])])]
        .sort()
        .reverse()
        .map((year) => option(year, year, filter.year)),
    };
  }

  /** The filter in words, for the heading of a filtered list: "Texas · Arrest · 2024". */
  function filterSummary(filter: CaseFilter, lang: Lang): string {
    return [
      filter.state && labeler.label('state', filter.state, lang),
      filter.office && labeler.label('field_office', filter.office, lang),
      filter.action && labeler.label('action_type', filter.action, lang),
      filter.year,
    ]
      .filter(Boolean)
      .join(' · ');
  }

  return { labeler, caseView, filterForm, filterSummary };
}

export type CasePresenter = ReturnType<typeof createCasePresenter>;
export type CaseView = ReturnType<CasePresenter['caseView']>;
