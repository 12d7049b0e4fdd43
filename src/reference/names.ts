import { message, type Lang } from '../platform/i18n';
import type { Code, FieldOffice, State } from './types';

// Names and labels of reference data in a language. They live in the catalogs (locales/<lang>.json under
// reference.*), beside the interface strings, so adding a language is one file. A catalog without a name
// falls back to English, and English falls back to the database's own value, so a code added by a
// migration before its translation still shows a label rather than a key.
// Callers label through the labeler (labeler.ts), which is built on these: one labeler for every page.

/** A state's or territory's name in a language. */
export function stateName(state: State, lang: Lang): string {
  return message(lang, `reference.states.${state.usps}`) ?? state.nameEn;
}

/** A field office's name in a language (a proper name: most catalogs keep the English one). */
export function officeName(office: FieldOffice, lang: Lang): string {
  return message(lang, `reference.offices.${office.code}`) ?? office.name;
}

/** A code's short label in a language. */
export function codeLabel(code: Pick<Code, 'kind' | 'code' | 'labelEn'>, lang: Lang): string {
  return message(lang, `reference.codes.${code.kind}.${code.code}.label`) ?? code.labelEn;
}

/** A code's definition in a language. */
export function codeDefinition(code: Pick<Code, 'kind' | 'code' | 'definitionEn'>, lang: Lang): string {
  return message(lang, `reference.codes.${code.kind}.${code.code}.definition`) ?? code.definitionEn;
}
