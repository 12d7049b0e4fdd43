import { LANGS, translate, type Lang } from '../platform/i18n';
import { CODE_KINDS } from '../reference/types';
import { TABLES } from '../releases/tables';
import { csvColumns } from './csv';
import type { Labeler } from '../reference/labeler';
import { dimensionName } from './tables-view';

// The codebook: every code of the four lists with its label and definition in the page's language, the
// fixed tables of every release, and what each column of a download holds.

/** The codebook page in one language. */
export function codebookModel(labeler: Labeler, lang: Lang) {
  return {
    kinds: CODE_KINDS.map((kind) => ({
      kind,
      id: `codes-${kind.replaceAll('_', '-')}`,
      title: translate(lang, `public.kinds.${kind}.title`),
      intro: translate(lang, `public.kinds.${kind}.intro`),
      codes: labeler.codes(kind).map((c) => ({
        code: c.code,
        label: labeler.label(kind, c.code, lang),
        definition: labeler.definition(kind, c.code, lang),
      })),
    })),
    // One label column per language served: …_label_en, …_label_es, …
    labelColumns: LANGS.map((language) => `…_label_${language}`),
    tables: TABLES.map((t) => ({
      name: t.name,
      title: translate(lang, `public.tables.${t.name}.title`),
      dimensions: t.dimensions.map((d) => dimensionName(d, lang)).join(' × '),
      columns: csvColumns(t.name).join(', '),
    })),
  };
}
