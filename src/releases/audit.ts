// The disclosure audit as the rest of the app sees it: the shape of a release's cells, and the gate.
export type { CellStatus, ReleaseCell } from './disclosure/types';
export { auditSeries, type GateFailure, type GateVerdict } from './disclosure/gate';
