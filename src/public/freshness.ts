import type { Lang } from '../platform/i18n';
import type { Freshness, PageResult } from '../platform/send';
import type { ReleaseRecord } from '../releases/read';
import { MAX_AGE, releaseTag } from './cache';
import type { Resolved } from './release-resolver';

// Which version of a public answer a request gets: its ETag (the deploy's fingerprint, the release and
// what was asked of it), how long browsers and proxies may keep it, and the key it is cached under here.
// Releases are frozen, so a version, once built, is sent again byte for byte.

/** The ETags and max-ages of the public site, under the deploy's fingerprint (platform/fingerprint.ts). */
export function createFreshness(fingerprint: string) {
  return {
    /**
     * Anything built from a request's release. A pinned page (not a file) says whether its release is the
     * latest and lists the others: it is a new version when a newer release is published, whichever
     * instance published it.
     */
    ofRelease: (r: Resolved | undefined, variant = '', isPage = false): Freshness => ({
      etag: releaseTag(
        fingerprint,
        r?.data.record,
        isPage && r?.pinned ? `${variant}${variant ? '-' : ''}of-${r.latest.label}` : variant,
      ),
      maxAge: r?.pinned ? MAX_AGE.pinned : MAX_AGE.latest,
    }),

    /** Anything built from the list of releases (newest first): a new version with every release. */
    ofList: (list: readonly ReleaseRecord[], variant: string): Freshness => ({
      etag: releaseTag(fingerprint, list[0], `${variant}n${list.length}`),
      maxAge: MAX_AGE.latest,
    }),

    /** The methodology quotes the latest release's threshold. */
    ofMethodology: (latest: ReleaseRecord | undefined): Freshness => ({
      etag: releaseTag(fingerprint, latest, 'method'),
      maxAge: MAX_AGE.static,
    }),

    /** Pages that change only with a deploy. */
    static: { etag: `"${fingerprint}-static"`, maxAge: MAX_AGE.static } satisfies Freshness,

    /** The shape sprite: kept for good when asked for at its current fingerprinted address. */
    ofShapes: (current: string, requested: string | undefined): Freshness => ({
      etag: `"${fingerprint}-shapes-${current}"`,
      maxAge: requested === current ? MAX_AGE.fingerprinted : MAX_AGE.static,
    }),
  };
}

export type SiteFreshness = ReturnType<typeof createFreshness>;

/** A page to render, cached whole under its language, address (path and canonical query) and version. */
export function pageResult(
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
