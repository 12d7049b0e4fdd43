// What other capabilities may read of releases: the frozen releases and their cells, nothing of how they
// are computed or written. The public site reads releases through this alone, and releases hold only
// counts, never reports (promise 6).
export type { ReleaseCell } from './audit';
export { listReleases, loadReleaseCells, type ReleaseRecord } from './store';
