import type { IsoDate } from '../reports/types';
import { isRealDay } from '../platform/dates';

// Keyset paging of the queue (issue 16): a page starts after (or ends before) one report's place in the
// queue's order, received_on then id. Unlike an offset, such a cursor stays put when reports ahead of it
// are decided meanwhile, so paging on while others work the queue neither skips nor repeats a report.
// In the URL it reads `2026-02-03.<uuid>`: the date is the day received, which the page shows anyway.

export interface QueueCursor {
  receivedOn: IsoDate;
  id: string;
}

/** Where a queue page starts: after a cursor, before one, or at the head of the queue. */
export type PageAt = { after: QueueCursor } | { before: QueueCursor } | Record<string, never>;

const CURSOR = /^(\d{4})-(\d{2})-(\d{2})\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** The cursor's form in a URL. */
export function formatCursor(cursor: QueueCursor): string {
  return `${cursor.receivedOn}.${cursor.id}`;
}

/**
 * Reads a cursor from a URL; null for anything that is not one, an impossible date included (Postgres
 * would refuse 2026-02-30 with an error, and a bad link must be a 400, never a 500).
 */
export function parseCursor(text: string): QueueCursor | null {
  const match = CURSOR.exec(text.toLowerCase());
  if (!match) return null;
  const [, year, month, day, id] = match as unknown as [string, string, string, string, string];
  const receivedOn = `${year}-${month}-${day}`;
  if (!isRealDay(receivedOn)) return null;
  return { receivedOn, id };
}
