import Handlebars from 'handlebars';
import { DEFAULT_LANG, LANGS, localizedPath } from '../platform/i18n';
import { TABLES } from '../releases/tables';
import type { ReleaseRecord } from '../releases/read';
import { LICENCE } from './datapackage';
import { citation } from './release-view';

// schema.org Dataset metadata for each release page, the form dataset search engines read. It sits in a
// <script type="application/ld+json"> data block: browsers never execute a data block, so the CSP's
// script-src (no inline script) neither applies to it nor needs loosening; a browser test checks that
// no violation is reported.

/** The release as a schema.org Dataset, as an object. */
export function datasetJsonLd(record: ReleaseRecord, origin: string) {
  const page = `${origin}/data/releases/${record.label}`;
  const organization = { '@type': 'Organization', name: 'Represalia', url: origin };
  const download = (name: string, encodingFormat: string, contentUrl: string) => ({
    '@type': 'DataDownload',
    name,
    encodingFormat,
    contentUrl,
  });
  return {
    '@context': 'https://schema.org',
    '@type': 'Dataset',
    '@id': page,
    name: `Represalia: retaliation by U.S. immigration enforcement against activists, release ${record.label}`,
    description: `Counts of approved, anonymously sent reports of retaliation by U.S. immigration enforcement against people who defend immigrants' rights, by state or territory, ICE field office, year, quarter, action type, activism type, target and evidence, counting reports approved by ${record.cutoff}. Only disclosure-controlled aggregates are published: a count below ${record.threshold}, and any count that could reveal one, is withheld.`,
    url: page,
    sameAs: LANGS.filter((lang) => lang !== DEFAULT_LANG).map(
      (lang) => `${origin}${localizedPath(lang, `/data/releases/${record.label}`)}`,
    ),
    identifier: page,
    version: record.label,
    datePublished: record.publishedOn,
    license: LICENCE.path,
    isAccessibleForFree: true,
    inLanguage: [...LANGS],
    keywords: ['immigration enforcement', 'retaliation', 'ICE', 'activists', 'civil liberties'],
    creator: organization,
    publisher: organization,
    spatialCoverage: { '@type': 'Place', name: 'United States' },
    // Incidents from any date up to the cutoff ("before 2017" is one open bucket).
    temporalCoverage: `../${record.cutoff}`,
    variableMeasured: 'Number of approved reports of retaliation',
    measurementTechnique: `Anonymous reports reviewed by moderators; cells below ${record.threshold} withheld, with complementary suppression checked by linear programming (${origin}/methodology)`,
    citation: citation(record, 'en', origin),
    distribution: [
      ...TABLES.map((t) => download(`${t.name}.csv`, 'text/csv', `${page}/${t.name}.csv`)),
      download('datapackage.json', 'application/json', `${page}/datapackage.json`),
      download('all.zip', 'application/zip', `${page}/all.zip`),
    ],
  };
}

/**
 * The JSON-LD as markup safe inside <script>: "<" is written as \u003c, so neither "</script>" nor
 * "<!--" in a note can end or confuse the block, and U+2028/2029 as escapes for old JSON readers.
 */
export function jsonLdScript(value: unknown): Handlebars.SafeString {
  const json = JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return new Handlebars.SafeString(`<script type="application/ld+json">${json}</script>`);
}
