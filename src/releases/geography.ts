// The state × field office pairs a report can carry, derived from which states each office covers.
import type { GeoPair } from './atoms';

export interface OfficeArea {
  readonly code: string;
  readonly states: readonly string[];
}

/**
 * Lists valid pairs: each office with each state it covers, plus "office unknown" for states that no office
 * or several offices cover, because only there can a reporter leave the office blank.
 */
export function buildGeography(states: readonly string[], offices: readonly OfficeArea[]): GeoPair[] {
  const pairs: GeoPair[] = [];
  for (const state of states) {
    const covering = offices.filter((o) => o.states.includes(state));
    for (const office of covering) pairs.push({ state, office: office.code });
    if (covering.length !== 1) pairs.push({ state, office: null });
  }
  return pairs;
}
