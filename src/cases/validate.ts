import { codesOf, officesForState } from '../reference/lookup';
import type { CodeKind, Reference } from '../reference/types';
import {
  LIMITS,
  SOURCE_KINDS,
  type CaseFields,
  type CaseSource,
  type Problem,
  type SourceKind,
} from './types';
import { isRealDay } from '../platform/dates';

// One set of rules for a public case, whoever writes it: the desk's form and the importer's CSV lines both
// arrive as strings and leave as typed fields or as a list of problems (translation keys), never a throw.

/** A case as it arrives from a form or a CSV line: strings only, not yet trusted. */
export interface RawCase {
  month: string;
  state: string;
  fieldOffice: string;
  actionTypes: string[];
  activismTypes: string[];
  targetRole: string;
  summaryEn: string;
  summaryEs: string;
  sources: RawSource[];
}

export interface RawSource {
  url: string;
  title: string;
  publisher: string;
  published: string;
  kind: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const EARLIEST_YEAR = 1980;
// C0 and C1 controls, and the bidirectional overrides and isolates that can make text read differently
// from what it holds (a link title that displays as another site's name).
const FORBIDDEN_CHARACTERS =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * A source link: a well-formed https URL with a host name, no credentials, checked with the URL parser
 * and returned as the parser writes it (so that re-imports compare like with like). It is only ever
 * printed as a link: nothing here or anywhere else fetches it.
 */
export function checkSourceUrl(raw: string): { ok: true; url: string } | { ok: false; key: string } {
  const text = raw.trim();
  if (text === '') return { ok: false, key: 'cases.errors.source_url_missing' };
  // The parser quietly drops tabs and newlines inside a URL; a link that needed them is not well formed.
  if (
    text.length > LIMITS.url ||
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    /[\s\u0000-\u001f\u007f-\u009f]/.test(text) ||
    FORBIDDEN_CHARACTERS.test(text)
  )
    return { ok: false, key: 'cases.errors.source_url' };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, key: 'cases.errors.source_url' };
  }
  if (url.protocol !== 'https:') return { ok: false, key: 'cases.errors.source_url_https' };
  const host = url.hostname;
  if (url.username || url.password || !host.includes('.') || host.startsWith('[') || IPV4.test(host))
    return { ok: false, key: 'cases.errors.source_url' };
  if (url.href.length > LIMITS.url) return { ok: false, key: 'cases.errors.source_url' };
  return { ok: true, url: url.href };
}

/** Trims and normalizes one line of desk-written text; refuses control and bidirectional characters. */
export function cleanText(raw: string): { ok: true; text: string } | { ok: false } {
  const flattened = raw.normalize('NFC').replace(/\r\n|\r|\n|\t/g, ' ');
  if (FORBIDDEN_CHARACTERS.test(flattened)) return { ok: false };
  return { ok: true, text: flattened.replace(/ {2,}/g, ' ').trim() };
}

function codeList(raw: string[]): string[] {
  return [...new Set(raw.map((code) => code.trim().toLowerCase()).filter((code) => code !== ''))];
}

/** Checks a whole case against the reference data; `today` bounds the month and the sources' dates. */
export function validateCase(reference: Reference, raw: RawCase, today: string): Checked<CaseFields> {
  const problems: Problem[] = [];
  const refuse = (field: string, key: string, params?: Problem['params']) =>
    problems.push(params ? { field, key, params } : { field, key });

  const monthMatch = MONTH.exec(raw.month.trim());
  const month = monthMatch ? `${monthMatch[1]}-${monthMatch[2]}-01` : '';
  if (!monthMatch || Number(monthMatch[1]) < EARLIEST_YEAR) refuse('month', 'cases.errors.month');
  else if (month > today) refuse('month', 'cases.errors.month_future');

  const state = raw.state.trim().toUpperCase();
  const knownState = reference.states.some((candidate) => candidate.usps === state);
  if (!knownState) refuse('state', 'cases.errors.state');
  const offices = knownState ? officesForState(reference, state) : [];
  const officeText = raw.fieldOffice.trim().toUpperCase();
  // A state that only one office covers settles the office; a split state may leave it unknown.
  let fieldOffice: string | null = officeText === '' ? null : officeText;
  if (fieldOffice === null && offices.length === 1) fieldOffice = offices[0] ?? null;
  if (knownState && fieldOffice !== null && !offices.includes(fieldOffice))
    refuse('field_office', 'cases.errors.field_office', { state });

  const has = (kind: CodeKind, code: string) => codesOf(reference, kind).some((c) => c.code === code);
  const codes = (field: string, kind: 'action_type' | 'activism_type', list: string[]): string[] => {
    const cleaned = codeList(list);
    const unknown = cleaned.filter((code) => !has(kind, code));
    if (cleaned.length === 0) refuse(field, `cases.errors.${field}_missing`);
    else if (cleaned.length > LIMITS.codesPerKind) refuse(field, 'cases.errors.too_many_codes');
    else if (unknown.length > 0) refuse(field, 'cases.errors.unknown_code', { code: unknown.join(', ') });
    return cleaned;
  };
  const actionTypes = codes('action_types', 'action_type', raw.actionTypes);
  const activismTypes = codes('activism_types', 'activism_type', raw.activismTypes);
  const targetRole = raw.targetRole.trim().toLowerCase();
  if (!has('target_role', targetRole)) refuse('target_role', 'cases.errors.target_role');

  const summaryEn = desked(problems, 'summary_en', raw.summaryEn, LIMITS.summary, true) ?? '';
  const summaryEs = desked(problems, 'summary_es', raw.summaryEs, LIMITS.summary, false);

  const sources: CaseSource[] = [];
  if (raw.sources.length === 0) refuse('source_url', 'cases.errors.sources_missing');
  if (raw.sources.length > LIMITS.sourcesPerCase)
    refuse('source_url', 'cases.errors.sources_many', { max: LIMITS.sourcesPerCase });
  raw.sources.slice(0, LIMITS.sourcesPerCase).forEach((source, index) => {
    const before = problems.length;
    const at = (field: string, key: string, params: Problem['params'] = {}) =>
      refuse(field, key, { ...params, source: index + 1 });
    const url = checkSourceUrl(source.url);
    if (!url.ok) at('source_url', url.key);
    else if (sources.some((other) => other.url === url.url)) at('source_url', 'cases.errors.source_repeated');
    const title = cleanText(source.title);
    if (!title.ok) at('source_title', 'cases.errors.text_characters');
    else if (title.text === '') at('source_title', 'cases.errors.source_title_missing');
    else if (title.text.length > LIMITS.title)
      at('source_title', 'cases.errors.too_long', { max: LIMITS.title });
    const publisher = cleanText(source.publisher);
    if (!publisher.ok) at('source_publisher', 'cases.errors.text_characters');
    else if (publisher.text.length > LIMITS.publisher)
      at('source_publisher', 'cases.errors.too_long', { max: LIMITS.publisher });
    const published = source.published.trim();
    if (published !== '' && !isRealDay(published)) at('source_published', 'cases.errors.source_published');
    else if (published > today) at('source_published', 'cases.errors.source_published_future');
    const kind = source.kind.trim().toLowerCase();
    if (!(SOURCE_KINDS as readonly string[]).includes(kind)) at('source_kind', 'cases.errors.source_kind');
    if (problems.length === before && url.ok && title.ok && publisher.ok) {
      sources.push({
        url: url.url,
        title: title.text,
        publisher: publisher.text === '' ? null : publisher.text,
        publishedOn: published === '' ? null : published,
        kind: kind as SourceKind,
      });
    }
  });

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    value: {
      month,
      state,
      fieldOffice,
      actionTypes,
      activismTypes,
      targetRole,
      summaryEn,
      summaryEs,
      sources,
    },
  };
}

/** Checks a retraction's reasons (English required, Spanish optional). */
export function validateRetraction(
  reasonEn: string,
  reasonEs: string,
): Checked<{ reasonEn: string; reasonEs: string | null }> {
  const problems: Problem[] = [];
  const en = desked(problems, 'reason_en', reasonEn, LIMITS.reason, true);
  const es = desked(problems, 'reason_es', reasonEs, LIMITS.reason, false);
  if (problems.length > 0 || en === null) return { ok: false, problems };
  return { ok: true, value: { reasonEn: en, reasonEs: es } };
}

// One piece of desk-written text (a summary, a reason): cleaned, required or not, within its length.
function desked(
  problems: Problem[],
  field: string,
  value: string,
  max: number,
  required: boolean,
): string | null {
  const cleaned = cleanText(value);
  if (!cleaned.ok) {
    problems.push({ field, key: 'cases.errors.text_characters' });
    return null;
  }
  if (cleaned.text === '') {
    if (required) problems.push({ field, key: 'cases.errors.text_missing' });
    return null;
  }
  if (cleaned.text.length > max) {
    problems.push({ field, key: 'cases.errors.too_long', params: { max } });
    return null;
  }
  return cleaned.text;
}
