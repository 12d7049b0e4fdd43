import { randomInt } from 'node:crypto';

// Password policy (NIST SP 800-63B): long enough, long ones welcome, no composition rules, and never one
// of the passwords that attackers try first.

export const MIN_PASSWORD_LENGTH = 12;
// Well above 64, as the policy asks; the cap only keeps Argon2 input and form bodies bounded.
export const MAX_PASSWORD_LENGTH = 256;

// zxcvbn's list of the most common leaked passwords, lower-cased once. Loaded when a password is first
// checked, not at start-up: its dictionaries take ~50 ms to load, and a restart has 3 s (DESIGN section 7).
type Zxcvbn = typeof import('@zxcvbn-ts/language-common');
let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  if (!common) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { dictionary } = require('@zxcvbn-ts/language-common') as Zxcvbn;
    common = new Set(dictionary['passwords-common'].map((password) => password.toLowerCase()));
  }
  return common;
}

export type PasswordProblem = 'too_short' | 'too_long' | 'common' | 'contains_username';

/** Why a new password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, username: string): PasswordProblem | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return 'too_short';
  if (length > MAX_PASSWORD_LENGTH) return 'too_long';
  const lowered = password.toLowerCase();
  if (commonPasswords().has(lowered)) return 'common';
  if (lowered.includes(username.toLowerCase())) return 'contains_username';
  return null;
}

// No 0/O, 1/l/I: the one-time password is read off a screen and typed in.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A one-time password: five groups of four (about 99 bits), to be replaced at first login. */
export function generateOneTimePassword(): string {
  const groups = Array.from({ length: 5 }, () =>
    Array.from({ length: 4 }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''),
  );
  return groups.join('-');
}
