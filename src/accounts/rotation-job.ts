import sodium from 'libsodium-wrappers';
import { recordAudit } from '../audit/store';
import { isoDay } from '../platform/dates';
import type { Db } from '../platform/db';
import type { Logger } from '../platform/logger';
import type { ResealBatch, Resealer, SealingKey } from '../reports/reseal';
import * as rotationStore from './rotation-store';

// The background half of a desk key rotation (issue 16): re-seal every narrative, reporter's message and
// staged row from the retired key to the new one, then destroy the retired key. It runs in the process
// that started the rotation, with both private keys in memory only. If that process stops, the rotation
// row keeps the retired private key sealed to the new key, and the next desk request from a session
// holding the new key starts the job again (rotation.ts).
//
// Destroying is the careful step. Submissions keep arriving during the job, and one that read the retired
// key just before the rotation committed may write its row after a pass went by. So the job destroys the
// key only inside a transaction that holds every writer back (each resealer's lockWriters, then the key's
// row, which intake holds while it stages a row: intake/staged-store.ts insertStagedUnderKey), and only when no row records
// the retired key any more; otherwise it makes another pass. After that commit, intake refuses the key.

const BATCH = 100;
const MAX_PASSES = 20;

export interface ResealJobDeps {
  db: Db;
  logger: Logger;
  today: () => Date;
  resealers: Resealer[];
}

export type ResealJob = ReturnType<typeof createResealJob>;

/** Builds the job runner: at most one run per rotation per process. */
export function createResealJob(deps: ResealJobDeps) {
  const { db } = deps;
  const running = new Map<number, Promise<void>>();

  async function pass(rotationId: number, from: SealingKey, to: SealingKey, unknown: boolean): Promise<void> {
    for (const resealer of deps.resealers) {
      let after: string | null = null;
      do {
        const cursor: string | null = after;
        const batch: ResealBatch = await db.transaction((trx) =>
          resealer.batch(trx, from, to, { after: cursor, limit: BATCH, unknown }),
        );
        await rotationStore.addProgress(db, rotationId, batch.resealed, batch.unreadable);
        after = batch.last;
      } while (after !== null);
    }
  }

  /** Destroys the retired key if no row is sealed to it any more; false when another pass is needed. */
  async function destroyIfDone(rotationId: number, from: SealingKey): Promise<boolean> {
    return db.transaction(async (trx) => {
      for (const resealer of deps.resealers) await resealer.lockWriters?.(trx);
      await rotationStore.lockDeskKey(trx, from.id);
      for (const resealer of deps.resealers) {
        if ((await resealer.remaining(trx, from.id)) > 0) return false;
      }
      await rotationStore.destroyRetiredKey(trx, rotationId, from.id, isoDay(deps.today()));
      await recordAudit(trx, {
        moderatorId: null,
        action: 'desk_key_destroyed',
        detail: { deskKeyId: from.id, rotationId },
      });
      return true;
    });
  }

  async function run(rotationId: number, from: SealingKey, to: SealingKey): Promise<void> {
    await sodium.ready;
    try {
      for (let round = 0; round < MAX_PASSES; round += 1) {
        // The first pass also tries rows with no recorded key; later ones only chase late arrivals.
        await pass(rotationId, from, to, round === 0);
        if (await destroyIfDone(rotationId, from)) return;
      }
      throw new Error('rows kept arriving sealed to the retired desk key');
    } finally {
      // This process's copy of the retired private key goes with the job, finished or not.
      sodium.memzero(from.pair.privateKey);
    }
  }

  return {
    /** Starts re-sealing for a rotation unless this process is already on it. Never throws. */
    start(rotationId: number, from: SealingKey, to: SealingKey): void {
      if (running.has(rotationId)) return;
      const job = run(rotationId, from, to)
        .catch((error: unknown) => {
          // The kind of failure only: a database error could quote a row.
          deps.logger.error(
            { code: 'desk_key_reseal_failed', err: error instanceof Error ? error.name : typeof error },
            'desk key rotation: re-sealing stopped; it resumes at the next desk request with the new key',
          );
        })
        .finally(() => running.delete(rotationId));
      running.set(rotationId, job);
    },

    isRunning: (rotationId: number) => running.has(rotationId),

    /** Resolves when every job this process runs has ended (tests and shutdown). */
    async settled(): Promise<void> {
      while (running.size > 0) await Promise.all([...running.values()]);
    },
  };
}
