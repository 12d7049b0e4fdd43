import type { z } from 'zod';
import { BadRequestError, type AppError } from './errors';

// The one way untrusted input (a query, a form, a path segment) becomes a typed value: parse with a zod
// schema, or throw a translated 4xx. Never a 500, never a partial value: either every field is valid
// or nothing of the input is used.

/** Translation keys for what went wrong; each capability names its own, the generic 400 otherwise. */
export interface ParseMessages {
  /** A parameter the schema does not know (strict schemas). */
  unknownKey?: string;
  /** Any other invalid value. */
  badValue?: string;
}

// A refinement may carry its own translation key as its message ('public.errors.one_filter').
const TRANSLATION_KEY = /^[a-z][a-z_]*\.[a-z0-9_.]+$/;

/**
 * Parses `input` with `schema`, or throws: by default a 400 with the message the issue or `messages`
 * names; pass `reject` for another kind (a malformed id in a path is a 404, a form's value a 422).
 */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  input: unknown,
  messages: ParseMessages = {},
  reject: (message: string | undefined) => AppError = (message) => new BadRequestError(message),
): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (issue?.code === 'unrecognized_keys' && messages.unknownKey) throw reject(messages.unknownKey);
  if (issue?.code === 'custom' && TRANSLATION_KEY.test(issue.message)) throw reject(issue.message);
  throw reject(messages.badValue);
}
