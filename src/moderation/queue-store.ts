import type { Knex } from 'knex';
import { QUEUE_STATUSES, type QueueStatus } from '../reports/types';
import type { PageAt, QueueCursor } from './queue-cursor';
import { queueQuery, toQueueItem, type QueueFilter, type QueueItem, type QueueRow } from './store';

// SQL for the queue's pages (issue 16): oldest first by (received_on, id), keyset paged, with the counts
// per status under the same place filter. Functions take the knex handle first.

export interface QueuePage {
  items: QueueItem[];
  /** Reports matching the whole filter. */
  total: number;
  /** Reports on the desk per status, under the filter's state and field office. */
  counts: Record<QueueStatus, number>;
  /** Whether reports come before this page's first and after its last, under the filter. */
  hasBefore: boolean;
  hasAfter: boolean;
}

const ORDER = '(r.received_on, r.id)';

function filtered(query: Knex.QueryBuilder, filter: QueueFilter, statuses = filter.statuses) {
  void query.whereIn('r.status', statuses);
  if (filter.state) void query.where('r.state', filter.state);
  if (filter.fieldOffice) void query.where('r.field_office', filter.fieldOffice);
  return query;
}

const beyond = (query: Knex.QueryBuilder, op: '<' | '>', cursor: QueueCursor) =>
  query.whereRaw(`${ORDER} ${op} (?::date, ?::uuid)`, [cursor.receivedOn, cursor.id]);

async function exists(db: Knex, filter: QueueFilter, op: '<' | '>', cursor: QueueCursor): Promise<boolean> {
  const row: unknown = await beyond(
    filtered(db('reports as r').select(db.raw('1')), filter),
    op,
    cursor,
  ).first();
  return row !== undefined;
}

/** One page of the queue, oldest first: the first page, the one after a cursor, or the one before it. */
export async function listQueuePage(
  db: Knex,
  filter: QueueFilter,
  at: PageAt,
  limit: number,
): Promise<QueuePage> {
  const backwards = 'before' in at;
  const query = filtered(queueQuery(db), filter)
    .orderBy([
      { column: 'r.received_on', order: backwards ? 'desc' : 'asc' },
      { column: 'r.id', order: backwards ? 'desc' : 'asc' },
    ])
    .limit(limit);
  if ('after' in at) void beyond(query, '>', at.after);
  if ('before' in at) void beyond(query, '<', at.before);
  const rows = (await query) as QueueRow[];
  const items = (backwards ? rows.reverse() : rows).map(toQueueItem);
  const grouped: unknown = await filtered(db('reports as r'), filter, [...QUEUE_STATUSES])
    .select('r.status')
    .count({ n: '*' })
    .groupBy('r.status');
  const counts: Record<QueueStatus, number> = { pending: 0, needs_info: 0 };
  for (const row of grouped as { status: QueueStatus; n: string | number }[])
    counts[row.status] = Number(row.n);
  const total = filter.statuses.reduce((sum, status) => sum + counts[status], 0);
  const first = items[0];
  const last = items[items.length - 1];
  // An empty page (every report after the cursor decided meanwhile) offers the first page, not these.
  const hasBefore = first ? await exists(db, filter, '<', first) : false;
  const hasAfter = last ? await exists(db, filter, '>', last) : false;
  return { items, total, counts, hasBefore, hasAfter };
}
