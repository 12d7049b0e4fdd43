import type { Knex } from 'knex';

// One row per desk key rotation: which key replaced which, who started it, and the re-sealing job's
// progress. old_private_sealed carries the retired private key sealed to the NEW public key, so that any
// holder of the new key (and only one) can resume the job after a restart; it is set to null when the
// job destroys the old key. Dates only.

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('desk_key_rotations', (t) => {
    t.increments('id').primary();
    t.integer('from_key_id').notNullable().references('id').inTable('desk_keys');
    t.integer('to_key_id').notNullable().unique().references('id').inTable('desk_keys');
    t.integer('moderator_id').nullable().references('id').inTable('moderators').onDelete('SET NULL');
    t.date('started_on').notNullable();
    t.date('finished_on').nullable();
    t.binary('old_private_sealed').nullable();
    t.integer('resealed').notNullable().defaultTo(0);
    t.integer('unreadable').notNullable().defaultTo(0);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('desk_key_rotations');
}
