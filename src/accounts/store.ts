import type { Knex } from 'knex';
import { dayOf } from '../platform/dates';
import type { Moderator, Role } from './types';

// SQL for moderators and desk keys (the audit trail has its own floor, src/audit/store.ts). Functions take
// the knex handle (a transaction inside one) as their first argument; rows are mapped from snake_case here
// only.

interface ModeratorRow {
  id: number;
  username: string;
  role: Role;
  password_hash: string;
  must_change_password: boolean;
  wrapped_desk_key: Buffer | null;
  desk_key_id: number | null;
  key_public: Buffer | null;
  key_wrapped: Buffer | null;
  key_authenticator: Buffer | null;
  desk_key_sealed: Buffer | null;
  totp_secret_sealed: Buffer | null;
  totp_enrolled: boolean;
  totp_last_step: string | number | null;
  disabled: boolean;
  created_on: string | Date;
}

function toModerator(row: ModeratorRow): Moderator {
  return {
    id: row.id,
    username: row.username,
    role: row.role,
    passwordHash: row.password_hash,
    mustChangePassword: row.must_change_password,
    wrappedDeskKey: row.wrapped_desk_key,
    deskKeyId: row.desk_key_id,
    keyPublic: row.key_public,
    keyWrapped: row.key_wrapped,
    keyAuthenticator: row.key_authenticator,
    deskKeySealed: row.desk_key_sealed,
    totpSecretSealed: row.totp_secret_sealed,
    totpEnrolled: row.totp_enrolled,
    totpLastStep: row.totp_last_step === null ? null : Number(row.totp_last_step),
    disabled: row.disabled,
    createdOn: dayOf(row.created_on),
  };
}

export async function findModeratorByUsername(db: Knex, username: string): Promise<Moderator | undefined> {
  const row = (await db('moderators').where({ username }).first()) as ModeratorRow | undefined;
  return row && toModerator(row);
}

export async function findModeratorById(db: Knex, id: number): Promise<Moderator | undefined> {
  const row = (await db('moderators').where({ id }).first()) as ModeratorRow | undefined;
  return row && toModerator(row);
}

export async function listModerators(db: Knex): Promise<Moderator[]> {
  const rows = (await db('moderators').orderBy('username')) as ModeratorRow[];
  return rows.map(toModerator);
}

export interface NewModerator {
  username: string;
  role: Role;
  passwordHash: string;
  mustChangePassword: boolean;
  wrappedDeskKey: Buffer | null;
  deskKeyId: number | null;
  createdOn: string;
}

export async function insertModerator(db: Knex, moderator: NewModerator): Promise<number> {
  const [row] = await db('moderators')
    .insert({
      username: moderator.username,
      role: moderator.role,
      password_hash: moderator.passwordHash,
      must_change_password: moderator.mustChangePassword,
      wrapped_desk_key: moderator.wrappedDeskKey,
      desk_key_id: moderator.deskKeyId,
      created_on: moderator.createdOn,
    })
    .returning<{ id: number }[]>('id');
  if (!row) throw new Error('insert returned no id');
  return row.id;
}

export interface ModeratorPatch {
  role?: Role;
  passwordHash?: string;
  mustChangePassword?: boolean;
  wrappedDeskKey?: Buffer | null;
  deskKeyId?: number | null;
  keyPublic?: Buffer | null;
  keyWrapped?: Buffer | null;
  keyAuthenticator?: Buffer | null;
  deskKeySealed?: Buffer | null;
  totpSecretSealed?: Buffer | null;
  totpEnrolled?: boolean;
  totpLastStep?: number | null;
  disabled?: boolean;
}

const PATCH_COLUMNS: Record<keyof ModeratorPatch, string> = {
  role: 'role',
  passwordHash: 'password_hash',
  mustChangePassword: 'must_change_password',
  wrappedDeskKey: 'wrapped_desk_key',
  deskKeyId: 'desk_key_id',
  keyPublic: 'key_public',
  keyWrapped: 'key_wrapped',
  keyAuthenticator: 'key_authenticator',
  deskKeySealed: 'desk_key_sealed',
  totpSecretSealed: 'totp_secret_sealed',
  totpEnrolled: 'totp_enrolled',
  totpLastStep: 'totp_last_step',
  disabled: 'disabled',
};

export async function updateModerator(db: Knex, id: number, patch: ModeratorPatch): Promise<void> {
  const row: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined) row[PATCH_COLUMNS[key as keyof ModeratorPatch]] = value;
  }
  if (Object.keys(row).length > 0) await db('moderators').where({ id }).update(row);
}

/**
 * Records a TOTP step as used, atomically: true only when it is later than the last accepted step, so
 * two requests racing with one code cannot both pass.
 */
export async function claimTotpStep(db: Knex, id: number, step: number): Promise<boolean> {
  const updated = await db('moderators')
    .where({ id })
    .andWhere(db.raw('(totp_last_step is null or totp_last_step < ?)', [step]))
    .update({ totp_last_step: step, totp_enrolled: true });
  return updated === 1;
}

export async function countActiveAdmins(db: Knex): Promise<number> {
  const row = (await db('moderators').where({ role: 'admin', disabled: false }).count({ n: '*' }).first()) as
    { n: string | number } | undefined;
  return Number(row?.n ?? 0);
}

export async function countModerators(db: Knex): Promise<number> {
  const row = (await db('moderators').count({ n: '*' }).first()) as { n: string | number } | undefined;
  return Number(row?.n ?? 0);
}

/** A desk_keys row: the public half of a desk key pair and its authenticator (null: never authenticated). */
export interface DeskKeyRow {
  id: number;
  publicKey: Buffer;
  createdOn: string;
  authenticator: Buffer | null;
}

/** The newest desk key pair's row: what new reports are sealed to, once its authenticator checks out. */
export async function latestDeskKey(db: Knex): Promise<DeskKeyRow | undefined> {
  const row = (await db('desk_keys')
    .select('id', 'public_key', 'created_on', 'authenticator')
    .orderBy('id', 'desc')
    .first()) as
    { id: number; public_key: Buffer; created_on: string | Date; authenticator: Buffer | null } | undefined;
  return (
    row && {
      id: row.id,
      publicKey: row.public_key,
      createdOn: dayOf(row.created_on),
      authenticator: row.authenticator,
    }
  );
}

/** Inserts a desk public key without an authenticator; desk-keys.ts adds one in the same transaction. */
export async function insertDeskKey(db: Knex, publicKey: Uint8Array, createdOn: string): Promise<number> {
  const [row] = await db('desk_keys')
    .insert({ public_key: Buffer.from(publicKey), created_on: createdOn })
    .returning<{ id: number }[]>('id');
  if (!row) throw new Error('insert returned no id');
  return row.id;
}

export async function setDeskKeyAuthenticator(db: Knex, id: number, authenticator: Buffer): Promise<void> {
  await db('desk_keys').where({ id }).update({ authenticator });
}
