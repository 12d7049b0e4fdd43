import type { Code, CodeKind, Reference } from './types';

/** The offices that cover a state: one settles the question, several need a county or "don't know". */
export function officesForState(reference: Reference, usps: string): string[] {
  return reference.areas.filter((area) => area.state === usps).map((area) => area.office);
}

/** The codes of one kind, in the reference order. */
export function codesOf(reference: Reference, kind: CodeKind): Code[] {
  return reference.codes.filter((code) => code.kind === kind);
}
