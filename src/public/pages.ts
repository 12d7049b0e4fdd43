import { longDate, translate, type Lang } from '../platform/i18n';
import type { PageResult } from '../platform/send';
import { codebookModel } from './codebook';
import { disclosureHtml } from './disclosure-doc';
import { pageResult } from './freshness';
import { homeView } from './home';
import { datasetJsonLd, jsonLdScript } from './jsonld';
import type { MapSelection } from './map-view';
import { methodologyModel } from './methodology';
import { dataPageModel, releaseHeader } from './release-view';
import { reuseModel } from './reuse';
import { cellView } from './tables-view';
import type { SiteParts } from './site-parts';

// The public site's pages besides the map: the home page, the data pages (a release, the list of
// releases), the codebook and the methodology. Each is a template and the view model it is rendered with.

export interface SitePagesDeps extends SiteParts {
  /** The threshold the methodology quotes before any release is published. */
  defaultThreshold: number;
}

// The Atom feed, for the <head> of the data pages (feed readers find it there).
const feedLink = (lang: Lang) => ({
  href: '/data/releases.atom',
  title: translate(lang, 'public.feed.title'),
});

/** Builds the pages' results over the public site's release resolution and caches. */
export function createSitePages(deps: SitePagesDeps) {
  const { reference, origin, labeler, catalog, resolver, freshness, drawing } = deps;

  async function home(lang: Lang): Promise<PageResult> {
    const r = await resolver.resolve(undefined);
    return pageResult(lang, '/', '', 'public/home', 'home.title', freshness.ofRelease(r), () => {
      const base = homeView(reference, labeler, lang);
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
        map: drawing.inline(r.data, selection, lang, 'home-map'),
        mapHref: `/map?release=${record.label}`,
      };
    });
  }

  async function releasePage(label: string | undefined, lang: Lang): Promise<PageResult> {
    const r = await resolver.resolve(label);
    const path = label ? `/data/releases/${label}` : '/data';
    const version = freshness.ofRelease(r, '', true);
    return pageResult(lang, path, '', 'public/release', 'public.data.title', version, async () => {
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
    const version = freshness.ofList(list, '');
    return pageResult(
      lang,
      '/data/releases',
      '',
      'public/releases',
      'public.releases.title',
      version,
      () => ({
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
      }),
    );
  }

  function codebook(lang: Lang): Promise<PageResult> {
    return Promise.resolve(
      pageResult(lang, '/codebook', '', 'public/codebook', 'public.codebook.title', freshness.static, () =>
        codebookModel(labeler, lang),
      ),
    );
  }

  async function methodology(lang: Lang): Promise<PageResult> {
    const latest = await catalog.latest();
    const threshold = latest?.threshold ?? deps.defaultThreshold;
    const version = freshness.ofMethodology(latest);
    return pageResult(
      lang,
      '/methodology',
      '',
      'public/methodology',
      'public.methodology.title',
      version,
      () => methodologyModel(reference, labeler, lang, threshold),
    );
  }

  function disclosure(lang: Lang): Promise<PageResult> {
    return Promise.resolve(
      pageResult(
        lang,
        '/methodology/disclosure',
        '',
        'public/disclosure',
        'public.disclosure.title',
        freshness.static,
        () => ({ doc: disclosureHtml() }),
      ),
    );
  }

  return { home, releasePage, releaseList, codebook, methodology, disclosure };
}
