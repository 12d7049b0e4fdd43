import { LANGS, englishLanguageName, translate } from '../platform/i18n';
import { UNKNOWN_OFFICE, type Dimension } from '../reference/dimensions';
import { CODE_KINDS, type Reference } from '../reference/types';
import { TABLES } from '../releases/tables';
import type { ReleaseData } from './catalog';
import { CODEBOOK_COLUMNS, csvColumns, type PublicStatus } from './csv';
import { BOUNDARY_DECIMALS, BOUNDARY_SIMPLIFICATION_KM2 } from '../maps/boundaries';
import { citation } from './release-view';

// A Frictionless Data Package (v1, tabular) for each release: what R's `frictionless`, Python's
// `frictionless` and other tools read to load every table with its types. Resource paths are relative, so
// the one descriptor works at /data/releases/:label/datapackage.json (the CSV routes sit beside it) and
// inside all.zip (the CSV files sit beside it). Descriptions are in English, as the standard's tools are.

export const LICENCE = {
  name: 'CC-BY-4.0',
  path: 'https://creativecommons.org/licenses/by/4.0/',
  title: 'Creative Commons Attribution 4.0',
} as const;

/** Where the boundaries come from, for the data package and /methodology. */
export const BOUNDARY_SOURCE = {
  title:
    "U.S. Census Bureau, cartographic boundary files 2017 (1:10,000,000), as redistributed in Mike Bostock's us-atlas 3",
  path: 'https://www2.census.gov/geo/tiger/GENZ2017/shp/',
} as const;

// The Census files are works of the U.S. government (public domain); us-atlas packages them under ISC.
const BOUNDARY_LICENCES = [
  { name: 'ISC', path: 'https://opensource.org/license/isc-license-txt', title: 'ISC License (us-atlas)' },
  { title: 'U.S. Census Bureau data: public domain (a work of the U.S. government)' },
];

// What each status the CSV files carry means; keyed by the public status type, so a renamed status fails to
// compile here.
const STATUS_MEANING: Record<PublicStatus, string> = {
  published: 'the count is published',
  withheld: 'the count is withheld (empty count); it may be small or large',
};
const WITHHELD_STATUS: PublicStatus = 'withheld';

interface Field {
  name: string;
  type: 'string' | 'integer';
  title?: string;
  description: string;
  constraints?: { required?: boolean; enum?: string[]; pattern?: string; minimum?: number };
}

const PERIOD_PATTERN: Partial<Record<Dimension, string>> = {
  year: '^(before-\\d{4}|\\d{4})$',
  quarter: '^(before-\\d{4}|\\d{4}-Q[1-4])$',
};

function keyField(dimension: Dimension, reference: Reference): Field {
  const base = {
    name: dimension,
    type: 'string' as const,
    title: translate('en', `public.dimensions.${dimension}`),
  };
  switch (dimension) {
    case 'state':
      return {
        ...base,
        description:
          'USPS code of the state, district or territory (TX, DC, PR); join to states.geojson on `state`.',
        constraints: { required: true, enum: reference.states.map((s) => s.usps).sort() },
      };
    case 'field_office':
      return {
        ...base,
        description: `Code of the ICE Enforcement and Removal Operations field office; "${UNKNOWN_OFFICE}" for reports whose office is not known. Join to field-offices.geojson on \`field_office\`.`,
        constraints: {
          required: true,
          enum: [...reference.offices.map((o) => o.code).sort(), UNKNOWN_OFFICE],
        },
      };
    case 'year':
    case 'quarter':
      return {
        ...base,
        description: `The ${dimension} the incident happened (${dimension === 'year' ? '2024' : '2024-Q3'}); "before-2017" groups everything earlier.`,
        constraints: { required: true, pattern: PERIOD_PATTERN[dimension]! },
      };
    case 'action_type':
    case 'activism_type':
    case 'evidence_type':
    case 'target_role':
      return {
        ...base,
        description: `A code of the ${dimension.replace('_', ' ')} list; labels and definitions are in codebook.csv.`,
        constraints: {
          required: true,
          enum: reference.codes.filter((c) => c.kind === dimension).map((c) => c.code),
        },
      };
  }
}

function tableFields(table: string, reference: Reference, threshold: number): Field[] {
  const dims = TABLES.find((t) => t.name === table)!.dimensions;
  return csvColumns(table).map((column): Field => {
    const dim = dims.find((d) => d === column);
    if (dim) return keyField(dim, reference);
    const label = /^(.+)_label_([a-z]{2,3}(?:-[A-Za-z0-9]+)?)$/.exec(column);
    if (label)
      return {
        name: column,
        type: 'string',
        description: `The label of \`${label[1]}\` in ${englishLanguageName(label[2] ?? 'en')}.`,
        constraints: { required: true },
      };
    if (column === 'count')
      return {
        name: column,
        type: 'integer',
        description: `The number of approved reports. Empty when the cell is withheld: a withheld cell is not zero and not necessarily small, just not published (its count may be below ${threshold}, or it is withheld so that a small count elsewhere, or the few reports a cell gained since an earlier release, cannot be worked out). Every published count is at least ${threshold}.`,
        constraints: { minimum: threshold },
      };
    if (column === 'status')
      return {
        name: column,
        type: 'string',
        description: Object.entries(STATUS_MEANING)
          .map(([status, meaning]) => `"${status}": ${meaning}`)
          .join('; '),
        constraints: { required: true, enum: Object.keys(STATUS_MEANING) },
      };
    throw new Error(`no schema for column ${column} of ${table}`);
  });
}

const CSV_RESOURCE = {
  profile: 'tabular-data-resource',
  format: 'csv',
  mediatype: 'text/csv',
  // UTF-8 with a byte-order mark, which Excel needs and CSV readers skip.
  encoding: 'utf-8',
  dialect: { delimiter: ',', lineTerminator: '\r\n', quoteChar: '"', doubleQuote: true, header: true },
} as const;

function fieldOf(fields: Record<string, Field>, column: string): Field {
  const field = fields[column];
  if (!field) throw new Error(`no schema for codebook column ${column}`);
  return field;
}

function codebookResource() {
  const text = (name: string, description: string): Field => ({
    name,
    type: 'string',
    description,
    constraints: { required: true },
  });
  const fields: Record<string, Field> = {
    kind: { ...text('kind', 'Which code list.'), constraints: { required: true, enum: [...CODE_KINDS] } },
    code: text('code', 'The code, as the tables use it. Codes never change; new ones may be added.'),
    position: {
      name: 'position',
      type: 'integer',
      description: 'Display order within the list.',
      constraints: { required: true },
    },
    // One label and one definition per language served, as the CSV has them.
    ...Object.fromEntries(
      LANGS.flatMap((lang) => [
        [`label_${lang}`, text(`label_${lang}`, `Label in ${englishLanguageName(lang)}.`)],
        [`definition_${lang}`, text(`definition_${lang}`, `Definition in ${englishLanguageName(lang)}.`)],
      ]),
    ),
  };
  return {
    name: 'codebook',
    path: 'codebook.csv',
    title: 'Codebook',
    description: `Every code of the four code lists with labels and definitions in ${LANGS.map(englishLanguageName).join(', ')}.`,
    ...CSV_RESOURCE,
    schema: { fields: CODEBOOK_COLUMNS.map((c) => fieldOf(fields, c)), primaryKey: ['kind', 'code'] },
  };
}

function boundaryResource(origin: string, file: 'states' | 'field-offices') {
  const what =
    file === 'states'
      ? 'The 50 states, the District of Columbia and 5 territories; property `state` (USPS code), `name`, `fips`.'
      : '25 ICE field offices, dissolved from counties where Texas, California and New York are split; property `field_office`, `name`, `states`.';
  return {
    name: `boundaries-${file}`,
    path: `${origin}/data/boundaries/${file}.geojson`,
    title: file === 'states' ? 'State and territory boundaries' : 'ICE field office boundaries',
    description: `${what} GeoJSON (RFC 7946, WGS 84 longitude/latitude), simplified with Visvalingam's algorithm at ${BOUNDARY_SIMPLIFICATION_KM2} square kilometres, coordinates to ${BOUNDARY_DECIMALS} decimals. The same geometry the site's maps draw.`,
    format: 'geojson',
    mediatype: 'application/geo+json',
    encoding: 'utf-8',
    sources: [BOUNDARY_SOURCE],
    licenses: BOUNDARY_LICENCES,
  };
}

/** The data package descriptor of one release, as an object ready for JSON.stringify. */
export function dataPackage(data: ReleaseData, reference: Reference, origin: string) {
  const { record } = data;
  const k = record.threshold;
  const page = `${origin}/data/releases/${record.label}`;
  return {
    profile: 'tabular-data-package',
    name: `represalia-${record.label.toLowerCase()}`,
    id: page,
    title: `Represalia: retaliation by U.S. immigration enforcement against activists, release ${record.label}`,
    description: `Counts of approved reports of retaliation by U.S. immigration enforcement against people who defend immigrants' rights, by state, ICE field office, time and kind of action, as of ${record.cutoff}. Reports are sent anonymously and reviewed by moderators; only aggregates are published, after disclosure control. A cell is withheld (empty count, status "${WITHHELD_STATUS}") when its count is below ${k}, when it gained 1 to ${k - 1} reports since an earlier release, or when it could be used to work out another withheld number; a withheld cell can be large. Releases are frozen; corrections go into the next release. Methodology: ${origin}/methodology`,
    version: record.label,
    // Releases carry a publication date, not a time; the standard asks for a date-time.
    created: `${record.publishedOn}T00:00:00Z`,
    homepage: page,
    keywords: ['immigration enforcement', 'retaliation', 'ICE', 'activists', 'United States'],
    licenses: [LICENCE],
    sources: [
      { title: 'Reports sent to Represalia and approved by its moderators', path: `${origin}/methodology` },
      BOUNDARY_SOURCE,
    ],
    contributors: [{ title: 'Represalia', role: 'publisher', path: origin }],
    citation: citation(record, 'en', origin),
    cutoff: record.cutoff,
    threshold: k,
    resources: [
      ...TABLES.map((t) => ({
        name: t.name,
        path: `${t.name}.csv`,
        title: translate('en', `public.tables.${t.name}.title`),
        description: translate('en', `public.tables.${t.name}.about`),
        ...CSV_RESOURCE,
        schema: {
          fields: tableFields(t.name, reference, k),
          // An empty cell is a withheld count, never a zero.
          missingValues: [''],
          ...(t.dimensions.length > 0 ? { primaryKey: [...t.dimensions] } : {}),
        },
      })),
      codebookResource(),
      boundaryResource(origin, 'states'),
      boundaryResource(origin, 'field-offices'),
    ],
  };
}

export type DataPackage = ReturnType<typeof dataPackage>;

/** The descriptor as served and zipped: the same bytes in both places. */
export function dataPackageJson(data: ReleaseData, reference: Reference, origin: string): string {
  return `${JSON.stringify(dataPackage(data, reference, origin), null, 2)}\n`;
}
