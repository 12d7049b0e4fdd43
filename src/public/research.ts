import { createHash } from 'node:crypto';
import { NotFoundError } from '../platform/errors';
import type { Lang } from '../platform/i18n';
import type { FileResult, PageResult } from '../platform/send';
import { MAX_AGE } from './cache';
import type { ReleaseData } from './catalog';
import { changesCsv, changesPageModel } from './changes-view';
import { codebookCsv } from './csv';
import { dataPackageJson } from './datapackage';
import { releasesFeed } from './feed';
import { attachment } from './files';
import { pageResult } from './freshness';
import { toMapReference } from '../maps/reference';
import type { Boundaries } from '../maps/boundaries';
import { loadBoundaries } from '../maps/prebuilt';
import type { Resolved } from './release-resolver';
import { releaseHeader } from './release-view';
import type { SiteParts } from './site-parts';

// What researchers' tools read beside the pages: each release's data package and codebook, the changes
// since the previous release (page and CSV), the Atom feed of releases, and the map boundaries as
// GeoJSON. All of it is built from frozen releases or fixed geometry, and cached like every public file.

export type ResearchDeps = Omit<SiteParts, 'drawing'>;

export const BOUNDARY_FILES = {
  'states.geojson': 'states',
  'field-offices.geojson': 'fieldOffices',
} as const satisfies Record<string, keyof Boundaries>;

const isBoundaryFile = (file: string): file is keyof typeof BOUNDARY_FILES =>
  Object.hasOwn(BOUNDARY_FILES, file);

/** Builds the research files' service over the public site's catalog and caches. */
export function createResearch(deps: ResearchDeps) {
  const { reference, origin, labeler, catalog, resolver, freshness } = deps;

  // The boundaries as GeoJSON text, read once (prebuilt by maps:build) and kept as text: the parsed
  // coordinates would hold several times the memory. Each file's ETag is a hash of its bytes, so a
  // rebuilt file is never mistaken for the old one.
  let boundaryTexts: Record<keyof Boundaries, { text: string; hash: string }> | undefined;
  function boundaryText(which: keyof Boundaries): { text: string; hash: string } {
    if (!boundaryTexts) {
      const { boundaries } = loadBoundaries(toMapReference(reference));
      const entry = (text: string) => ({
        text,
        hash: createHash('sha256').update(text).digest('base64url').slice(0, 12),
      });
      boundaryTexts = {
        states: entry(JSON.stringify(boundaries.states)),
        fieldOffices: entry(JSON.stringify(boundaries.fieldOffices)),
      };
    }
    return boundaryTexts[which];
  }

  // The release a release's changes are measured against, with its data; undefined for the first one.
  async function previousOf(r: Resolved): Promise<ReleaseData | undefined> {
    const record = await catalog.previous(r.data.record);
    return record ? catalog.data(record) : undefined;
  }

  async function dataPackageFile(label: string): Promise<FileResult> {
    const r = await resolver.resolve(label);
    const { record } = r.data;
    return {
      kind: 'file',
      type: 'application/json; charset=utf-8',
      key: `datapackage|${record.id}`,
      freshness: freshness.ofRelease(r, 'datapackage'),
      build: () => dataPackageJson(r.data, reference, origin),
    };
  }

  async function codebookFile(label: string): Promise<FileResult> {
    const r = await resolver.resolve(label);
    return {
      kind: 'file',
      type: 'text/csv; charset=utf-8; header=present',
      key: 'codebook-csv',
      freshness: freshness.ofRelease(r, 'codebook'),
      disposition: attachment(r.data.record.label, 'codebook.csv'),
      build: () => codebookCsv(labeler),
    };
  }

  async function changesFile(label: string): Promise<FileResult> {
    const r = await resolver.resolve(label);
    const previous = await previousOf(r);
    const { record } = r.data;
    return {
      kind: 'file',
      type: 'text/csv; charset=utf-8; header=present',
      key: `changes-csv|${record.id}|${previous?.record.id ?? 0}`,
      freshness: freshness.ofRelease(r, `changes-${previous?.record.label ?? 'none'}`),
      disposition: attachment(record.label, 'changes.csv'),
      build: () => changesCsv(previous, r.data, labeler),
    };
  }

  async function changesPage(label: string, lang: Lang): Promise<PageResult> {
    const r = await resolver.resolve(label);
    const previous = await previousOf(r);
    const path = `/data/releases/${label}/changes`;
    const version = freshness.ofRelease(r, `changes-${previous?.record.label ?? 'none'}`, true);
    return pageResult(lang, path, '', 'public/changes', 'public.changes.page_title', version, () => ({
      release: releaseHeader(r.data.record, lang, origin),
      ...changesPageModel(previous, r.data, labeler, lang),
    }));
  }

  async function feed(lang: Lang): Promise<FileResult> {
    const list = await catalog.list();
    return {
      kind: 'file',
      type: 'application/atom+xml; charset=utf-8',
      key: `atom|${lang}|${list[0]?.id ?? 0}|${list.length}`,
      freshness: freshness.ofList(list, `atom-${lang}-`),
      build: () => releasesFeed(list, lang, origin),
    };
  }

  function boundaryFile(file: string): FileResult {
    if (!isBoundaryFile(file)) throw new NotFoundError('public.errors.boundary_not_found');
    const { text, hash } = boundaryText(BOUNDARY_FILES[file]);
    return {
      kind: 'file',
      type: 'application/geo+json',
      key: `geojson|${file}|${hash}`,
      freshness: { etag: `"${hash}-${file}"`, maxAge: MAX_AGE.static },
      disposition: `inline; filename="represalia-${file}"`,
      build: () => text,
    };
  }

  return { dataPackageFile, codebookFile, changesFile, changesPage, feed, boundaryFile };
}
