import { chmodSync, lstatSync, readdirSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';

// DATA_DIR holds the embedded database's files and the development secrets: everything a seizure of the
// host would want. Another local account must not read it (the issue found PGlite's files world-readable
// and hundreds world-writable), so the folder and everything under it belong to the service user alone.

/** Mode for folders under DATA_DIR: owner only. */
export const PRIVATE_DIR_MODE = 0o700;
/** Mode for files under DATA_DIR: owner read and write only. */
export const PRIVATE_FILE_MODE = 0o600;

/** Creates a folder (and its parents) for the service user only; an existing one is made private too. */
export async function makePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  await chmod(dir, PRIVATE_DIR_MODE);
}

/**
 * Brings every folder under `root` to 0700 and every file to 0600, changing only what differs. PGlite
 * writes its files with its own modes whatever the process umask says, and data directories made before
 * this rule existed need fixing once, so this runs after the database has created its files. Symbolic
 * links are left alone: nothing under DATA_DIR should be one, and following one could chmod a file
 * outside it.
 *
 * Synchronous on purpose: it runs once, at start-up, before the server listens. A data directory holds
 * about a thousand files, and a thousand lstat calls take 10–25 ms in a row but ~250 ms as promises through
 * libuv's four-thread pool, which was a tenth of a restart (DESIGN section 7: listening within 3 s).
 */
export function makeTreePrivate(root: string): void {
  const stats = lstatSync(root);
  if (stats.isSymbolicLink()) return;
  const wanted = stats.isDirectory() ? PRIVATE_DIR_MODE : PRIVATE_FILE_MODE;
  if ((stats.mode & 0o7777) !== wanted) chmodSync(root, wanted);
  if (!stats.isDirectory()) return;
  for (const entry of readdirSync(root)) makeTreePrivate(path.join(root, entry));
}
