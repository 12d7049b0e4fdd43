import { recordAudit } from '../audit/store';
import { NotFoundError } from '../platform/errors';
import type { AccountsDeps, Refused } from './credentials';
import { decryptWith, encryptWith, serverKey } from './keys';
import * as store from './store';
import { matchTotpStep, newTotpSecret, totpQrSvg, totpUri } from './totp';
import type { Moderator } from './types';

// The second factor: a TOTP secret enrolled at the first sign-in (sealed under a key derived from
// SESSION_SECRET, so a copy of the database alone cannot compute codes), and each code accepted once.

export type Enrolment = { enrolled: true } | { enrolled: false; secret: string; qrSvg: string };

export type CodeResult = { ok: true } | Refused<'invalid'>;

/** Builds the second-factor half of the accounts service. */
export function createSecondFactor(deps: AccountsDeps) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  const totpKey = serverKey(deps.sessionSecret, 'totp-secret');
  const INVALID = { ok: false, problem: 'invalid' } as const;

  const sealTotp = (moderatorId: number, secret: string) =>
    encryptWith(totpKey, Buffer.from(secret, 'utf8'), `totp:${moderatorId}`);
  const openTotp = async (moderator: Moderator): Promise<string | null> => {
    if (!moderator.totpSecretSealed) return null;
    const bytes = await decryptWith(totpKey, moderator.totpSecretSealed, `totp:${moderator.id}`);
    return bytes ? Buffer.from(bytes).toString('utf8') : null;
  };

  return {
    /** What the second-factor page shows: a QR code and the secret while enrolling, nothing after. */
    async enrolment(moderatorId: number): Promise<Enrolment> {
      const moderator = await store.findModeratorById(db, moderatorId);
      if (!moderator) throw new NotFoundError();
      if (moderator.totpEnrolled) return { enrolled: true };
      let secret = await openTotp(moderator);
      if (!secret) {
        secret = newTotpSecret();
        await store.updateModerator(db, moderator.id, {
          totpSecretSealed: await sealTotp(moderator.id, secret),
        });
      }
      const uri = totpUri(secret, moderator.username);
      return { enrolled: false, secret, qrSvg: await totpQrSvg(uri, `Represalia ${moderator.username}`) };
    },

    /** Accepts a TOTP code once: a code (or any earlier one) that was accepted before is refused. */
    async checkCode(moderatorId: number, code: string): Promise<CodeResult> {
      const moderator = await store.findModeratorById(db, moderatorId);
      if (!moderator || moderator.disabled) return INVALID;
      const secret = await openTotp(moderator);
      if (!secret) return INVALID;
      const step = matchTotpStep(secret, code, now());
      if (step === null) return INVALID;
      const claimed = await store.claimTotpStep(db, moderator.id, step);
      if (claimed && !moderator.totpEnrolled) {
        await recordAudit(db, { moderatorId: moderator.id, action: 'second_factor_enrolled' });
      }
      return claimed ? { ok: true } : INVALID;
    },
  };
}
