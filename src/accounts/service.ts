import { createAdmin } from './admin';
import { currentDeskKey } from './desk-keys';
import type { AccountsDeps } from './credentials';
import { createSecondFactor } from './second-factor';
import { createSignIn } from './sign-in';

// Decisions about accounts, one file per job: signing in with a password (sign-in.ts), the second factor
// (second-factor.ts), and the admin's management of accounts (admin.ts). Routes stay thin; every change
// writes an audit row in the change's own transaction.
//
// One way to report an outcome, by who must act on it:
// - A refusal the user caused and the caller shows in its own page or output (a wrong password, a code
//   that does not match, a username taken, a password too short) is a value: `{ ok: true, ... }` or
//   `{ ok: false, problem }` (credentials.ts `Refused`), where `problem` names the case and the route
//   turns it into a translation key. desk-keys.ts and rotation.ts report their refusals the same way.
// - A request the error page answers (an account that is not there, acting on one's own account, the
//   last admin) throws an AppError subclass, rendered by the one error handler.
// - A function that cannot be refused returns its value; a lookup returns undefined for "none".
// Never null for a refusal, never a plain Error.

export type { AccountsDeps } from './credentials';
export type { AddResult, CommandLineResult } from './admin';
export type { CodeResult, Enrolment } from './second-factor';
export type { PasswordResult, SignInResult } from './sign-in';
export type { UnlockedDesk } from './types';

export type Accounts = ReturnType<typeof createAccounts>;

/** Builds the accounts service over one database and the server's session secret, in one call. */
export function createAccounts(deps: AccountsDeps) {
  return {
    ...createSignIn(deps),
    ...createSecondFactor(deps),
    ...createAdmin(deps),
    /** The desk key intake seals to: the newest, once authenticated (desk-keys.ts), else a 503. */
    currentDeskKey: () => currentDeskKey(deps.db, { session: deps.sessionSecret }),
  };
}
