import { LANGS, intlLocale, translate, type Lang } from '../platform/i18n';
import { codeLabel, officeName, stateName } from '../reference/names';
import type { Code, Reference } from '../reference/types';
import { UNKNOWN_OFFICE, isCodeKind, type Dimension } from '../releases/tables';

// Labels and order for every dimension key a release can hold, in every language, built once from the
// reference data. A key the reference does not know is shown as itself rather than failing the page.

export interface Labeler {
  /** The key's label in a language: a state's name, an office's name, a code's label, a readable period. */
  label(dimension: Dimension, key: string, lang: Lang): string;
  /** Sorts keys for display: places by name in the language, periods by time, codes in the codebook's order. */
  sort(dimension: Dimension, keys: Iterable<string>, lang: Lang): string[];
  /** The codes of one list, in the codebook's order. */
  codes(kind: Dimension): readonly Code[];
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

  return {
    label,
    sort,
    codes: (kind) => codeLists.get(kind) ?? [],
  };
}

/** Every language's label of a key, for downloads that carry them side by side (one column per catalog). */
export function allLanguages(labeler: Labeler, dimension: Dimension, key: string): Record<Lang, string> {
  return Object.fromEntries(LANGS.map((lang) => [lang, labeler.label(dimension, key, lang)]));
}
