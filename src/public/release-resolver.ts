import { NotFoundError } from '../platform/errors';
import type { ReleaseRecord } from '../releases/read';
import type { ReleaseCatalog, ReleaseData } from './catalog';

// Which release a request means: the one its label names (pinned), or the latest when it names none.
// Everything is read through the catalog, which keeps the list of releases and their cells.

/** A request's release, with the latest one (a pinned page says whether it is the latest). */
export interface Resolved {
  data: ReleaseData;
  latest: ReleaseRecord;
  pinned: boolean;
}

export interface ReleaseResolver {
  /** The release a label names (404 when there is none), or the latest (undefined before the first). */
  resolve(label: string): Promise<Resolved>;
  resolve(label: string | undefined): Promise<Resolved | undefined>;
  /** The release a change map compares with; the first release has none to compare with (404). */
  comparedWith(r: Resolved): Promise<ReleaseData>;
}

export function createReleaseResolver(catalog: ReleaseCatalog): ReleaseResolver {
  function resolve(label: string): Promise<Resolved>;
  function resolve(label: string | undefined): Promise<Resolved | undefined>;
  async function resolve(label: string | undefined): Promise<Resolved | undefined> {
    const latest = await catalog.latest();
    if (label === undefined)
      return latest ? { data: await catalog.data(latest), latest, pinned: false } : undefined;
    const record = await catalog.find(label);
    if (!record) throw new NotFoundError('public.errors.release_not_found');
    return { data: await catalog.data(record), latest: latest ?? record, pinned: true };
  }

  async function comparedWith(r: Resolved): Promise<ReleaseData> {
    const record = await catalog.previous(r.data.record);
    if (!record) throw new NotFoundError('public.errors.no_previous_release');
    return catalog.data(record);
  }

  return { resolve, comparedWith };
}
