import { z } from 'zod';
import type { CodedFields } from '../reports/coded-fields';

// The coded-fields correction form, shared by the report page and the decided-report page: its schema
// and its mapping onto the coded fields the services take.

const list = z.preprocess(
  (value): unknown => (value === undefined ? [] : Array.isArray(value) ? value : [value]),
  z.array(z.string().max(64)).max(100),
);

export const CodesForm = z.object({
  version: z.coerce.number().int().positive().max(2_147_483_647),
  state: z.string().regex(/^[A-Z]{2}$/),
  field_office: z.string().regex(/^([A-Z]{3})?$/),
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
  role: z.string().max(64),
  action: list,
  activism: list,
  evidence: list,
});

/** The coded fields a valid correction form carries. */
export function fieldsOf(form: z.infer<typeof CodesForm>): CodedFields {
  return {
    state: form.state,
    fieldOffice: form.field_office || null,
    incidentMonth: `${form.month}-01`,
    targetRole: form.role,
    actionTypes: form.action,
    activismTypes: form.activism,
    evidenceTypes: form.evidence,
  };
}
