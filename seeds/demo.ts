import type { Knex } from 'knex';
import { loadReference } from '../src/reference/store';
import { codesOf, officesForState } from '../src/reference/lookup';
import type { Reference } from '../src/reference/types';
import { insertReports } from '../src/reports/store';
import { seedDemoCases } from './demo-cases';
import type { NewReport, ReportStatus } from '../src/reports/types';

// Demo data: synthetic reports so a newcomer sees a living site. Deterministic (a fixed seed, fixed ids),
// idempotent (existing ids are skipped), written through the same store function intake uses, and
// refused in production so it can never mix with real reports.

export const DEMO_REPORT_COUNT = 3200;
const SEED = 20261127;

/** A small, fast, seedable PRNG (mulberry32); Math.random cannot be seeded. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Rough weights so the demo looks like a country, not a uniform grid: large immigrant populations report more.
const STATE_WEIGHTS: Record<string, number> = {
  CA: 14,
  TX: 12,
  NY: 9,
  FL: 8,
  IL: 6,
  NJ: 5,
  GA: 4,
  WA: 4,
  AZ: 4,
  MA: 3,
  CO: 3,
  NC: 3,
  PA: 3,
  VA: 3,
  MD: 3,
  MI: 2,
  OR: 2,
  MN: 2,
  NV: 2,
  PR: 2,
  TN: 2,
  OH: 2,
  CT: 2,
  UT: 1.5,
  NM: 1.5,
  VT: 1,
};

function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

function pickWeighted<T>(random: () => number, items: readonly T[], weight: (item: T) => number): T {
  const total = items.reduce((sum, item) => sum + weight(item), 0);
  let threshold = random() * total;
  for (const item of items) {
    threshold -= weight(item);
    if (threshold <= 0) return item;
  }
  return items[items.length - 1] as T;
}

function pickSome(random: () => number, items: readonly string[], max: number): string[] {
  const count = 1 + Math.floor(random() * max);
  const chosen = new Set<string>();
  while (chosen.size < count) chosen.add(pick(random, items));
  return [...chosen];
}

function uuidFrom(random: () => number): string {
  const bytes = Array.from({ length: 16 }, () => Math.floor(random() * 256));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 86_400_000);
}

/** Builds the demo reports in memory; exported for tests that want the same distribution. */
export function buildDemoReports(reference: Reference, count = DEMO_REPORT_COUNT, seed = SEED): NewReport[] {
  const random = createRandom(seed);
  const codes = {
    action: codesOf(reference, 'action_type').map((code) => code.code),
    activism: codesOf(reference, 'activism_type').map((code) => code.code),
    evidence: codesOf(reference, 'evidence_type').map((code) => code.code),
    role: codesOf(reference, 'target_role').map((code) => code.code),
  };
  // Every state with at least one office (American Samoa has none and cannot be placed).
  const states = reference.states.filter((state) => officesForState(reference, state.usps).length > 0);
  const firstMonth = Date.UTC(2017, 0, 1);
  // Through June 2026, so that every decision date falls before the demo releases are cut.
  const months = (2026 - 2017) * 12 + 6;
  const reports: NewReport[] = [];
  for (let index = 0; index < count; index++) {
    const id = uuidFrom(random);
    const state = pickWeighted(random, states, (candidate) => STATE_WEIGHTS[candidate.usps] ?? 0.4).usps;
    const offices = officesForState(reference, state);
    const fieldOffice =
      offices.length === 1 ? (offices[0] ?? null) : random() < 0.12 ? null : pick(random, offices);
    // More reports in recent years, as reporting spreads.
    const monthIndex = Math.floor(Math.sqrt(random()) * months);
    const incident = new Date(firstMonth);
    incident.setUTCMonth(incident.getUTCMonth() + monthIndex);
    const received = addDays(incident, 5 + Math.floor(random() * 60));
    const roll = random();
    const status: ReportStatus =
      roll < 0.78
        ? 'approved'
        : roll < 0.86
          ? 'pending'
          : roll < 0.89
            ? 'needs_info'
            : roll < 0.95
              ? 'rejected'
              : 'duplicate';
    const decided = status !== 'pending' && status !== 'needs_info';
    reports.push({
      id,
      status,
      state,
      fieldOffice,
      incidentMonth: isoDate(incident),
      targetRole: pick(random, codes.role),
      actionTypes: pickSome(random, codes.action, 3),
      activismTypes: pickSome(random, codes.activism, 2),
      evidenceTypes: pickSome(random, codes.evidence, 3),
      consentToCount: true,
      receivedOn: isoDate(received),
      narrativeSealed: null,
      decisionReason:
        status === 'rejected'
          ? pick(random, ['spam', 'not_retaliation', 'insufficient'] as const)
          : status === 'duplicate'
            ? 'duplicate'
            : null,
      decisionOn: decided ? isoDate(addDays(received, 3 + Math.floor(random() * 40))) : null,
    });
  }
  return reports;
}

/** Writes the demo reports; refuses in production. Returns how many were new. */
export async function seedDemo(
  db: Knex,
  env: { NODE_ENV: string } = { NODE_ENV: process.env.NODE_ENV ?? '' },
): Promise<number> {
  if (env.NODE_ENV === 'production')
    throw new Error('The demo seed refuses to run with NODE_ENV=production.');
  const reference = await loadReference(db);
  const reports = buildDemoReports(reference);
  const added = await db.transaction(async (trx) => (await insertReports(trx, reports)).newCount);
  // The public record's starter cases: a separate dataset, in its own tables and transaction.
  await seedDemoCases(db, env);
  return added;
}
