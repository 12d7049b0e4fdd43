import { LANGS, intlLocale, translate, type Lang } from '../platform/i18n';
import { UNKNOWN_OFFICE, isCodeKind, type Dimension } from './dimensions';
import { codeDefinition, codeLabel, officeName, stateName } from './names';
import type { Code, CodeKind, Reference } from './types';

// The one labeler of the app: labels and order for every dimension key (a state, a field office, a
// period, a code), in every language, built once from the reference data. The public site, the public
// record and the moderators' desk all label through it, so a place or a code reads the same everywhere.
// A key the reference does not know is shown as itself rather than failing the page.

export interface Labeler {
  /** The key's label in a language: a state's name, an office's name, a code's label, a readable period. */
  label(dimension: Dimension, key: string, lang: Lang): string;
  /** Sorts keys for display: places by name in the language, periods by time, codes in the codebook's order. */
  sort(dimension: Dimension, keys: Iterable<string>, lang: Lang): string[];
  /** The codes of one list, in the codebook's order. */
  codes(kind: Dimension): readonly Code[];
  /** A code's definition in a language (the codebook's and the form's hint); empty for an unknown code. */
  definition(kind: CodeKind, code: string, lang: Lang): string;
  /**
   * An office's name as the reference data records it, untranslated, or the code when unknown: the desk
   * shows offices by the name the agency uses, beside their code, whatever the page's language.
   */
  recordedOfficeName(code: string): string;
}

const collators = new Map(LANGS.map((lang) => [lang, new Intl.Collator(intlLocale(lang))]));

const EARLIER = /^before-(\d{4})$/;
const QUARTER = /^(\d{4})-Q([1-4])$/;

function collator(lang: Lang): Intl.Collator {
  return collators.get(lang) ?? new Intl.Collator(intlLocale(lang));
}

/** Builds the labeler from the reference data loaded at start-up. */
export function createLabeler(reference: Reference): Labeler {
  const states = new Map(reference.states.map((s) => [s.usps, s]));
  const offices = new Map(reference.offices.map((o) => [o.code, o]));
  const codes = new Map(reference.codes.map((c) => [`${c.kind}|${c.code}`, c]));
  const codeLists = new Map<string, Code[]>();
  for (const code of [...reference.codes].sort((a, b) => a.position - b.position)) {
    const list = codeLists.get(code.kind) ?? [];
    list.push(code);
    codeLists.set(code.kind, list);
  }

  function periodLabel(key: string, lang: Lang): string {
    const earlier = EARLIER.exec(key);
    if (earlier) return translate(lang, 'public.labels.before', { year: earlier[1] });
    const quarter = QUARTER.exec(key);
    if (quarter) return translate(lang, 'public.labels.quarter', { year: quarter[1], q: quarter[2] });
    return key;
  }

  function label(dimension: Dimension, key: string, lang: Lang): string {
    switch (dimension) {
      case 'state': {
        const state = states.get(key);
        return state ? stateName(state, lang) : key;
      }
      case 'field_office': {
        if (key === UNKNOWN_OFFICE) return translate(lang, 'public.labels.unknown_office');
        const office = offices.get(key);
        return office ? officeName(office, lang) : key;
      }
      case 'year':
      case 'quarter':
        return periodLabel(key, lang);
      case 'action_type':
      case 'activism_type':
      case 'evidence_type':
      case 'target_role': {
        const code = codes.get(`${dimension}|${key}`);
        return code ? codeLabel(code, lang) : key;
      }
    }
  }

  function sort(dimension: Dimension, keys: Iterable<string>, lang: Lang): string[] {
    const list = [...new Set(keys)];
    if (dimension === 'year' || dimension === 'quarter') {
      // Earlier-than buckets first, then by time; 'YYYY' and 'YYYY-Qn' sort by time as text.
      const rank = (k: string): string => (/^\d{4}/.test(k) ? `1${k}` : `0${k}`);
      return list.sort((a, b) => (rank(a) < rank(b) ? -1 : rank(a) > rank(b) ? 1 : 0));
    }
    if (isCodeKind(dimension)) {
      const position = (k: string): number => codes.get(`${dimension}|${k}`)?.position ?? Infinity;
      return list.sort((a, b) => position(a) - position(b) || (a < b ? -1 : 1));
    }
    // Places by name in the page's language; the unknown office last, where a reader looks for leftovers.
    const last = (k: string): number => (dimension === 'field_office' && k === UNKNOWN_OFFICE ? 1 : 0);
    return list.sort(
      (a, b) =>
        last(a) - last(b) || collator(lang).compare(label(dimension, a, lang), label(dimension, b, lang)),
    );
  }

  function definition(kind: CodeKind, key: string, lang: Lang): string {
    const code = codes.get(`${kind}|${key}`);
    return code ? codeDefinition(code, lang) : '';
  }

  return {
    label,
    sort,
    codes: (kind) => codeLists.get(kind) ?? [],
    definition,
    recordedOfficeName: (code) => offices.get(code)?.name ?? code,
  };
}

// The reference is loaded once at start-up, so one labeler per reference object is one for the app.
const built = new WeakMap<Reference, Labeler>();

/** The labeler of a reference, built on first use and shared by every caller holding the same reference. */
export function labelerFor(reference: Reference): Labeler {
  let labeler = built.get(reference);
  if (!labeler) {
    labeler = createLabeler(reference);
    built.set(reference, labeler);
  }
  return labeler;
}

/** Every language's label of a key, for downloads that carry them side by side (one column per catalog). */
export function allLanguages(labeler: Labeler, dimension: Dimension, key: string): Record<Lang, string> {
  return Object.fromEntries(LANGS.map((lang) => [lang, labeler.label(dimension, key, lang)]));
}
