import { codedFieldsProblem, type CodedFieldProblem, type CodedFields } from '../reports/coded-fields';
import type { Reference } from '../reference/types';
import type { ReviewReport } from './store';

// What the desk's two editors of coded fields (the queue's review and the correction of a decided report)
// share: the same check before a write, and the same list of what changed for the audit row, which names
// the fields and never their values.

// The desk's message for each problem the shared coded-fields schema can find (src/reports/coded-fields.ts).
const PROBLEM_KEYS: Record<CodedFieldProblem, string> = {
  state: 'moderation.errors.state',
  field_office: 'moderation.errors.field_office',
  month: 'moderation.errors.month',
  month_range: 'moderation.errors.month',
  target_role: 'moderation.errors.codes',
  action_types: 'moderation.errors.codes',
  activism_types: 'moderation.errors.codes',
  evidence_types: 'moderation.errors.codes',
};

/**
 * The translation key of the first problem of edited coded fields, or null when they may be saved. The
 * same schema as intake's, month range included: a month that intake refuses cannot be saved here.
 */
export function codedFieldsRefusal(reference: Reference, fields: CodedFields, today: Date): string | null {
  const problem = codedFieldsProblem(reference, fields, today);
  return problem ? PROBLEM_KEYS[problem] : null;
}

/** The names of the coded fields an edit changes (list order does not count as a change). */
export function changedFields(current: ReviewReport, next: CodedFields): string[] {
  const same = (a: string[], b: string[]) => [...a].sort().join(',') === [...b].sort().join(',');
  const checks: [string, boolean][] = [
    ['state', current.state !== next.state],
    ['field_office', current.fieldOffice !== next.fieldOffice],
    ['incident_month', `${current.incidentMonth}-01` !== next.incidentMonth],
    ['target_role', current.targetRole !== next.targetRole],
    ['action_types', !same(current.actionTypes, next.actionTypes)],
    ['activism_types', !same(current.activismTypes, next.activismTypes)],
    ['evidence_types', !same(current.evidenceTypes, next.evidenceTypes)],
  ];
  return checks.filter(([, changed]) => changed).map(([name]) => name);
}
