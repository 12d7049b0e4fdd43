import type { Knex } from 'knex';

// Moderator accounts (DESIGN section 5). Nothing in this table can read a narrative on its own: the desk
// private key is stored only wrapped under a key derived from the moderator's password, and the TOTP
// secret is encrypted under a key derived from SESSION_SECRET, which lives outside the database.

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('moderators', (t) => {
    t.increments('id').primary();
    // Lower-case letters, digits, dot, dash and underscore; compared as stored.
    t.text('username').notNullable().unique();
    t.text('role').notNullable().checkIn(['admin', 'moderator']);
    // Argon2id in PHC string form (algorithm, parameters and salt included).
    t.text('password_hash').notNullable();
    // The generated one-time password must be replaced at first login.
    t.boolean('must_change_password').notNullable().defaultTo(true);
    // version | Argon2id parameters | salt | nonce | XChaCha20-Poly1305(desk private key); null: no desk access yet.
    t.binary('wrapped_desk_key').nullable();
    // Which desk key pair the wrapped key belongs to (desk_keys.id).
    t.integer('desk_key_id').nullable();
    // nonce | XChaCha20-Poly1305(TOTP secret) under a key derived from SESSION_SECRET.
    t.binary('totp_secret_sealed').nullable();
    // False until the first code from the authenticator app has been accepted.
    t.boolean('totp_enrolled').notNullable().defaultTo(false);
    // The last 30-second step whose code was accepted: a code is never accepted twice.
    t.bigInteger('totp_last_step').nullable();
    t.boolean('disabled').notNullable().defaultTo(false);
    t.date('created_on').notNullable();
  });
  await knex.raw(
    "alter table moderators add constraint moderators_username_format check (username ~ '^[a-z0-9][a-z0-9._-]{1,39}$')",
  );
  await knex.raw(
    'alter table moderators add constraint moderators_desk_key_pair check ((wrapped_desk_key is null) = (desk_key_id is null))',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('moderators');
}
