import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from './config';
import { makePrivateDir } from './private-files';

export interface Secrets {
  receipt: Buffer;
  session: Buffer;
}

/**
 * Returns the server secrets: from the configuration when set (always in production), otherwise from a
 * file under DATA_DIR created on first use, so development restarts keep receipts valid.
 */
export async function loadSecrets(config: Config): Promise<Secrets> {
  if (config.RECEIPT_SECRET && config.SESSION_SECRET) {
    return {
      receipt: Buffer.from(config.RECEIPT_SECRET, 'hex'),
      session: Buffer.from(config.SESSION_SECRET, 'hex'),
    };
  }
  const file = path.join(config.DATA_DIR, 'secrets.json');
  let stored: { receipt: string; session: string };
  try {
    stored = JSON.parse(await readFile(file, 'utf8')) as { receipt: string; session: string };
  } catch {
    stored = { receipt: randomBytes(32).toString('hex'), session: randomBytes(32).toString('hex') };
    await makePrivateDir(config.DATA_DIR);
    // 0600: the secrets protect receipts, so only the service user may read them.
    await writeFile(file, JSON.stringify(stored), { mode: 0o600, flag: 'wx' }).catch(async () => {
      stored = JSON.parse(await readFile(file, 'utf8')) as { receipt: string; session: string };
    });
  }
  return {
    receipt: Buffer.from(config.RECEIPT_SECRET ?? stored.receipt, 'hex'),
    session: Buffer.from(config.SESSION_SECRET ?? stored.session, 'hex'),
  };
}
