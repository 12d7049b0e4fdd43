import { UNKNOWN_OFFICE } from '../reference/dimensions';

// The public record's types: already-public cases with their sources. Nothing here refers to a report or
// a release; the two datasets are kept apart by design (see the migrations).

/** The office key for "the sources do not say which office": the labeler's and the release tables' own. */
export const UNKNOWN_OFFICE_KEY = UNKNOWN_OFFICE;

export const SOURCE_KINDS = ['news', 'court_record', 'foia', 'published_report', 'other'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** A YYYY-MM-DD calendar date. */
export type IsoDate = string;

export interface CaseSource {
  /** A well-formed https URL, as the URL parser serializes it. */
  url: string;
  title: string;
  publisher: string | null;
  publishedOn: IsoDate | null;
  kind: SourceKind;
}

/** What the desk or the importer gives for one case: everything but its id, version and retraction. */
export interface CaseFields {
  /** First of the month. */
  month: IsoDate;
  state: string;
  fieldOffice: string | null;
  actionTypes: string[];
  activismTypes: string[];
  targetRole: string;
  summaryEn: string;
  summaryEs: string | null;
  sources: CaseSource[];
}

export interface Retraction {
  on: IsoDate;
  reasonEn: string;
  reasonEs: string | null;
}

export interface PublicCase extends CaseFields {
  id: number;
  version: number;
  retraction: Retraction | null;
}

/** Filters of the public list, the downloads and the map; each already checked against the reference. */
export interface CaseFilter {
  state?: string | undefined;
  office?: string | undefined;
  action?: string | undefined;
  year?: string | undefined;
}

/** A refused value: which field, and a translation key (with its placeholders) saying why. */
export interface Problem {
  field: string;
  key: string;
  params?: Record<string, string | number>;
}

export const LIMITS = {
  summary: 1200,
  title: 300,
  publisher: 200,
  reason: 600,
  url: 2048,
  sourcesPerCase: 20,
  codesPerKind: 20,
} as const;
