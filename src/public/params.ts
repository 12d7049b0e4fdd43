import { z } from 'zod';
import type { ParseMessages } from '../platform/parse';
import { RELEASE_LABEL } from '../releases/label';

// What the public data routes accept. Every schema is strict: the public can only select published
// cells, so an unknown parameter or value is refused (400) rather than ignored, and a typo never
// silently shows some other table.

// Empty values count as absent, as a form's "any" option sends them.
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const label = z.string().regex(RELEASE_LABEL);
const view = z.enum(['state', 'field_office']);
// Shapes only; whether the release holds that year or code is checked against the release itself.
const year = z.string().regex(/^[0-9A-Za-z-]{1,16}$/);
const code = z.string().regex(/^[a-z0-9_]{1,48}$/);
// A map of the change since the previous release instead of the counts (the only comparison offered).
const compare = z.enum(['previous']);
// The map form's single filter select ('year:2024', 'action:arrest'): it redirects to the canonical URL.
const filter = z.string().regex(/^(year:[0-9A-Za-z-]{1,16}|action:[a-z0-9_]{1,48})$/);

export const MapQuery = z
  .object({
    release: optional(label),
    view: optional(view),
    year: optional(year),
    action: optional(code),
    filter: optional(filter),
    compare: optional(compare),
  })
  .strict()
  .refine((q) => [q.year, q.action, q.filter].filter(Boolean).length <= 1, {
    message: 'public.errors.one_filter',
  });
export type MapQuery = z.infer<typeof MapQuery>;
export type MapViewName = z.infer<typeof view>;

/** The standalone maps take the same query; `view`, if given, must match the file asked for. */
export const MapFileQuery = z
  .object({
    release: optional(label),
    view: optional(view),
    year: optional(year),
    action: optional(code),
    compare: optional(compare),
  })
  .strict()
  .refine((q) => !(q.year && q.action), { message: 'public.errors.one_filter' });
export type MapFileQuery = z.infer<typeof MapFileQuery>;

/** The map shapes take their version (the sprite's fingerprint) and nothing else. */
export const ShapesQuery = z.object({ v: optional(z.string().regex(/^[0-9a-f]{12}$/)) }).strict();

/** Routes that take no parameters at all. */
export const NoQuery = z.object({}).strict();

/**
 * What a refused query says (parse it with platform/parse.ts parseOrThrow): an unknown parameter, or a
 * bad value; a refinement's own public.* key (public.errors.one_filter) says itself.
 */
export const QUERY_ERRORS: ParseMessages = {
  unknownKey: 'public.errors.unknown_parameter',
  badValue: 'public.errors.bad_value',
};
