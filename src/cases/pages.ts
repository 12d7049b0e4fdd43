import Handlebars from 'handlebars';
import { NotFoundError } from '../platform/errors';
import { localizedPath, translate, type Lang } from '../platform/i18n';
import type { Reference } from '../reference/types';
import { casesCsv, casesJson } from './export';
import { createCaseMaps, type CaseMapView } from './map';
import { filterQuery } from './params';
import { createCasePresenter } from './presenter';
import type { Cases } from './service';
import type { CaseFilter } from './types';

// The public record's pages and downloads, as models for the templates and bytes for the files. Every one
// reads the public cases only: no report, no release (the two datasets are shown side by side, never mixed).

export const PAGE_SIZE = 25;

/** Builds the public record's page models once per app. */
export function createCasePages(deps: { cases: Cases; reference: Reference; origin: string }) {
  const { cases, origin } = deps;
  const presenter = createCasePresenter(deps.reference);
  const maps = createCaseMaps(deps.reference, presenter.labeler);

  async function list(filter: CaseFilter, page: number, lang: Lang) {
    const [years, found] = await Promise.all([
      cases.years(),
      cases.list(filter, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
    ]);
    const pages = Math.max(1, Math.ceil(found.total / PAGE_SIZE));
    if (page > pages) throw new NotFoundError('cases.errors.page_not_found');
    const filtered = Object.keys(filter).length > 0;
    const at = (p: number) => `/cases${filterQuery({ ...filter, page: p > 1 ? String(p) : undefined })}`;
    return {
      titleKey: 'cases.list.title',
      filtered,
      filterSummary: presenter.filterSummary(filter, lang),
      form: presenter.filterForm(filter, years, lang),
      cases: found.cases.map((c) => presenter.caseView(c, lang)),
      total: found.total,
      countText: translate(lang, found.total === 1 ? 'cases.list.count_one' : 'cases.list.count', {
        n: found.total.toLocaleString(lang),
      }),
      range:
        pages > 1
          ? translate(lang, 'cases.list.range', {
              from: (page - 1) * PAGE_SIZE + 1,
              to: (page - 1) * PAGE_SIZE + found.cases.length,
              page,
              pages,
            })
          : undefined,
      hasPager: pages > 1,
      previousHref: page > 1 ? at(page - 1) : undefined,
      nextHref: page < pages ? at(page + 1) : undefined,
      csvHref: `/cases.csv${filterQuery(filter)}`,
      jsonHref: `/api/v1/cases${filterQuery(filter)}`,
    };
  }

  async function detail(id: number, lang: Lang) {
    const found = await cases.get(id);
    if (!found) throw new NotFoundError('cases.errors.not_found');
    const view = presenter.caseView(found, lang);
    return {
      titleKey: 'cases.case.title',
      case: view,
      citation: translate(lang, 'cases.case.citation', {
        id,
        url: `${origin}${localizedPath(lang, `/cases/${id}`)}`,
      }),
    };
  }

  async function map(view: CaseMapView, filter: CaseFilter, lang: Lang) {
    const [counts, years] = await Promise.all([cases.counts(view, filter), cases.years()]);
    const form = presenter.filterForm(filter, years, lang);
    const file = view === 'state' ? 'states' : 'field-offices';
    const rows = maps.rows(view, counts, filter, lang);
    return {
      titleKey: 'cases.map.page_title',
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
      svgHref: `/cases/map/${file}.svg${filterQuery(filter)}`,
      csvHref: `/cases.csv${filterQuery(filter)}`,
      listHref: `/cases${filterQuery(filter)}`,
    };
  }

  async function mapFile(view: CaseMapView, filter: CaseFilter, lang: Lang): Promise<string> {
    const counts = await cases.counts(view, filter);
    return maps.render({
      view,
      counts,
      filter,
      lang,
      standalone: true,
      caption: [translate(lang, 'cases.map.caption', { url: `${origin}/cases` })],
    });
  }

  async function all(filter: CaseFilter) {
    return (await cases.list(filter)).cases;
  }

  return {
    presenter,
    list,
    detail,
    map,
    mapFile,
    csv: async (filter: CaseFilter) => casesCsv(await all(filter), presenter.labeler, origin),
    json: async (filter: CaseFilter) =>
      JSON.stringify(casesJson(await all(filter), presenter.labeler, origin, filter)),
  };
}

export type CasePages = ReturnType<typeof createCasePages>;
