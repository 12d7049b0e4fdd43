import type { Knex } from 'knex';

// The desk's queue is read page by page in (received_on, id) order among reports still on the desk
// (issue 16: keyset paging); this index serves each page and its "is there more" checks directly.

export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    "create index reports_queue_order on reports (received_on, id) where status in ('pending', 'needs_info')",
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index reports_queue_order');
}
