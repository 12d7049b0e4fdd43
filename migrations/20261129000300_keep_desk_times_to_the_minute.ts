import type { Knex } from 'knex';

// Times on the desk's rows no finer than needed. Moderators' audit events and session expiries are the
// only clock times left in the schema (reporters' rows carry dates only, and reach their tables in the
// daily move). The audit trail needs the order of events (its serial id) and a time a person can read;
// sessions need a 30-minute idle timeout and an 8-hour limit. A minute serves both, and seconds would only
// add a finer clock for lining up anything else a seized copy holds. The checks keep every code path to it.

export async function up(knex: Knex): Promise<void> {
  await knex.raw("alter table audit_events alter column occurred_at set default date_trunc('minute', now())");
  await knex.raw(
    "alter table audit_events add constraint audit_events_minute check (occurred_at = date_trunc('minute', occurred_at))",
  );
  await knex.raw(
    "alter table sessions add constraint sessions_minute check (idle_expires_at = date_trunc('minute', idle_expires_at) and absolute_expires_at = date_trunc('minute', absolute_expires_at))",
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table sessions drop constraint sessions_minute');
  await knex.raw('alter table audit_events drop constraint audit_events_minute');
  await knex.raw('alter table audit_events alter column occurred_at set default now()');
}
