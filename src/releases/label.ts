// A release label (such as 2026-Q3): part of every citation and URL of a release, so one pattern for all.

/** Letters, digits, dots, dashes and underscores, starting with a letter or digit, at most 40 characters. */
export const RELEASE_LABEL = /^[0-9A-Za-z][0-9A-Za-z._-]{0,39}$/;

/** Whether a string is a well-formed release label. */
export function isReleaseLabel(value: string): boolean {
  return RELEASE_LABEL.test(value);
}
