import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { seal } from '../../src/reports/seal';
import { insertReports } from '../../src/reports/store';
import type { NewReport } from '../../src/reports/types';

// The one factory for reports in tests: every suite builds them here, with the same defaults, and overrides
// what it cares about (dates, place, status, a sealed narrative).

/** A valid pending report received in February 2026; tests override what they care about. */
export function buildReport(overrides: Partial<NewReport> = {}): NewReport {
  return {
    id: randomUUID(),
    status: 'pending',
    state: 'VT',
    fieldOffice: 'BOS',
    incidentMonth: '2026-01-01',
    targetRole: 'organizer',
    actionTypes: ['surveillance'],
    activismTypes: ['organizing'],
    evidenceTypes: ['court_record'],
    consentToCount: true,
    receivedOn: '2026-02-03',
    narrativeSealed: null,
    ...overrides,
  };
}

/**
 * An approved report decided on `decisionOn`. Unless overridden, it happened and arrived no later than it
 * was decided: the incident in the decision's month at the latest, received on the decision day at the latest.
 */
export function buildApprovedReport(decisionOn: string, overrides: Partial<NewReport> = {}): NewReport {
  const defaults = buildReport();
  const decisionMonth = `${decisionOn.slice(0, 7)}-01`;
  return buildReport({
    status: 'approved',
    decisionOn,
    incidentMonth: defaults.incidentMonth < decisionMonth ? defaults.incidentMonth : decisionMonth,
    receivedOn: defaults.receivedOn < decisionOn ? defaults.receivedOn : decisionOn,
    ...overrides,
  });
}

/** A narrative sealed to the desk's public key, as intake seals it: for `buildReport({ narrativeSealed })`. */
export function sealNarrative(text: string, deskPublicKey: Uint8Array): Promise<Buffer> {
  return seal(text, deskPublicKey);
}

/** Inserts reports through the same store function intake and the seed use. */
export async function insertTestReports(db: Knex, reports: NewReport[]): Promise<string[]> {
  return (await insertReports(db, reports)).ids;
}

/** Inserts one report; returns its id. */
export async function insertReport(db: Knex, report: NewReport): Promise<string> {
  return (await insertTestReports(db, [report]))[0]!;
}
