import type { Request } from 'express';
import { z } from 'zod';
import { NotFoundError } from '../platform/errors';
import { parseOrThrow } from '../platform/parse';

/** A report id as a form or a path carries it: any uuid, compared in lower case. */
export const reportUuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);

/** The report id in a desk path; a malformed one is answered like an unknown one: 404, never a database error. */
export function reportIdParam(req: Request): string {
  return parseOrThrow(reportUuid, req.params.id, {}, () => new NotFoundError()).toLowerCase();
}
