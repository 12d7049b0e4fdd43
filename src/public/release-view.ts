import Handlebars from 'handlebars';
import { localizedPath, longDate, translate, type Lang } from '../platform/i18n';
import { TABLES } from '../releases/tables';
import type { ReleaseRecord } from '../releases/read';
import type { ReleaseData } from './catalog';
import { barChart, columnChart, type Bar } from './charts';
import { downloadName } from './csv';
import type { Labeler } from '../reference/labeler';
import { formatCount } from '../maps/format';
import { tableId, tableView } from './tables-view';

// What a page says about one release: its label, dates, threshold, citation and notes, and the data page
// itself (every table, the charts, the downloads). Built once per release and language, then cached.

export interface ReleaseHeader {
  label: string;
  publishedOn: string;
  published: string;
  cutoff: string;
  threshold: string;
  /** The one label of every withheld cell ("withheld"), never a claim about its size. */
  withheld: string;
  citation: string;
  notes: string;
  /** The notes' language: the desk writes them in English and Spanish only. */
  notesLang: Lang;
  href: string;
}

/** How to cite a release, in the page's language, with the address of its page in that language. */
export function citation(record: ReleaseRecord, lang: Lang, origin: string): string {
  return translate(lang, 'public.release.citation', {
    label: record.label,
    date: record.publishedOn,
    url: `${origin}${localizedPath(lang, `/data/releases/${record.label}`)}`,
  });
}

/** The facts every page about a release repeats, in one language. */
export function releaseHeader(record: ReleaseRecord, lang: Lang, origin: string): ReleaseHeader {
  const path = `/data/releases/${record.label}`;
  const k = formatCount(record.threshold, lang);
  return {
    label: record.label,
    publishedOn: record.publishedOn,
    published: longDate(record.publishedOn, lang),
    cutoff: longDate(record.cutoff, lang),
    threshold: k,
    withheld: translate(lang, 'public.withheld'),
    citation: citation(record, lang, origin),
    notes: lang === 'es' ? record.notesEs : record.notesEn,
    notesLang: lang === 'es' ? 'es' : 'en',
    href: path,
  };
}

/** A chart's markup, handed to the template as already-escaped HTML (it is built from escaped parts). */
function safe(svg: string): Handlebars.SafeString {
  return new Handlebars.SafeString(svg);
}

const CODE_TABLES = ['by_action_type', 'by_activism_type', 'by_target_role', 'by_evidence_type'] as const;

function charts(data: ReleaseData, labeler: Labeler, lang: Lang) {
  const withheldLabel = translate(lang, 'public.withheld');
  const quarterly = data.tables.get('by_quarter') ?? [];
  const byQuarter = new Map(quarterly.map((c) => [c.keys.quarter ?? '', c]));
  const quarterBars: Bar[] = labeler.sort('quarter', byQuarter.keys(), lang).map((key) => {
    const cell = byQuarter.get(key)!;
    // Years under their four quarters; the earlier bucket as "<2017", short enough for one column.
    const year = /^(\d{4})-Q1$/.exec(key)?.[1];
    const before = /^before-(\d{4})$/.exec(key)?.[1];
    return {
      label: labeler.label('quarter', key, lang),
      value: cell.status === 'published' ? cell.value : null,
      ...(year ? { tick: year, span: 4 } : before ? { tick: `<${before}` } : {}),
    };
  });
  const list = [];
  if (quarterBars.length > 0) {
    list.push({
      id: 'chart-by-quarter',
      tableId: tableId('by_quarter'),
      title: translate(lang, 'public.tables.by_quarter.title'),
      svg: safe(
        columnChart({
          id: 'chart-by-quarter',
          title: translate(lang, 'public.tables.by_quarter.title'),
          description: translate(lang, 'public.charts.description'),
          bars: quarterBars,
          withheldLabel,
          locale: lang,
        }),
      ),
    });
  }
  for (const name of CODE_TABLES) {
    const cells = data.tables.get(name) ?? [];
    if (cells.length === 0) continue;
    const kind = name.slice(3) as 'action_type';
    const byKey = new Map(cells.map((c) => [c.keys[kind] ?? '', c]));
    const id = `chart-${name.replaceAll('_', '-')}`;
    list.push({
      id,
      tableId: tableId(name),
      title: translate(lang, `public.tables.${name}.title`),
      svg: safe(
        barChart({
          id,
          title: translate(lang, `public.tables.${name}.title`),
          description: translate(lang, 'public.charts.description'),
          bars: labeler.sort(kind, byKey.keys(), lang).map((key) => {
            const cell = byKey.get(key)!;
            return {
              label: labeler.label(kind, key, lang),
              value: cell.status === 'published' ? cell.value : null,
            };
          }),
          withheldLabel,
          locale: lang,
        }),
      ),
    });
  }
  return list;
}

/** The whole data page of one release in one language: header, charts, every table, downloads. */
export function dataPageModel(
  data: ReleaseData,
  labeler: Labeler,
  lang: Lang,
  context: { origin: string; isLatest: boolean; summary?: boolean },
) {
  const { record } = data;
  const base = `/data/releases/${record.label}`;
  const tables = TABLES.map((t) => ({
    ...tableView(t.name, data.tables.get(t.name) ?? [], record.threshold, labeler, lang),
    csv: `${base}/${t.name}.csv`,
    csvName: downloadName(record.label, `${t.name}.csv`),
    json: `/api/v1/releases/${record.label}/tables/${t.name}`,
  }));
  return {
    release: releaseHeader(record, lang, context.origin),
    isLatest: context.isLatest,
    // /data is the latest release in brief, light enough for a phone: its downloads and charts, with
    // the full tables one link away on the release's own page (which is what citations point to).
    summary: context.summary === true,
    releaseHref: base,
    charts: charts(data, labeler, lang),
    tables,
    zip: `${base}/all.zip`,
    zipName: downloadName(record.label, 'all.zip'),
  };
}
