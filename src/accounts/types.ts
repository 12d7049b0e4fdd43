import type { DeskKeyPair } from '../reports/seal';

// Moderator accounts as the rest of the app sees them.

export const ROLES = ['admin', 'moderator'] as const;
export type Role = (typeof ROLES)[number];

export interface Moderator {
  id: number;
  username: string;
  role: Role;
  passwordHash: string;
  mustChangePassword: boolean;
  /** The desk private key wrapped under this moderator's password-derived key; null: no desk access. */
  wrappedDeskKey: Buffer | null;
  deskKeyId: number | null;
  /** This moderator's own key pair (issue 16): public half, private half wrapped under the password. */
  keyPublic: Buffer | null;
  keyWrapped: Buffer | null;
  /** HMAC under SESSION_SECRET over id and public half: a rotation seals the new desk key only to a valid one. */
  keyAuthenticator: Buffer | null;
  /** The desk private key sealed to keyPublic: how a rotation hands the new key over without a password. */
  deskKeySealed: Buffer | null;
  totpSecretSealed: Buffer | null;
  totpEnrolled: boolean;
  totpLastStep: number | null;
  disabled: boolean;
  createdOn: string;
}

/** The signed-in moderator, as guards put it in res.locals.moderator. */
export interface SignedIn {
  id: number;
  username: string;
  role: Role;
  mustChangePassword: boolean;
}

/** A desk key pair opened at login, with the id of the desk_keys row it belongs to. */
export interface UnlockedDesk {
  id: number;
  pair: DeskKeyPair;
}
