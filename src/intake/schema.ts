import { z } from 'zod';
import { MAX_RECEIPT_INPUT_LENGTH } from './receipt';
import { MAX_SEALED_CHARACTERS } from '../reports/seal';
import {
  codedFieldsProblem,
  FIRST_YEAR,
  monthInRange,
  type CodedFieldProblem,
} from '../reports/coded-fields';
import { codesOf, officesForState } from '../reference/lookup';
import type { CodeKind, Reference } from '../reference/types';
import { isoDay } from '../platform/dates';
import { field, list, text } from './form-body';

// The report form, the receipt form and the message form: what each field may hold, checked against
// allow-lists from the reference tables. Every error is a translation key, shown next to its field in
// the page's language. Nothing here throws on input, whatever the body.

/** The form's field names, in page order (the error summary follows it). */
export const REPORT_FIELDS = [
  'state',
  'field_office',
  'county',
  'month',
  'year',
  'action',
  'activism',
  'role',
  'evidence',
  'narrative',
  'consent',
  'website',
] as const;
export type ReportField = (typeof REPORT_FIELDS)[number];

/** The answers as typed, kept to re-render the form after an error (strings and string lists only). */
export interface ReportFormValues {
  state: string;
  field_office: string;
  county: string;
  month: string;
  year: string;
  action: string[];
  activism: string[];
  role: string;
  evidence: string[];
  narrative: string;
  consent: boolean;
  website: string;
}

/** A valid report, ready to store; the county has been used to settle the office and is gone. */
export interface ReportAnswers {
  state: string;
  fieldOffice: string | null;
  /** First day of the incident month, YYYY-MM-01. */
  incidentMonth: string;
  targetRole: string;
  actionTypes: string[];
  activismTypes: string[];
  evidenceTypes: string[];
  narrative: string | null;
  consentToCount: true;
}

export type FieldErrors<F extends string> = Partial<Record<F, string>>;

export type Parsed<T, V, F extends string> =
  { ok: true; data: T; values: V } | { ok: false; errors: FieldErrors<F>; values: V };

/** Reads the answers a body holds for re-rendering; wrong types become empty answers. */
export function reportFormValues(body: unknown): ReportFormValues {
  return {
    state: text(field(body, 'state')),
    field_office: text(field(body, 'field_office')),
    county: text(field(body, 'county')),
    month: text(field(body, 'month')),
    year: text(field(body, 'year')),
    action: list(field(body, 'action')),
    activism: list(field(body, 'activism')),
    role: text(field(body, 'role')),
    evidence: list(field(body, 'evidence')),
    narrative: text(field(body, 'narrative')),
    consent: field(body, 'consent') === 'yes',
    website: text(field(body, 'website')),
  };
}

/** Counts code points, as the sealing step does, so a limit counted in UTF-16 units is never looser. */
export function characterCount(value: string): number {
  return [...value].length;
}

function oneOf(allowed: ReadonlySet<string>, error: string) {
  return z.string({ error }).refine((value) => allowed.has(value), { error });
}

function someOf(allowed: ReadonlySet<string>, error: string) {
  // One answer arrives as a string and several as an array; duplicates count once.
  return z.preprocess(
    (value) => (typeof value === 'string' ? [value] : Array.isArray(value) ? [...new Set(value)] : value),
    z
      .array(z.string({ error }), { error })
      .min(1, { error })
      .refine((values) => values.every((value) => allowed.has(value)), { error }),
  );
}

// Where a problem found by the shared coded-fields schema is shown on this form, and how it reads.
const PROBLEM_FIELDS: Record<CodedFieldProblem, [ReportField, string]> = {
  state: ['state', 'intake.errors.state'],
  field_office: ['field_office', 'intake.errors.office_state'],
  month: ['month', 'intake.errors.month'],
  month_range: ['month', 'intake.errors.month_range'],
  target_role: ['role', 'intake.errors.role'],
  action_types: ['action', 'intake.errors.action'],
  activism_types: ['activism', 'intake.errors.activism'],
  evidence_types: ['evidence', 'intake.errors.evidence'],
};

/** Builds the report form's schema for the reference data and today's date (no future months). */
export function reportFormSchema(reference: Reference, today: Date) {
  const codes = (kind: CodeKind) => new Set(codesOf(reference, kind).map((code) => code.code));
  const states = new Set(reference.states.map((state) => state.usps));
  const offices = new Set(reference.offices.map((office) => office.code));
  const counties = new Map(reference.splitCounties.map((county) => [county.countyFips, county]));
  const optional = (allowed: ReadonlySet<string>, error: string) =>
    z.union([z.literal(''), oneOf(allowed, error)], { error }).optional();

  return (
    z
      .object({
        state: oneOf(states, 'intake.errors.state'),
        field_office: optional(offices, 'intake.errors.field_office'),
        county: optional(new Set(counties.keys()), 'intake.errors.county'),
        month: z
          .string({ error: 'intake.errors.month' })
          .regex(/^(?:[1-9]|1[0-2])$/, { error: 'intake.errors.month' }),
        year: z.string({ error: 'intake.errors.year' }).regex(/^\d{4}$/, { error: 'intake.errors.year' }),
        action: someOf(codes('action_type'), 'intake.errors.action'),
        activism: someOf(codes('activism_type'), 'intake.errors.activism'),
        role: oneOf(codes('target_role'), 'intake.errors.role'),
        evidence: someOf(codes('evidence_type'), 'intake.errors.evidence'),
        narrative: z
          .string({ error: 'intake.errors.narrative' })
          .refine((value) => characterCount(value) <= MAX_SEALED_CHARACTERS, {
            error: 'intake.errors.narrative_length',
          })
          .optional(),
        consent: z.literal('yes', { error: 'intake.errors.consent' }),
        // The honeypot: people never see it; a bot that fills every field gets an error, never a receipt.
        website: z.literal('', { error: 'intake.errors.website' }).optional(),
      })
      .superRefine((form, ctx) => {
        const year = Number(form.year);
        if (!monthInRange(year, Number(form.month), today)) {
          const path = year < FIRST_YEAR || year > today.getUTCFullYear() ? 'year' : 'month';
          ctx.addIssue({ code: 'custom', path: [path], message: 'intake.errors.month_range' });
        }
        const settled = settleOffice(reference, form.state, form.field_office ?? '', form.county ?? '');
        if (!settled.ok) ctx.addIssue({ code: 'custom', path: [settled.field], message: settled.error });
      })
      .transform((form): ReportAnswers => ({
        state: form.state,
        fieldOffice: settledOffice(reference, form.state, form.field_office ?? '', form.county ?? ''),
        incidentMonth: `${form.year}-${form.month.padStart(2, '0')}-01`,
        targetRole: form.role,
        actionTypes: form.action,
        activismTypes: form.activism,
        evidenceTypes: form.evidence,
        narrative: form.narrative?.trim() ? form.narrative.trim() : null,
        consentToCount: true,
      }))
      // The rules every stored report obeys, shared with the desk's correction form: nothing the form
      // checks above may let through what the shared schema refuses.
      .superRefine((answers, ctx) => {
        const problem = codedFieldsProblem(reference, answers, today);
        if (!problem) return;
        const [path, message] = PROBLEM_FIELDS[problem];
        ctx.addIssue({ code: 'custom', path: [path], message });
      })
  );
}

type Settled = { ok: true; office: string | null } | { ok: false; field: ReportField; error: string };

/**
 * Works out the field office from the state, the office chosen and (for states split between offices)
 * the county. A single-office state settles itself; "I don't know" stays null where it does not.
 */
export function settleOffice(reference: Reference, state: string, office: string, county: string): Settled {
  const covering = officesForState(reference, state);
  if (county !== '') {
    const match = reference.splitCounties.find((candidate) => candidate.countyFips === county);
    if (!match || match.state !== state)
      return { ok: false, field: 'county', error: 'intake.errors.county_state' };
    if (office !== '' && office !== match.office) {
      return { ok: false, field: 'field_office', error: 'intake.errors.office_county' };
    }
    return { ok: true, office: match.office };
  }
  if (office !== '') {
    if (!covering.includes(office))
      return { ok: false, field: 'field_office', error: 'intake.errors.office_state' };
    return { ok: true, office };
  }
  return { ok: true, office: covering.length === 1 ? (covering[0] ?? null) : null };
}

function settledOffice(reference: Reference, state: string, office: string, county: string): string | null {
  const settled = settleOffice(reference, state, office, county);
  return settled.ok ? settled.office : null;
}

// Building the schema costs more than using it; it changes only with the reference data and the day.
const schemas = new WeakMap<Reference, { day: string; schema: ReturnType<typeof reportFormSchema> }>();

function cachedSchema(reference: Reference, today: Date): ReturnType<typeof reportFormSchema> {
  const day = isoDay(today);
  const cached = schemas.get(reference);
  if (cached?.day === day) return cached.schema;
  const schema = reportFormSchema(reference, today);
  schemas.set(reference, { day, schema });
  return schema;
}

/** Parses a report form body: the answers, or an error key per field. */
export function parseReportForm(
  reference: Reference,
  body: unknown,
  today: Date,
): Parsed<ReportAnswers, ReportFormValues, ReportField> {
  const values = reportFormValues(body);
  const raw = Object.fromEntries(REPORT_FIELDS.map((name) => [name, field(body, name)]));
  const parsed = cachedSchema(reference, today).safeParse(raw);
  if (parsed.success) return { ok: true, data: parsed.data, values };
  return { ok: false, errors: firstErrors(parsed.error.issues), values };
}

function firstErrors<F extends string>(issues: readonly z.core.$ZodIssue[]): FieldErrors<F> {
  const errors: FieldErrors<F> = {};
  for (const issue of issues) {
    const name = issue.path[0];
    if (typeof name !== 'string' || name in errors) continue;
    errors[name as F] = /^(intake|status)\.errors\./.test(issue.message)
      ? issue.message
      : `intake.errors.${name}`;
  }
  return errors;
}

const receiptField = z
  .string({ error: 'status.errors.receipt' })
  .min(1, { error: 'status.errors.receipt' })
  .max(MAX_RECEIPT_INPUT_LENGTH, { error: 'status.errors.receipt' });

/** POST /status: the receipt as typed (normalized later, in constant work). */
export const StatusForm = z.object({ receipt: receiptField });

/** POST /status/messages: a follow-up message (the receipt is opened like POST /status). */
export const MessageForm = z.object({
  message: z
    .string({ error: 'status.errors.message' })
    .trim()
    .min(1, { error: 'status.errors.message' })
    .refine((value) => characterCount(value) <= MAX_SEALED_CHARACTERS, {
      error: 'status.errors.message_length',
    }),
});

/** Parses a small form (status, message) into its data or an error key per field. */
export function parseForm<S extends z.ZodObject>(
  schema: S,
  body: unknown,
): { ok: true; data: z.infer<S> } | { ok: false; errors: FieldErrors<string> } {
  const raw = Object.fromEntries(Object.keys(schema.shape).map((name) => [name, field(body, name)]));
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, data: parsed.data };
  return { ok: false, errors: firstErrors(parsed.error.issues) };
}
