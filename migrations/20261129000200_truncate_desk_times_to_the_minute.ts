import type { Knex } from 'knex';

// Data: audit and session times kept to the minute (the schema change that keeps them so is next).
// Irreversible: the seconds are gone, which is the point.

export async function up(knex: Knex): Promise<void> {
  await knex.raw("update audit_events set occurred_at = date_trunc('minute', occurred_at)");
  await knex.raw(
    "update sessions set idle_expires_at = date_trunc('minute', idle_expires_at), absolute_expires_at = date_trunc('minute', absolute_expires_at)",
  );
}

export function down(): Promise<void> {
  // Nothing to undo: the finer times cannot be restored, and the coarser ones are valid either way.
  return Promise.resolve();
}
