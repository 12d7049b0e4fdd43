import Handlebars from 'handlebars';
import type { Knex } from 'knex';
import { NotFoundError } from '../platform/errors';
import { longDate, translate, type Lang } from '../platform/i18n';
import type { Reference } from '../reference/types';
import type { ReleaseRecord } from '../releases/read';
import { TABLES } from '../releases/tables';
import { bodySize, type Body } from '../platform/body';
import type { FrozenResponses } from '../platform/frozen';
import type { FileResult, Freshness, PageResult } from '../platform/send';
import { buildFingerprint, ByteLru, MAX_AGE, releaseTag } from './cache';
import { createReleaseCatalog, type ReleaseData } from './catalog';
import { codebookModel } from './codebook';
import { downloadName, tableCsv } from './csv';
import { homeView } from './home';
import { releasesJson, tableJson } from './json';
import { createLabeler } from './labels';
import {
  checkSelection,
  mapFilters,
  mapRows,
  mapTable,
  mapTitle,
  toMapReference,
  type MapSelection,
} from './map-view';
import { loadMapGeometry, svgToPngAsync, type MapGeometry } from './maps';
import { renderShapeSprite, type ShapeSprite } from './maps/sprite';
import { disclosureHtml } from './disclosure-doc';
import { methodologyModel } from './methodology';
import type { MapFileQuery, MapQuery } from './params';
import { dataPageModel, releaseHeader } from './release-view';
import { cellView } from './tables-view';
import { releaseZip } from './zip';
import { changeRows, changeTitle, renderSelectionMap } from './change-map';
import { dataPackageJson } from './datapackage';
import { datasetJsonLd, jsonLdScript } from './jsonld';
import { createResearch } from './research';
import { reuseModel } from './reuse';

// The public site's service: which release a request means, and what to send for it. Routes turn these
// results into HTTP (platform/send.ts); everything here reads releases only (promise 6), and everything built from a
// release is cached, because a release never changes.

export interface PublicSiteOptions {
  /** How long the list of releases is trusted before it is read again; 0 reads it on every request. */
  releaseListTtlMs?: number;
  /** Memory for cached pages and files, in bytes. */
  cacheBytes?: number;
  /** Whole responses for the app's first middleware (platform/frozen.ts); kept current here. False: none. */
  frozen?: FrozenResponses | false;
}

interface Resolved {
  data: ReleaseData;
  latest: ReleaseRecord;
  pinned: boolean;
}

/** Builds the public site's service once per app. */
export function createPublicSite(deps: {
  db: Knex;
  reference: Reference;
  origin: string;
  defaultThreshold: number;
  options: PublicSiteOptions;
}) {
  const { reference, origin } = deps;
  const labeler = createLabeler(reference);
  const frozen = deps.options.frozen || undefined;
  // Every public answer depends on the list of releases (the latest, the picker, "is this the latest?"):
  // frozen responses are served only while the list is fresh, and forgotten when it changes.
  const catalog = createReleaseCatalog({
    db: deps.db,
    ttlMs: deps.options.releaseListTtlMs ?? 5000,
    ...(frozen ? { onChange: () => frozen.clear() } : {}),
  });
  frozen?.setCurrent(() => catalog.isFresh());
  const fingerprint = buildFingerprint(reference);
  const cacheBytes = deps.options.cacheBytes ?? 64 * 1024 * 1024;
  // Rendered pages and built files share one budget between them.
  const pages = new ByteLru<Body>(cacheBytes / 2, bodySize);
  const files = new ByteLru<Body>(cacheBytes / 2, bodySize);
  let geometry: MapGeometry | undefined;
  // Read on first use, then shared by every render: prebuilt, unless the reference data changed since.
  const getGeometry = (): MapGeometry => (geometry ??= loadMapGeometry(toMapReference(reference)).geometry);
  let sprite: ShapeSprite | undefined;
  const getSprite = (): ShapeSprite => (sprite ??= renderShapeSprite(getGeometry()));
  // A map inside a page: its shapes come from the sprite's fingerprinted address (not localized: the
  // shapes have no words), everything else is written in.
  const inlineMap = (
    data: ReleaseData,
    selection: MapSelection,
    lang: Lang,
    idPrefix?: string,
    previous?: ReleaseData,
  ) =>
    new Handlebars.SafeString(
      renderSelectionMap(
        {
          geometry: getGeometry(),
          data,
          selection,
          labeler,
          lang,
          standalone: false,
          shapesHref: `/map/shapes.svg?v=${getSprite().version}`,
          ...(idPrefix ? { idPrefix } : {}),
        },
        previous,
      ),
    );

  async function resolve(label: string | undefined): Promise<Resolved | undefined> {
    const latest = await catalog.latest();
    if (label === undefined)
      return latest ? { data: await catalog.data(latest), latest, pinned: false } : undefined;
    const record = await catalog.find(label);
    if (!record) throw new NotFoundError('public.errors.release_not_found');
    return { data: await catalog.data(record), latest: latest ?? record, pinned: true };
  }

  // A pinned page (not a file) says whether its release is the latest and lists the others: it is a new
  // version when a newer release is published, whichever instance published it.
  const freshnessOf = (r: Resolved | undefined, variant = '', isPage = false): Freshness => ({
    etag: releaseTag(
      fingerprint,
      r?.data.record,
      isPage && r?.pinned ? `${variant}${variant ? '-' : ''}of-${r.latest.label}` : variant,
    ),
    maxAge: r?.pinned ? MAX_AGE.pinned : MAX_AGE.latest,
  });

  // The release a change map compares with; the first release has none to compare with (404).
  async function comparedWith(r: Resolved): Promise<ReleaseData> {
    const record = await catalog.previous(r.data.record);
    if (!record) throw new NotFoundError('public.errors.no_previous_release');
    return catalog.data(record);
  }

  function page(
    lang: Lang,
    path: string,
    query: string,
    view: string,
    titleKey: string,
    freshness: Freshness,
    build: PageResult['build'],
  ): PageResult {
    return {
      kind: 'page',
      view,
      titleKey,
      query,
      freshness,
      build,
      key: `${lang}|${path}${query}|${freshness.etag}`,
    };
  }

  const research = createResearch({
    reference,
    origin,
    labeler,
    catalog,
    fingerprint,
    resolve: async (label) => (await resolve(label))!,
    freshnessOf,
    page,
  });

  async function home(lang: Lang): Promise<PageResult> {
    const r = await resolve(undefined);
    return page(lang, '/', '', 'public/home', 'home.title', freshnessOf(r), () => {
      const base = homeView(reference, lang);
      if (!r) return { ...base, hasRelease: false };
      const { record } = r.data;
      const byState = r.data.tables.get('by_state') ?? [];
      const selection: MapSelection = { view: 'state' };
      return {
        ...base,
        hasRelease: true,
        release: releaseHeader(record, lang, origin),
        total: cellView(r.data.tables.get('national_total')?.[0], record.threshold, lang),
        statesPublished: byState.filter((c) => c.status === 'published').length,
        statesTotal: byState.length,
        map: inlineMap(r.data, selection, lang, 'home-map'),
        mapHref: `/map?release=${record.label}`,
      };
    });
  }

  function selectionQuery(label: string | undefined, selection: MapSelection): string {
    const params = new URLSearchParams();
    if (label) params.set('release', label);
    if (selection.view !== 'state') params.set('view', selection.view);
    if (selection.year) params.set('year', selection.year);
    if (selection.action) params.set('action', selection.action);
    if (selection.compare) params.set('compare', selection.compare);
    const text = params.toString();
    return text ? `?${text}` : '';
  }

  /** Where the map form's single filter select leads: the canonical /map address. */
  function mapFormTarget(query: MapQuery): string {
    const [kind, value] = (query.filter ?? '').split(':');
    return `/map${selectionQuery(query.release, {
      view: query.view ?? 'state',
      year: kind === 'year' ? value : undefined,
      action: kind === 'action' ? value : undefined,
      compare: query.compare,
    })}`;
  }

  async function map(query: MapQuery, lang: Lang): Promise<PageResult> {
    const r = await resolve(query.release);
    const selection: MapSelection = {
      view: query.view ?? 'state',
      year: query.year,
      action: query.action,
      compare: query.compare,
    };
    if (r) checkSelection(r.data, selection);
    const previous = r && selection.compare ? await comparedWith(r) : undefined;
    const canonical = selectionQuery(query.release, selection);
    const freshness = freshnessOf(r, previous ? `p${previous.record.label}` : '', true);
    return page(lang, '/map', canonical, 'public/map', 'public.map.page_title', freshness, async () => {
      if (!r) return { hasRelease: false };
      // Only a page being built needs the list (for the release picker); cache hits and 304s skip it.
      const releases = await catalog.list();
      const { record } = r.data;
      const pinned = selectionQuery(record.label, selection);
      const filters = mapFilters(r.data, selection.view);
      const table = mapTable(selection);
      const rows = previous ? [] : mapRows(r.data, selection, labeler, lang);
      const file = selection.view === 'state' ? 'states' : 'field-offices';
      const fileQuery = selectionQuery(record.label, { ...selection, view: 'state' });
      const change = previous && {
        previousLabel: previous.record.label,
        rows: changeRows(previous, r.data, selection, labeler, lang),
        changesHref: `/data/releases/${record.label}/changes`,
      };
      return {
        hasRelease: true,
        release: releaseHeader(record, lang, origin),
        title: previous
          ? changeTitle(selection, previous.record.label, labeler, lang)
          : mapTitle(selection, labeler, lang),
        change,
        canCompare: releases.at(-1)?.id !== record.id,
        measures: [
          { value: '', label: translate(lang, 'public.map.measure_count'), selected: !previous },
          { value: 'previous', label: translate(lang, 'public.map.measure_change'), selected: !!previous },
        ],
        releases: releases.map((rec) => ({ label: rec.label, selected: rec.id === record.id })),
        views: (['state', 'field_office'] as const).map((v) => ({
          value: v,
          label: translate(lang, `public.map.view_${v}`),
          selected: v === selection.view,
        })),
        filterAll: !selection.year && !selection.action,
        years: labeler.sort('year', filters.years, lang).map((y) => ({
          value: `year:${y}`,
          label: labeler.label('year', y, lang),
          selected: y === selection.year,
        })),
        actions: labeler.sort('action_type', filters.actions, lang).map((a) => ({
          value: `action:${a}`,
          label: labeler.label('action_type', a, lang),
          selected: a === selection.action,
        })),
        map: inlineMap(r.data, selection, lang, undefined, previous),
        rows,
        areaHeader: translate(lang, `public.dimensions.${selection.view}`),
        hasUnknown: (change ? change.rows : rows).some((row) => row.unknown),
        svgHref: `/map/${file}.svg${fileQuery}`,
        pngHref: `/map/${file}.png${fileQuery}`,
        csvHref: `/data/releases/${record.label}/${previous ? 'changes' : table}.csv`,
        permalink: `/map${pinned}`,
        isPinned: r.pinned,
      };
    });
  }
  async function mapFile(
    query: MapFileQuery,
    view: MapSelection['view'],
    format: 'svg' | 'png',
    lang: Lang,
  ): Promise<FileResult> {
    if (query.view && query.view !== view) throw new NotFoundError('public.errors.view_mismatch');
    const r = await resolve(query.release);
    if (!r) throw new NotFoundError('public.errors.no_release');
    const selection: MapSelection = { view, year: query.year, action: query.action, compare: query.compare };
    checkSelection(r.data, selection);
    const previous = selection.compare ? await comparedWith(r) : undefined;
    const { record } = r.data;
    const file = `${view === 'state' ? 'states' : 'field-offices'}${selection.year ? `-${selection.year}` : ''}${selection.action ? `-${selection.action}` : ''}${previous ? `-change-${previous.record.label}` : ''}`;
    const svgKey = `svg|${lang}|${record.id}|${view}|${selection.year ?? ''}|${selection.action ?? ''}|${previous?.record.id ?? ''}`;
    const renderSvg = (): string =>
      renderSelectionMap(
        {
          geometry: getGeometry(),
          data: r.data,
          selection,
          labeler,
          lang,
          standalone: true,
          caption: [releaseHeader(record, lang, origin).citation],
        },
        previous,
      );
    const freshness = freshnessOf(r, `${lang}-${format}${previous ? `-p${previous.record.label}` : ''}`);
    const name = downloadName(record.label, `${file}.${format}`);
    return {
      kind: 'file',
      type: format === 'svg' ? 'image/svg+xml; charset=utf-8' : 'image/png',
      key: format === 'svg' ? svgKey : `png|${svgKey}`,
      freshness,
      disposition: `inline; filename="${name}"`,
      embeddable: true,
      // Built once and kept in the files cache, like every file (PNG renders also hold native memory in
      // resvg-js 2.6, one more reason never to render one twice).
      build: format === 'svg' ? renderSvg : () => svgToPngAsync(renderSvg()),
    };
  }

  /** The shape sprite the inline maps draw from; cached for good at its fingerprinted address. */
  function shapes(version: string | undefined): FileResult {
    const current = getSprite();
    return {
      kind: 'file',
      type: 'image/svg+xml; charset=utf-8',
      key: `shapes|${current.version}`,
      freshness: {
        etag: `"${fingerprint}-shapes-${current.version}"`,
        maxAge: version === current.version ? MAX_AGE.fingerprinted : MAX_AGE.static,
      },
      build: () => current.svg,
    };
  }

  async function releasePage(label: string | undefined, lang: Lang): Promise<PageResult> {
    const r = await resolve(label);
    const path = label ? `/data/releases/${label}` : '/data';
    return page(lang, path, '', 'public/release', 'public.data.title', freshnessOf(r, '', true), async () => {
      if (!r) return { hasRelease: false, releaseCount: 0, feed: feedLink(lang) };
      const list = await catalog.list();
      const { record } = r.data;
      const previous = await catalog.previous(record);
      return {
        hasRelease: true,
        releaseCount: list.length,
        ...dataPageModel(r.data, labeler, lang, {
          origin,
          isLatest: record.id === r.latest.id,
          summary: label === undefined,
        }),
        reuse: reuseModel(record, origin),
        previousLabel: previous?.label,
        jsonLd: jsonLdScript(datasetJsonLd(record, origin)),
        feed: feedLink(lang),
      };
    });
  }

  async function releaseList(lang: Lang): Promise<PageResult> {
    const list = await catalog.list();
    const freshness: Freshness = {
      etag: releaseTag(fingerprint, list[0], `n${list.length}`),
      maxAge: MAX_AGE.latest,
    };
    return page(lang, '/data/releases', '', 'public/releases', 'public.releases.title', freshness, () => ({
      feed: feedLink(lang),
      releases: list.map((rec, i) => ({
        label: rec.label,
        href: `/data/releases/${rec.label}`,
        published: longDate(rec.publishedOn, lang),
        publishedOn: rec.publishedOn,
        cutoff: longDate(rec.cutoff, lang),
        threshold: rec.threshold,
        latest: i === 0,
        changesHref: i < list.length - 1 ? `/data/releases/${rec.label}/changes` : undefined,
      })),
    }));
  }

  // The Atom feed, for the <head> of the data pages (feed readers find it there).
  const feedLink = (lang: Lang) => ({
    href: '/data/releases.atom',
    title: translate(lang, 'public.feed.title'),
  });

  async function releaseFile(label: string, file: string): Promise<FileResult> {
    const r = await resolve(label);
    const { record } = r!.data;
    const freshness = freshnessOf(r, file);
    if (file === 'all.zip') {
      return {
        kind: 'file',
        type: 'application/zip',
        key: `zip|${record.id}`,
        freshness,
        disposition: `attachment; filename="${downloadName(record.label, 'all.zip')}"`,
        build: () => releaseZip(r!.data, labeler, reference, dataPackageJson(r!.data, reference, origin)),
      };
    }
    const table = /^([a-z_]+)\.csv$/.exec(file)?.[1];
    if (!table || !TABLES.some((t) => t.name === table))
      throw new NotFoundError('public.errors.table_not_found');
    return {
      kind: 'file',
      type: 'text/csv; charset=utf-8; header=present',
      key: `csv|${record.id}|${table}`,
      freshness,
      disposition: `attachment; filename="${downloadName(record.label, `${table}.csv`)}"`,
      build: () => tableCsv(table, r!.data.tables.get(table) ?? [], labeler),
    };
  }

  async function apiReleases(): Promise<FileResult> {
    const list = await catalog.list();
    return {
      kind: 'file',
      type: 'application/json; charset=utf-8',
      key: `api|releases|${list[0]?.id ?? 0}|${list.length}`,
      freshness: { etag: releaseTag(fingerprint, list[0], `api-n${list.length}`), maxAge: MAX_AGE.latest },
      build: () => JSON.stringify(releasesJson(list, origin)),
    };
  }

  async function apiTable(label: string, table: string): Promise<FileResult> {
    const r = (await resolve(label))!;
    if (!TABLES.some((t) => t.name === table)) throw new NotFoundError('public.errors.table_not_found');
    const { record } = r.data;
    return {
      kind: 'file',
      type: 'application/json; charset=utf-8',
      key: `api|${record.id}|${table}`,
      freshness: freshnessOf(r, `api-${table}`),
      build: () => JSON.stringify(tableJson(record, table, r.data.tables.get(table) ?? [], labeler)),
    };
  }

  function codebook(lang: Lang): Promise<PageResult> {
    return Promise.resolve(
      page(lang, '/codebook', '', 'public/codebook', 'public.codebook.title', staticFreshness, () =>
        codebookModel(labeler, lang),
      ),
    );
  }

  async function methodology(lang: Lang): Promise<PageResult> {
    const latest = await catalog.latest();
    const threshold = latest?.threshold ?? deps.defaultThreshold;
    const freshness: Freshness = { etag: releaseTag(fingerprint, latest, 'method'), maxAge: MAX_AGE.static };
    return page(lang, '/methodology', '', 'public/methodology', 'public.methodology.title', freshness, () =>
      methodologyModel(reference, lang, threshold),
    );
  }
  const staticFreshness: Freshness = { etag: `"${fingerprint}-static"`, maxAge: MAX_AGE.static };

  function disclosure(lang: Lang): Promise<PageResult> {
    return Promise.resolve(
      page(
        lang,
        '/methodology/disclosure',
        '',
        'public/disclosure',
        'public.disclosure.title',
        staticFreshness,
        () => ({
          doc: disclosureHtml(),
        }),
      ),
    );
  }

  return {
    pages,
    files,
    ...(frozen ? { frozen } : {}),
    home,
    map,
    mapFormTarget,
    mapFile,
    shapes,
    releasePage,
    releaseList,
    releaseFile,
    apiReleases,
    apiTable,
    codebook,
    methodology,
    disclosure,
    ...research,
  };
}

export type PublicSite = ReturnType<typeof createPublicSite>;
