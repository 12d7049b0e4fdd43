import { z } from 'zod';
import { codesOf, officesForState } from '../reference/lookup';
import type { CodeKind, Reference } from '../reference/types';
import type { CodedFields } from './types';

// What a report's coded answers may hold, in one schema for everyone who writes them: intake (after its
// form is read) and the desk's correction form. Two copies drifted once: the desk saved month 2099-12,
// which every later release then refused. Every value comes from the reference lists; the office covers
// the state; a single-office state names its office; at least one code of each list; and the incident
// month lies between January FIRST_YEAR and the current month.

export const FIRST_YEAR = 2000;

export type { CodedFields } from './types';

/** Which rule a value broke, by field: callers turn it into their own translated message. */
export type CodedFieldProblem =
  | 'state'
  | 'field_office'
  | 'month'
  | 'month_range'
  | 'target_role'
  | 'action_types'
  | 'activism_types'
  | 'evidence_types';

/** The month as one number (year × 12 + month − 1), for range checks. */
export function monthIndex(year: number, month: number): number {
  return year * 12 + month - 1;
}

/** Whether an incident month is between January FIRST_YEAR and the month of `today` (UTC). */
export function monthInRange(year: number, month: number, today: Date): boolean {
  const latest = monthIndex(today.getUTCFullYear(), today.getUTCMonth() + 1);
  return year >= FIRST_YEAR && month >= 1 && month <= 12 && monthIndex(year, month) <= latest;
}

/** The schema of coded fields for the reference data and today's date; issue messages are problems. */
export function codedFieldsSchema(reference: Reference, today: Date) {
  const allowed = (kind: CodeKind) => new Set(codesOf(reference, kind).map((code) => code.code));
  const list = (kind: CodeKind, problem: CodedFieldProblem) => {
    const codes = allowed(kind);
    return z
      .array(z.string(), { error: problem })
      .min(1, { error: problem })
      .refine((values) => values.every((value) => codes.has(value)), { error: problem });
  };
  const roles = allowed('target_role');
  return z
    .object({
      state: z.string({ error: 'state' }).refine((usps) => officesForState(reference, usps).length > 0, {
        error: 'state',
      }),
      fieldOffice: z.string({ error: 'field_office' }).nullable(),
      incidentMonth: z
        .string({ error: 'month' })
        .regex(/^\d{4}-(0[1-9]|1[0-2])-01$/, { error: 'month' })
        .refine((value) => monthInRange(Number(value.slice(0, 4)), Number(value.slice(5, 7)), today), {
          error: 'month_range',
        }),
      targetRole: z
        .string({ error: 'target_role' })
        .refine((role) => roles.has(role), { error: 'target_role' }),
      actionTypes: list('action_type', 'action_types'),
      activismTypes: list('activism_type', 'activism_types'),
      evidenceTypes: list('evidence_type', 'evidence_types'),
    })
    .refine(
      (fields) => {
        const offices = officesForState(reference, fields.state);
        // "Don't know" is allowed only where the state does not settle the office by itself.
        if (offices.length === 0) return true;
        return fields.fieldOffice === null ? offices.length > 1 : offices.includes(fields.fieldOffice);
      },
      {
        path: ['fieldOffice'],
        error: 'field_office',
        // Checked even when other fields are wrong, so the office error is never hidden behind them.
        when: (payload) => {
          const value = payload.value as Partial<CodedFields> | undefined;
          return (
            typeof value?.state === 'string' &&
            (value.fieldOffice === null || typeof value.fieldOffice === 'string')
          );
        },
      },
    );
}

/** The first problem of coded fields, in the order above, or null when they may be stored. */
export function codedFieldsProblem(
  reference: Reference,
  fields: CodedFields,
  today: Date,
): CodedFieldProblem | null {
  const parsed = codedFieldsSchema(reference, today).safeParse(fields);
  if (parsed.success) return null;
  const order: CodedFieldProblem[] = [
    'state',
    'field_office',
    'month',
    'month_range',
    'target_role',
    'action_types',
    'activism_types',
    'evidence_types',
  ];
  const found = new Set(parsed.error.issues.map((issue) => issue.message));
  return order.find((problem) => found.has(problem)) ?? 'state';
}
