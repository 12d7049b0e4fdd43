import { z } from 'zod';
import { BadRequestError, NotFoundError } from '../platform/errors';
import { parseOrThrow, type ParseMessages } from '../platform/parse';
import { codesOf } from '../reference/lookup';
import type { Reference } from '../reference/types';
import { UNKNOWN_OFFICE_KEY, type CaseFilter } from './types';

// What the public record's pages and downloads accept in their query. Strict, like the data routes: an
// unknown parameter or a value outside the reference lists is a 400 with a translated message, never
// silently ignored (a typo must not quietly show every case as if it were the filtered list).

// Empty values count as absent, as a form's "any" option sends them.
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const text = z.string().max(64);

const Filters = {
  state: optional(text),
  office: optional(text),
  action: optional(text),
  year: optional(text),
};

export const ListQuery = z
  .object({ ...Filters, page: optional(z.string().regex(/^[1-9]\d{0,4}$/)) })
  .strict();
export const DownloadQuery = z.object(Filters).strict();
export const MapQuery = z
  .object({ view: optional(z.enum(['state', 'field_office'])), year: Filters.year, action: Filters.action })
  .strict();
export const MapFileQuery = z.object({ year: Filters.year, action: Filters.action }).strict();
export const NoQuery = z.object({}).strict();

const QUERY_ERRORS: ParseMessages = {
  unknownKey: 'cases.errors.query_parameter',
  badValue: 'cases.errors.query_value',
};

/** Parses a query with one of the schemas above (platform/parse.ts), or throws a 400 saying what was wrong. */
export function parseCaseQuery<S extends z.ZodType>(schema: S, query: unknown): z.infer<S> {
  return parseOrThrow(schema, query ?? {}, QUERY_ERRORS);
}

/** Checks filter values against the reference lists; a value no case could ever have is a 400. */
export function checkFilter(reference: Reference, query: CaseFilter): CaseFilter {
  const filter: CaseFilter = {};
  if (query.state !== undefined) {
    const state = query.state.toUpperCase();
    if (!reference.states.some((s) => s.usps === state))
      throw new BadRequestError('cases.errors.query_state');
    filter.state = state;
  }
  if (query.office !== undefined) {
    const office = query.office === UNKNOWN_OFFICE_KEY ? query.office : query.office.toUpperCase();
    if (office !== UNKNOWN_OFFICE_KEY && !reference.offices.some((o) => o.code === office))
      throw new BadRequestError('cases.errors.query_office');
    filter.office = office;
  }
  if (query.action !== undefined) {
    if (!codesOf(reference, 'action_type').some((c) => c.code === query.action))
      throw new BadRequestError('cases.errors.query_action');
    filter.action = query.action;
  }
  if (query.year !== undefined) {
    if (!/^(19[89]\d|2\d{3})$/.test(query.year)) throw new BadRequestError('cases.errors.query_year');
    filter.year = query.year;
  }
  return filter;
}

const QUERY_ORDER = ['view', 'state', 'office', 'action', 'year', 'page'] as const;

/** The canonical query string ('' or '?…') of a filter and the page's own keys, in one fixed order. */
export function filterQuery(
  values: CaseFilter & { view?: string | undefined; page?: string | undefined },
): string {
  const params = new URLSearchParams();
  for (const key of QUERY_ORDER) {
    const value = values[key];
    if (value) params.set(key, value);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** A case number from the path; anything else is a page that does not exist. */
export function caseIdParam(raw: unknown): number {
  const text = String(raw);
  if (!/^[1-9]\d{0,9}$/.test(text) || Number(text) > 2_147_483_647)
    throw new NotFoundError('cases.errors.not_found');
  return Number(text);
}
