import type { Db } from './db';
import type { Logger } from './logger';

// Promise 1 depends on two server settings the app cannot change. track_commit_timestamp = on keeps
// each transaction's commit time in pg_commit_ts, readable by xmin for as long as the rows live (not
// only until the WAL is recycled), which would give every staged row and moderator action its second.
// archive_mode = on keeps every WAL segment, with every commit time, for as long as the archive is
// kept. docs/threat-model.md ("Operating PostgreSQL") says what to set; start-up says when it is not so.

export interface WalSettings {
  trackCommitTimestamp: string;
  archiveMode: string;
}

/** The warnings these settings deserve: fixed sentences, with no address, time or value from a reporter. */
export function walWarnings(settings: WalSettings): string[] {
  const warnings: string[] = [];
  if (settings.trackCommitTimestamp === 'on') {
    warnings.push(
      'PostgreSQL track_commit_timestamp is on: it records when every transaction committed; turn it off (docs/threat-model.md)',
    );
  }
  if (settings.archiveMode !== 'off') {
    warnings.push(
      'PostgreSQL archive_mode is on: archived WAL keeps commit times and sealed texts after they are deleted; do not archive this database (docs/threat-model.md)',
    );
  }
  return warnings;
}

/** Reads the two settings and logs a warning line for each that breaks the promise. */
export async function checkWalSettings(db: Db, logger: Logger): Promise<string[]> {
  const result: unknown = await db.raw(
    "select current_setting('track_commit_timestamp') as track, current_setting('archive_mode') as archive",
  );
  const row = (result as { rows: { track: string; archive: string }[] }).rows[0];
  const warnings = walWarnings({
    trackCommitTimestamp: row?.track ?? 'off',
    archiveMode: row?.archive ?? 'off',
  });
  for (const warning of warnings) logger.warn(warning);
  return warnings;
}
