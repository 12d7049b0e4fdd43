import type { Knex } from 'knex';

// An account's desk key may now be held two ways: wrapped under its password, or (after a rotation)
// sealed to its own key pair (20261206000100). desk_key_id names the key either copy opens, so it is
// null exactly when the account holds neither.

export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table moderators drop constraint moderators_desk_key_pair');
  await knex.raw(
    'alter table moderators add constraint moderators_desk_key_pair check ((desk_key_id is null) = (wrapped_desk_key is null and desk_key_sealed is null))',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table moderators drop constraint moderators_desk_key_pair');
  await knex.raw(
    'alter table moderators add constraint moderators_desk_key_pair check ((wrapped_desk_key is null) = (desk_key_id is null))',
  );
}
