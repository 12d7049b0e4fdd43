import type { Knex } from 'knex';

// Rotating the desk key (issue 16) needs a way to hand the new key to each remaining moderator without
// their passwords. Each moderator gets a key pair of their own: its private half wrapped under their
// password-derived key (the same wrap as the desk key's), its public half here with an authenticator
// under SESSION_SECRET (like desk_keys', so a row written with database access alone is refused), and
// desk_key_sealed: the desk private key sealed to that public half, which only the moderator's password
// opens. Nullable: accounts get their pair at their next sign-in, password change or reset.

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('moderators', (t) => {
    t.binary('key_public').nullable();
    t.binary('key_wrapped').nullable();
    t.binary('key_authenticator').nullable();
    t.binary('desk_key_sealed').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('moderators', (t) => {
    t.dropColumn('key_public');
    t.dropColumn('key_wrapped');
    t.dropColumn('key_authenticator');
    t.dropColumn('desk_key_sealed');
  });
}
