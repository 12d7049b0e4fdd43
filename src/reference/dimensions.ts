import { CODE_KINDS, type CodeKind } from './types';

// The dimensions a count can be broken down by (DESIGN section 6): places never finer than a state or a
// field office, time never finer than a quarter, and the four code lists. They belong to the reference
// data, not to releases: the labeler, the public record and the release tables all key on them.

export type GeoDimension = 'state' | 'field_office';
export type TimeDimension = 'year' | 'quarter';
export type Dimension = GeoDimension | TimeDimension | CodeKind;

/** The key used in the field-office dimension for reports whose office the state does not settle. */
export const UNKNOWN_OFFICE = 'unknown';

/** Whether a dimension is one of the four code lists, so callers can tell code tables from geography and time. */
export function isCodeKind(dimension: Dimension): dimension is CodeKind {
  return (CODE_KINDS as readonly string[]).includes(dimension);
}
