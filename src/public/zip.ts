import { strToU8, zipSync, type Zippable } from 'fflate';
import { LANGS, translate, type Lang } from '../platform/i18n';
import { TABLES } from '../releases/tables';
import type { ReleaseData } from './catalog';
import { codebookCsv, csvColumns, downloadName, tableCsv } from './csv';
import type { Labeler } from '../reference/labeler';

// One file with everything a researcher needs to cite a release offline: every table as CSV, the
// codebook, the Frictionless data package descriptor, and a README in every language. Entries are dated
// to the publication date, not today, so the same release always zips to the same bytes (and the same
// ETag holds across servers).

/** The README of a release's ZIP, English first, then every other language served. */
export function readme(data: ReleaseData): string {
  const { record } = data;
  const section = (lang: Lang): string => {
    // Release notes are written in English and Spanish only; other languages' sections carry the English.
    const notes = lang === 'es' ? record.notesEs : record.notesEn;
    return [
      translate(lang, 'public.readme.title', { label: record.label }),
      '',
      translate(lang, 'public.readme.dates', { published: record.publishedOn, cutoff: record.cutoff }),
      translate(lang, 'public.readme.threshold', { k: record.threshold, k_minus_one: record.threshold - 1 }),
      translate(lang, 'public.readme.citation', { label: record.label, date: record.publishedOn }),
      '',
      translate(lang, 'public.readme.columns'),
      '',
      ...TABLES.map(
        (t) =>
          `  ${t.name}.csv: ${translate(lang, `public.tables.${t.name}.title`)} (${csvColumns(t.name).join(', ')})`,
      ),
      `  codebook.csv: ${translate(lang, 'public.readme.codebook')}`,
      `  datapackage.json: ${translate(lang, 'public.reuse.readme_datapackage')}`,
      ...(notes ? ['', notes] : []),
    ].join('\r\n');
  };
  return `${LANGS.map(section).join('\r\n\r\n----\r\n\r\n')}\r\n`;
}

/** The ZIP of a release: every table, the codebook, the data package descriptor and the README. */
export function releaseZip(data: ReleaseData, labeler: Labeler, dataPackageJson: string): Uint8Array {
  const mtime = new Date(`${data.record.publishedOn}T12:00:00Z`);
  const folder = downloadName(data.record.label, '').replace(/-$/, '');
  const files: Zippable = {};
  for (const t of TABLES) {
    files[`${folder}/${t.name}.csv`] = [
      strToU8(tableCsv(t.name, data.tables.get(t.name) ?? [], labeler)),
      { mtime },
    ];
  }
  files[`${folder}/codebook.csv`] = [strToU8(codebookCsv(labeler)), { mtime }];
  files[`${folder}/datapackage.json`] = [strToU8(dataPackageJson), { mtime }];
  files[`${folder}/README.txt`] = [strToU8(readme(data)), { mtime }];
  return zipSync(files, { level: 6 });
}
