import type { Knex } from 'knex';
import { insertReports } from '../../src/reports/store';
import type { NewReport } from '../../src/reports/types';

/** A valid report with sensible defaults; tests override what they care about. */
export function buildReport(overrides: Partial<NewReport> = {}): NewReport {
  return {
    status: 'pending',
    state: 'VT',
    fieldOffice: 'BOS',
    incidentMonth: '2025-03-01',
    targetRole: 'organizer',
    actionTypes: ['surveillance'],
    activismTypes: ['protest'],
    evidenceTypes: ['personal_account'],
    consentToCount: true,
    receivedOn: '2025-03-20',
    narrativeSealed: null,
    ...overrides,
  };
}

/** An approved report decided on the given date. */
export function buildApprovedReport(decisionOn: string, overrides: Partial<NewReport> = {}): NewReport {
  return buildReport({ status: 'approved', decisionOn, ...overrides });
}

/** Inserts reports through the same store function intake and the seed use. */
export async function insertTestReports(db: Knex, reports: NewReport[]): Promise<string[]> {
  return (await insertReports(db, reports)).ids;
}
