import type { Knex } from 'knex';
import { dayOf } from '../platform/dates';

// SQL for desk key rotations (issue 16): the rotations table and the desk keys' lifecycle. Functions take
// the knex handle (a transaction inside one) as their first argument.

export interface RotationRow {
  id: number;
  fromKeyId: number;
  toKeyId: number;
  username: string | null;
  startedOn: string;
  finishedOn: string | null;
  /** The retired private key sealed to the new public key; null once the retired key is destroyed. */
  oldPrivateSealed: Buffer | null;
  resealed: number;
  unreadable: number;
}

interface Row {
  id: number;
  from_key_id: number;
  to_key_id: number;
  username: string | null;
  started_on: string | Date;
  finished_on: string | Date | null;
  old_private_sealed: Buffer | null;
  resealed: number;
  unreadable: number;
}

const toRotation = (row: Row): RotationRow => ({
  id: row.id,
  fromKeyId: row.from_key_id,
  toKeyId: row.to_key_id,
  username: row.username,
  startedOn: dayOf(row.started_on),
  finishedOn: row.finished_on === null ? null : dayOf(row.finished_on),
  oldPrivateSealed: row.old_private_sealed,
  resealed: row.resealed,
  unreadable: row.unreadable,
});

const rotations = (db: Knex) =>
  db('desk_key_rotations as r')
    .leftJoin('moderators as m', 'm.id', 'r.moderator_id')
    .select('r.*', 'm.username');

/** Every rotation, newest first. */
export async function listRotations(db: Knex): Promise<RotationRow[]> {
  return ((await rotations(db).orderBy('r.id', 'desc')) as Row[]).map(toRotation);
}

/** The rotation whose re-sealing has not finished, if any (there is at most one). */
export async function unfinishedRotation(db: Knex): Promise<RotationRow | undefined> {
  const row = (await rotations(db).whereNull('r.finished_on').orderBy('r.id', 'desc').first()) as
    Row | undefined;
  return row && toRotation(row);
}

export async function insertRotation(
  db: Knex,
  rotation: {
    fromKeyId: number;
    toKeyId: number;
    moderatorId: number;
    startedOn: string;
    oldPrivateSealed: Buffer;
  },
): Promise<number> {
  const [row] = await db('desk_key_rotations')
    .insert({
      from_key_id: rotation.fromKeyId,
      to_key_id: rotation.toKeyId,
      moderator_id: rotation.moderatorId,
      started_on: rotation.startedOn,
      old_private_sealed: rotation.oldPrivateSealed,
    })
    .returning<{ id: number }[]>('id');
  if (!row) throw new Error('insert returned no id');
  return row.id;
}

export async function addProgress(db: Knex, id: number, resealed: number, unreadable: number): Promise<void> {
  if (resealed === 0 && unreadable === 0) return;
  await db('desk_key_rotations')
    .where({ id })
    .update({
      resealed: db.raw('resealed + ?', [resealed]),
      unreadable: db.raw('unreadable + ?', [unreadable]),
    });
}

/** Locks a desk key's row against every writer that holds it (intake's insertStagedUnderKey) until the transaction ends. */
export async function lockDeskKey(trx: Knex.Transaction, id: number): Promise<void> {
  await trx('desk_keys').select('id').where({ id }).forUpdate();
}

export async function retireDeskKey(db: Knex, id: number, on: string): Promise<void> {
  await db('desk_keys').where({ id }).update({ retired_on: on });
}

/** Marks the retired key destroyed and the rotation finished, and drops the last copy of its private half. */
export async function destroyRetiredKey(
  db: Knex,
  rotationId: number,
  keyId: number,
  on: string,
): Promise<void> {
  await db('desk_keys').where({ id: keyId }).update({ destroyed_on: on });
  await db('desk_key_rotations')
    .where({ id: rotationId })
    .update({ finished_on: on, old_private_sealed: null });
}

export interface DeskKeyHistoryRow {
  id: number;
  publicKey: Buffer;
  createdOn: string;
  retiredOn: string | null;
  destroyedOn: string | null;
  authenticator: Buffer | null;
}

/** Every desk key, newest first, for the desk's history. */
export async function listDeskKeys(db: Knex): Promise<DeskKeyHistoryRow[]> {
  const rows = (await db('desk_keys').orderBy('id', 'desc')) as {
    id: number;
    public_key: Buffer;
    created_on: string | Date;
    retired_on: string | Date | null;
    destroyed_on: string | Date | null;
    authenticator: Buffer | null;
  }[];
  return rows.map((row) => ({
    id: row.id,
    publicKey: row.public_key,
    createdOn: dayOf(row.created_on),
    retiredOn: row.retired_on === null ? null : dayOf(row.retired_on),
    destroyedOn: row.destroyed_on === null ? null : dayOf(row.destroyed_on),
    authenticator: row.authenticator,
  }));
}

/** Ends every session but one (by the hash of its id): the others carry the retired desk key. */
export async function destroySessionsExcept(db: Knex, keepSidHash: string): Promise<void> {
  await db('sessions').whereNot({ sid_hash: keepSidHash }).del();
}
