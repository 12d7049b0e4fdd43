import { NotFoundError } from '../platform/errors';
import type { Lang } from '../platform/i18n';
import type { FileResult } from '../platform/send';
import { TABLES } from '../releases/tables';
import { downloadName, tableCsv } from './csv';
import { dataPackageJson } from './datapackage';
import { releasesJson, tableJson } from './json';
import { checkSelection, type MapSelection } from './map-view';
import { svgToPngAsync } from '../maps';
import type { MapFileQuery } from './params';
import { releaseHeader } from './release-view';
import { releaseZip } from './zip';
import type { SiteParts } from './site-parts';

// The public site's files: the map images (SVG, PNG) and their shape sprite, each release's tables as
// CSV and in one ZIP, and the JSON API. Each is a content type, a cache key, a version and, for
// downloads and images, the name it is saved under.

export type SiteFilesDeps = SiteParts;

/** A download's Content-Disposition: saved under a name that says the release. */
export const attachment = (label: string, name: string): string =>
  `attachment; filename="${downloadName(label, name)}"`;

const isTable = (name: string): boolean => TABLES.some((t) => t.name === name);

/** Builds the files' results over the public site's release resolution and caches. */
export function createSiteFiles(deps: SiteFilesDeps) {
  const { reference, origin, labeler, catalog, resolver, freshness, drawing } = deps;

  async function mapFile(
    query: MapFileQuery,
    view: MapSelection['view'],
    format: 'svg' | 'png',
    lang: Lang,
  ): Promise<FileResult> {
    if (query.view && query.view !== view) throw new NotFoundError('public.errors.view_mismatch');
    const r = await resolver.resolve(query.release);
    if (!r) throw new NotFoundError('public.errors.no_release');
    const selection: MapSelection = { view, year: query.year, action: query.action, compare: query.compare };
    checkSelection(r.data, selection);
    const previous = selection.compare ? await resolver.comparedWith(r) : undefined;
    const { record } = r.data;
    const file = `${view === 'state' ? 'states' : 'field-offices'}${selection.year ? `-${selection.year}` : ''}${selection.action ? `-${selection.action}` : ''}${previous ? `-change-${previous.record.label}` : ''}`;
    const svgKey = `svg|${lang}|${record.id}|${view}|${selection.year ?? ''}|${selection.action ?? ''}|${previous?.record.id ?? ''}`;
    const renderSvg = (): string =>
      drawing.standalone(r.data, selection, lang, [releaseHeader(record, lang, origin).citation], previous);
    const name = downloadName(record.label, `${file}.${format}`);
    return {
      kind: 'file',
      type: format === 'svg' ? 'image/svg+xml; charset=utf-8' : 'image/png',
      key: format === 'svg' ? svgKey : `png|${svgKey}`,
      freshness: freshness.ofRelease(r, `${lang}-${format}${previous ? `-p${previous.record.label}` : ''}`),
      disposition: `inline; filename="${name}"`,
      embeddable: true,
      // Built once and kept in the files cache, like every file (PNG renders also hold native memory in
      // resvg-js 2.6, one more reason never to render one twice).
      build: format === 'svg' ? renderSvg : () => svgToPngAsync(renderSvg()),
    };
  }

  /** The shape sprite the inline maps draw from; cached for good at its fingerprinted address. */
  function shapes(version: string | undefined): FileResult {
    const current = drawing.sprite();
    return {
      kind: 'file',
      type: 'image/svg+xml; charset=utf-8',
      key: `shapes|${current.version}`,
      freshness: freshness.ofShapes(current.version, version),
      build: () => current.svg,
    };
  }

  async function releaseFile(label: string, file: string): Promise<FileResult> {
    const r = await resolver.resolve(label);
    const { record } = r.data;
    const version = freshness.ofRelease(r, file);
    if (file === 'all.zip') {
      return {
        kind: 'file',
        type: 'application/zip',
        key: `zip|${record.id}`,
        freshness: version,
        disposition: attachment(record.label, 'all.zip'),
        build: () => releaseZip(r.data, labeler, dataPackageJson(r.data, reference, origin)),
      };
    }
    const table = /^([a-z_]+)\.csv$/.exec(file)?.[1];
    if (!table || !isTable(table)) throw new NotFoundError('public.errors.table_not_found');
    return {
      kind: 'file',
      type: 'text/csv; charset=utf-8; header=present',
      key: `csv|${record.id}|${table}`,
      freshness: version,
      disposition: attachment(record.label, `${table}.csv`),
      build: () => tableCsv(table, r.data.tables.get(table) ?? [], labeler),
    };
  }

  async function apiReleases(): Promise<FileResult> {
    const list = await catalog.list();
    return {
      kind: 'file',
      type: 'application/json; charset=utf-8',
      key: `api|releases|${list[0]?.id ?? 0}|${list.length}`,
      freshness: freshness.ofList(list, 'api-'),
      build: () => JSON.stringify(releasesJson(list, origin)),
    };
  }

  async function apiTable(label: string, table: string): Promise<FileResult> {
    const r = await resolver.resolve(label);
    if (!isTable(table)) throw new NotFoundError('public.errors.table_not_found');
    const { record } = r.data;
    return {
      kind: 'file',
      type: 'application/json; charset=utf-8',
      key: `api|${record.id}|${table}`,
      freshness: freshness.ofRelease(r, `api-${table}`),
      build: () => JSON.stringify(tableJson(record, table, r.data.tables.get(table) ?? [], labeler)),
    };
  }

  return { mapFile, shapes, releaseFile, apiReleases, apiTable };
}
