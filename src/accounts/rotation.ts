import { recordAudit } from '../audit/store';
import { isoDay } from '../platform/dates';
import type { Db } from '../platform/db';
import { generateDeskKeyPair } from '../reports/seal';
import { createDeskKey, deskKeyAuthenticator, deskKeyFingerprint, deskKeyStatus } from './desk-keys';
import { moderatorKeyIsAuthentic, openSealedDeskKey, sealDeskKeyTo } from './moderator-keys';
import type { ResealJob } from './rotation-job';
import * as rotationStore from './rotation-store';
import * as store from './store';
import type { UnlockedDesk } from './types';

// Rotating the desk key (issue 16): what offboarding a moderator needs, since a disabled account's
// wrapped copy of the key would otherwise open every narrative sealed after they left, to anyone who
// kept their password and a copy of the database. An admin whose session holds the current key starts it:
// a new key pair, authenticated like every desk key; the new private half sealed to the own key of each
// remaining, active moderator (moderator-keys.ts); every copy of the old key in moderators' rows and in
// sessions removed at once; intake seals to the new key from this commit on; and a background job
// re-seals what is stored and then destroys the old key (rotation-job.ts).

export interface RotationDeps {
  db: Db;
  sessionSecret: Buffer;
  today: () => Date;
  job: ResealJob;
}

export type RotationOutcome =
  | { ok: true; desk: UnlockedDesk; rotationId: number; reached: number; withoutAccess: string[] }
  | { ok: false; problem: 'locked' | 'not_current' | 'in_progress' };

export type DeskRotation = ReturnType<typeof createDeskRotation>;

/** Builds the rotation service over the database, the server's secret and the re-sealing job. */
export function createDeskRotation(deps: RotationDeps) {
  const { db } = deps;
  const todayIso = () => isoDay(deps.today());
  const secrets = { session: deps.sessionSecret };

  return {
    /**
     * Rotates the desk key from an admin's unlocked session. `keepSidHash` is that session's: the only
     * one not ended, and it is handed the new key by the caller. Every other moderator signs in again
     * and opens the new key with their password.
     */
    async rotate(adminId: number, keepSidHash: string, desk: UnlockedDesk | null): Promise<RotationOutcome> {
      if (!desk) return { ok: false, problem: 'locked' };
      const next = await generateDeskKeyPair();
      // The old private key, for the job to resume with after a restart: only a holder of the new key opens it.
      const oldSealed = await sealDeskKeyTo(desk.pair.privateKey, next.publicKey);
      const outcome = await db.transaction(async (trx): Promise<RotationOutcome> => {
        // One rotation at a time: the current key's row is the lock.
        const status = await deskKeyStatus(trx, secrets);
        if (status.state !== 'authenticated') return { ok: false, problem: 'not_current' };
        await rotationStore.lockDeskKey(trx, status.key.id);
        if (await rotationStore.unfinishedRotation(trx)) return { ok: false, problem: 'in_progress' };
        // The session must hold the very key intake seals to, not merely one with the same id.
        if (status.key.id !== desk.id || !Buffer.from(desk.pair.publicKey).equals(status.key.publicKey))
          return { ok: false, problem: 'not_current' };
        // The admin must keep the key too: an account without its own key pair yet (a session begun before
        // this version) signs in again first, which makes one.
        const self = await store.findModeratorById(trx, adminId);
        if (!self || !moderatorKeyIsAuthentic(deps.sessionSecret, self))
          return { ok: false, problem: 'locked' };
        const today = todayIso();
        const toKeyId = await createDeskKey(trx, deps.sessionSecret, next.publicKey, today);
        await rotationStore.retireDeskKey(trx, desk.id, today);
        let reached = 0;
        const withoutAccess: string[] = [];
        for (const moderator of await store.listModerators(trx)) {
          // Only to a key this server made for this account: a planted public key gets nothing.
          const gets = !moderator.disabled && moderatorKeyIsAuthentic(deps.sessionSecret, moderator);
          await store.updateModerator(trx, moderator.id, {
            wrappedDeskKey: null,
            deskKeyId: gets ? toKeyId : null,
            deskKeySealed: gets ? await sealDeskKeyTo(next.privateKey, moderator.keyPublic!) : null,
          });
          if (gets) reached += 1;
          else if (!moderator.disabled) withoutAccess.push(moderator.username);
        }
        await rotationStore.destroySessionsExcept(trx, keepSidHash);
        const rotationId = await rotationStore.insertRotation(trx, {
          fromKeyId: desk.id,
          toKeyId,
          moderatorId: adminId,
          startedOn: today,
          oldPrivateSealed: oldSealed,
        });
        await recordAudit(trx, {
          moderatorId: adminId,
          action: 'desk_key_rotated',
          detail: { fromKeyId: desk.id, toKeyId, reached, withoutAccess: withoutAccess.length },
        });
        return { ok: true, desk: { id: toKeyId, pair: next }, rotationId, reached, withoutAccess };
      });
      if (outcome.ok) {
        deps.job.start(
          outcome.rotationId,
          desk,
          // The job's own copy: the caller keeps using the new key in the session.
          { id: outcome.desk.id, pair: { ...next, privateKey: new Uint8Array(next.privateKey) } },
        );
      }
      return outcome;
    },

    /**
     * Starts the re-sealing job again if a rotation is unfinished and nobody runs it in this process: called
     * for desk requests whose session holds the new key, the only key that opens the old one.
     */
    async resume(desk: UnlockedDesk | null): Promise<void> {
      if (!desk) return;
      const rotation = await rotationStore.unfinishedRotation(db);
      if (!rotation || rotation.toKeyId !== desk.id || deps.job.isRunning(rotation.id)) return;
      if (!rotation.oldPrivateSealed) return;
      const old = await openSealedDeskKey(rotation.oldPrivateSealed, desk.pair);
      if (!old) return;
      deps.job.start(
        rotation.id,
        { id: rotation.fromKeyId, pair: old },
        {
          id: desk.id,
          pair: { ...desk.pair, privateKey: new Uint8Array(desk.pair.privateKey) },
        },
      );
    },

    /** What the desk shows: every key with its fingerprint and state, and every rotation. */
    async history() {
      const [keys, rotations] = await Promise.all([
        rotationStore.listDeskKeys(db),
        rotationStore.listRotations(db),
      ]);
      const fingerprints = new Map(keys.map((key) => [key.id, deskKeyFingerprint(key.publicKey)]));
      return {
        keys: keys.map((key) => ({
          id: key.id,
          fingerprint: fingerprints.get(key.id)!,
          createdOn: key.createdOn,
          retiredOn: key.retiredOn,
          destroyedOn: key.destroyedOn,
          // Retired keys keep their authenticator: a planted row among them shows up here too.
          authenticated:
            key.authenticator !== null &&
            key.authenticator.equals(deskKeyAuthenticator(deps.sessionSecret, key)),
        })),
        rotations: rotations.map((rotation) => ({
          id: rotation.id,
          from: fingerprints.get(rotation.fromKeyId) ?? '',
          to: fingerprints.get(rotation.toKeyId) ?? '',
          username: rotation.username,
          startedOn: rotation.startedOn,
          finishedOn: rotation.finishedOn,
          resealed: rotation.resealed,
          unreadable: rotation.unreadable,
        })),
      };
    },
  };
}
