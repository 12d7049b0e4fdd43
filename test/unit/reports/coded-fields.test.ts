import fc from 'fast-check';
import { codedFieldsProblem, type CodedFields } from '../../../src/reports/coded-fields';
import { parseReportForm } from '../../../src/intake/schema';
import { loadTestReference } from '../../support/reference-csv';

// One schema for coded fields, used by intake and by the desk's correction form.

// The test reference leaves office areas out; every office covers the states it lists.
const base = loadTestReference();
const reference = {
  ...base,
  areas: base.offices.flatMap((office) =>
    office.states.map((state) => ({ office: office.code, state, wholeState: true })),
  ),
};
const TODAY = new Date('2026-11-27T00:00:00Z');
const valid: CodedFields = {
  state: 'TX',
  fieldOffice: 'HOU',
  incidentMonth: '2026-11-01',
  targetRole: 'organizer',
  actionTypes: ['arrest'],
  activismTypes: ['protest'],
  evidenceTypes: ['none'],
};

describe('codedFieldsProblem', () => {
  it('accepts answers from the lists, up to the current month', () => {
    expect(codedFieldsProblem(reference, valid, TODAY)).toBeNull();
    expect(codedFieldsProblem(reference, { ...valid, incidentMonth: '2000-01-01' }, TODAY)).toBeNull();
    expect(codedFieldsProblem(reference, { ...valid, state: 'CA', fieldOffice: null }, TODAY)).toBeNull();
  });

  it.each<[string, Partial<CodedFields>, string]>([
    ['a month far in the future', { incidentMonth: '2099-12-01' }, 'month_range'],
    ['next month', { incidentMonth: '2026-12-01' }, 'month_range'],
    ['a month before 2000', { incidentMonth: '1999-12-01' }, 'month_range'],
    ['a malformed month', { incidentMonth: '2026-13-01' }, 'month'],
    ['an unknown state', { state: 'XX' }, 'state'],
    ['an office that does not cover the state', { state: 'VT', fieldOffice: 'HOU' }, 'field_office'],
    ['"don\'t know" for a single-office state', { state: 'VT', fieldOffice: null }, 'field_office'],
    ['an unknown role', { targetRole: 'astronaut' }, 'target_role'],
    ['no action', { actionTypes: [] }, 'action_types'],
    ['no evidence', { evidenceTypes: [] }, 'evidence_types'],
    ['an unknown activism code', { activismTypes: ['teleportation'] }, 'activism_types'],
  ])('refuses %s', (_name, change, problem) => {
    expect(codedFieldsProblem(reference, { ...valid, ...change }, TODAY)).toBe(problem);
  });

  it('agrees with the intake form on every month: what the form accepts, the desk accepts, and no other', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1990, max: 2110 }), fc.integer({ min: 1, max: 12 }), (year, month) => {
        const form = parseReportForm(
          reference,
          {
            state: 'TX',
            field_office: 'HOU',
            month: String(month),
            year: String(year),
            action: 'arrest',
            activism: 'protest',
            role: 'organizer',
            evidence: 'none',
            consent: 'yes',
          },
          TODAY,
        );
        const incidentMonth = `${year}-${String(month).padStart(2, '0')}-01`;
        const desk = codedFieldsProblem(reference, { ...valid, incidentMonth }, TODAY);
        expect(form.ok).toBe(desk === null);
      }),
      { numRuns: 500 },
    );
  });
});
