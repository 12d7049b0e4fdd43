import { createHash } from 'node:crypto';
import Handlebars from 'handlebars';
import { NotFoundError } from '../platform/errors';
import { intlLocale, localizedPath, translate, translateCount, type Lang } from '../platform/i18n';
import { ByteLru } from '../platform/byte-cache';
import { buildFingerprint } from '../platform/fingerprint';
import { bodySize, type Body } from '../platform/body';
import type { BodyCaches, FileResult, PageResult } from '../platform/send';
import type { Reference } from '../reference/types';
import { casesCsv, casesJson } from './export';
import { createCaseMaps, type CaseMapView } from './map';
import { filterQuery } from './params';
import { createCasePresenter } from './presenter';
import type { Cases } from './service';
import type { CaseFilter } from './types';

// The public record's pages and downloads, as results the public site's sender understands: each one is
// built once per revision of the record (a trigger moves the revision on every write), kept compressed,
// and revalidated by ETag, so a busy list costs one small query per request, and a desk edit shows at once
// on every instance. Every one reads public cases only: no report, no release.

export const PAGE_SIZE = 25;
// A minute: a correction or retraction reaches readers and shared caches quickly.
const MAX_AGE = 60;

export interface CasePagesOptions {
  /** How long a read revision is trusted before it is read again; 0 reads it on every request. */
  revisionTtlMs?: number;
  /** Memory for built pages and files, in bytes. */
  cacheBytes?: number;
}

/** Builds the public record's page models and caches once per app. */
export function createCasePages(deps: {
  cases: Cases;
  reference: Reference;
  origin: string;
  options?: CasePagesOptions;
}) {
  const { cases, origin } = deps;
  const presenter = createCasePresenter(deps.reference);
  const maps = createCaseMaps(deps.reference, presenter.labeler);
  const fingerprint = buildFingerprint(deps.reference);
  const cacheBytes = deps.options?.cacheBytes ?? 16 * 1024 * 1024;
  const caches: BodyCaches = {
    pages: new ByteLru<Body>(cacheBytes / 2, bodySize),
    files: new ByteLru<Body>(cacheBytes / 2, bodySize),
  };
  const ttl = deps.options?.revisionTtlMs ?? 1000;
  let known: { revision: number; at: number } | undefined;

  // The revision leaves the server only hashed: a raw counter would say how often the desk writes.
  async function version(): Promise<string> {
    const now = Date.now();
    if (!known || now - known.at >= ttl) known = { revision: await cases.revision(), at: now };
    return createHash('sha256').update(`${fingerprint}|${known.revision}`).digest('base64url').slice(0, 16);
  }

  const pageKey = (lang: Lang, address: string, v: string) => `cases|${lang}|${address}|${v}`;

  async function pageResult(
    lang: Lang,
    path: string,
    query: string,
    view: string,
    titleKey: string,
    build: () => Promise<object>,
  ): Promise<PageResult> {
    const v = await version();
    return {
      kind: 'page',
      view,
      titleKey,
      query,
      freshness: { etag: `"cases-${v}"`, maxAge: MAX_AGE },
      key: pageKey(lang, path + query, v),
      build,
    };
  }

  async function fileResult(
    name: string,
    type: string,
    build: () => Promise<string>,
    extra: Pick<FileResult, 'disposition' | 'embeddable'> = {},
  ): Promise<FileResult> {
    const v = await version();
    return {
      kind: 'file',
      type,
      freshness: {
        etag: `"cases-${v}-${createHash('sha256').update(name).digest('base64url').slice(0, 8)}"`,
        maxAge: MAX_AGE,
      },
      key: `cases|${name}|${v}`,
      build,
      ...extra,
    };
  }

  async function list(filter: CaseFilter, pageNumber: number, lang: Lang): Promise<PageResult> {
    // Past the last page is a 404, decided before anything is cached or any header is set.
    if (
      pageNumber > 1 &&
      (pageNumber - 1) * PAGE_SIZE >= (await cases.list(filter, { limit: 1, offset: 0 })).total
    )
      throw new NotFoundError('cases.errors.pageNumbernot_found');
    const query = filterQuery({ ...filter, page: pageNumber > 1 ? String(pageNumber) : undefined });
    return pageResult(lang, '/cases', query, 'cases/list', 'cases.list.title', async () => {
      const [years, found] = await Promise.all([
        cases.years(),
        cases.list(filter, { limit: PAGE_SIZE, offset: (pageNumber - 1) * PAGE_SIZE }),
      ]);
      const pages = Math.max(1, Math.ceil(found.total / PAGE_SIZE));
      const at = (p: number) => `/cases${filterQuery({ ...filter, page: p > 1 ? String(p) : undefined })}`;
      return {
        filtered: Object.keys(filter).length > 0,
        filterSummary: presenter.filterSummary(filter, lang),
        form: presenter.filterForm(filter, years, lang),
        cases: found.cases.map((c) => presenter.caseView(c, lang)),
        countText: translateCount(lang, 'cases.list.count', found.total, {
          n: found.total.toLocaleString(intlLocale(lang)),
        }),
        range:
          pages > 1
            ? translate(lang, 'cases.list.range', {
                from: (pageNumber - 1) * PAGE_SIZE + 1,
                to: (pageNumber - 1) * PAGE_SIZE + found.cases.length,
                page: pageNumber,
                pages,
              })
            : undefined,
        hasPager: pages > 1,
        previousHref: pageNumber > 1 ? at(pageNumber - 1) : undefined,
        nextHref: pageNumber < pages ? at(pageNumber + 1) : undefined,
        csvHref: `/cases.csv${filterQuery(filter)}`,
        jsonHref: `/api/v1/cases${filterQuery(filter)}`,
      };
    });
  }

  async function detail(id: number, lang: Lang): Promise<PageResult> {
    // A 404 is decided before any header is set; a page already built for this revision needs no check.
    const known = caches.pages.get(pageKey(lang, `/cases/${id}`, await version())) !== undefined;
    if (!known && !(await cases.exists(id))) throw new NotFoundError('cases.errors.not_found');
    return pageResult(lang, `/cases/${id}`, '', 'cases/case', 'cases.case.title', async () => {
      const found = await cases.get(id);
      if (!found) throw new NotFoundError('cases.errors.not_found');
      return {
        case: presenter.caseView(found, lang),
        citation: translate(lang, 'cases.case.citation', {
          id,
          url: `${origin}${localizedPath(lang, `/cases/${id}`)}`,
        }),
      };
    });
  }

  function map(view: CaseMapView, filter: CaseFilter, lang: Lang): Promise<PageResult> {
    const query = filterQuery({ view: view === 'state' ? undefined : view, ...filter });
    return pageResult(lang, '/cases/map', query, 'cases/map', 'cases.map.pageNumbertitle', async () => {
      const [counts, years] = await Promise.all([cases.counts(view, filter), cases.years()]);
      const form = presenter.filterForm(filter, years, lang);
      const rows = maps.rows(view, counts, filter, lang);
      return {
        title: maps.title(view, filter, lang),
        // Markup built by the map renderer, which escapes every text it writes in.
        map: new Handlebars.SafeString(maps.render({ view, counts, filter, lang, standalone: false })),
        views: (['state', 'field_office'] as const).map((v) => ({
          value: v,
          label: translate(lang, `public.map.view_${v}`),
          selected: v === view,
        })),
        years: form.years,
        actions: form.actions,
        rows,
        hasUnknown: rows.some((row) => row.unknown),
        total: [...counts.values()].reduce((sum, n) => sum + n, 0),
        areaHeader: translate(lang, `public.dimensions.${view}`),
        svgHref: `/cases/map/${view === 'state' ? 'states' : 'field-offices'}.svg${filterQuery(filter)}`,
        csvHref: `/cases.csv${filterQuery(filter)}`,
        listHref: `/cases${filterQuery(filter)}`,
      };
    });
  }

  function mapFile(view: CaseMapView, filter: CaseFilter, lang: Lang): Promise<FileResult> {
    const file = view === 'state' ? 'states' : 'field-offices';
    return svgOf(`svg|${lang}|${view}${filterQuery(filter)}`, file, async () =>
      maps.render({
        view,
        counts: await cases.counts(view, filter),
        filter,
        lang,
        standalone: true,
        caption: [translate(lang, 'cases.map.caption', { url: `${origin}/cases` })],
      }),
    );
  }

  const svgOf = (name: string, file: string, build: () => Promise<string>) =>
    fileResult(name, 'image/svg+xml; charset=utf-8', build, {
      disposition: `inline; filename="represalia-public-record-${file}.svg"`,
      // Journalists embed maps in other pages, like the release maps.
      embeddable: true,
    });

  const all = async (filter: CaseFilter) => (await cases.list(filter)).cases;

  return {
    caches,
    presenter,
    list,
    detail,
    map,
    mapFile,
    csv: (filter: CaseFilter) =>
      fileResult(
        `csv${filterQuery(filter)}`,
        'text/csv; charset=utf-8; header=present',
        async () => casesCsv(await all(filter), presenter.labeler, origin),
        {
          disposition: 'attachment; filename="represalia-public-record.csv"',
        },
      ),
    json: (filter: CaseFilter) =>
      fileResult(`json${filterQuery(filter)}`, 'application/json; charset=utf-8', async () =>
        JSON.stringify(casesJson(await all(filter), presenter.labeler, origin, filter)),
      ),
  };
}

export type CasePages = ReturnType<typeof createCasePages>;
