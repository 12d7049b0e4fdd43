import type { Labeler } from '../reference/labeler';
import type { Reference } from '../reference/types';
import type { ReleaseCatalog } from './catalog';
import type { SiteFreshness } from './freshness';
import type { MapDrawing } from './map-drawing';
import type { ReleaseResolver } from './release-resolver';

/**
 * What every part of the public site (pages, the map page, files, research outputs) is built from:
 * site.ts builds each once and hands the same ones to all, so they share one list of releases, one set
 * of caches and one labeler.
 */
export interface SiteParts {
  reference: Reference;
  origin: string;
  labeler: Labeler;
  catalog: ReleaseCatalog;
  resolver: ReleaseResolver;
  freshness: SiteFreshness;
  drawing: MapDrawing;
}
