import type { Knex } from 'knex';
import { bodySize, type Body } from '../platform/body';
import type { Config } from '../platform/config';
import type { FrozenResponses } from '../platform/frozen';
import type { Reference } from '../reference/types';
import { ByteLru } from '../platform/byte-cache';
import { buildFingerprint } from '../platform/fingerprint';
import { createReleaseCatalog } from './catalog';
import { createSiteFiles } from './files';
import { createFreshness } from './freshness';
import { labelerFor } from '../reference/labeler';
import { createMapDrawing } from './map-drawing';
import { createMapPage } from './map-page';
import { createSitePages } from './pages';
import { createReleaseResolver } from './release-resolver';
import { createResearch } from './research';

// The public site's service: which release a request means, and what to send for it. Routes turn these
// results into HTTP (platform/send.ts); everything here reads releases only (promise 6), and everything
// built from a release is cached, because a release never changes. This file only puts the parts
// together: release resolution, versions, map drawing, and the pages and files built from them.

export interface PublicSiteOptions {
  /** How long the list of releases is trusted before it is read again; 0 reads it on every request. */
  releaseListTtlMs?: number;
  /** Memory for cached pages and files, in bytes. */
  cacheBytes?: number;
  /** Whole responses for the app's first middleware (platform/frozen.ts); kept current here. False: none. */
  frozen?: FrozenResponses | false;
}

/** Builds the public site's service once per app. */
export function createPublicSite(deps: {
  db: Knex;
  reference: Reference;
  config: Pick<Config, 'origin' | 'DISCLOSURE_THRESHOLD' | 'NODE_ENV'>;
  options: PublicSiteOptions;
}) {
  const { reference } = deps;
  const { origin, DISCLOSURE_THRESHOLD: defaultThreshold } = deps.config;
  const labeler = labelerFor(reference);
  const frozen = deps.options.frozen || undefined;
  // Every public answer depends on the list of releases (the latest, the picker, "is this the latest?"):
  // frozen responses are served only while the list is fresh, and forgotten when it changes.
  const catalog = createReleaseCatalog({
    db: deps.db,
    // Tests publish releases while the app runs, so they read the list of releases every time.
    ttlMs: deps.options.releaseListTtlMs ?? (deps.config.NODE_ENV === 'test' ? 0 : 5000),
    ...(frozen ? { onChange: () => frozen.clear() } : {}),
  });
  frozen?.setCurrent(() => catalog.isFresh());
  const cacheBytes = deps.options.cacheBytes ?? 64 * 1024 * 1024;
  // Rendered pages and built files share one budget between them.
  const pages = new ByteLru<Body>(cacheBytes / 2, bodySize);
  const files = new ByteLru<Body>(cacheBytes / 2, bodySize);

  const resolver = createReleaseResolver(catalog);
  const freshness = createFreshness(buildFingerprint(reference));
  const drawing = createMapDrawing(reference, labeler);
  const parts = { reference, origin, labeler, catalog, resolver, freshness, drawing };

  return {
    pages,
    files,
    ...(frozen ? { frozen } : {}),
    ...createSitePages({ ...parts, defaultThreshold }),
    ...createMapPage(parts),
    ...createSiteFiles(parts),
    ...createResearch(parts),
  };
}

export type PublicSite = ReturnType<typeof createPublicSite>;
