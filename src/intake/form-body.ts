// Reading a posted form's body, which is untrusted: any field may be missing, repeated (an array) or of
// another type, and the body parser may have put `__proto__` or `constructor` keys on the object.

/** One field of a body, own properties only. */
export function field(body: unknown, name: string): unknown {
  if (body === null || typeof body !== 'object' || !Object.hasOwn(body, name)) return undefined;
  return (body as Record<string, unknown>)[name];
}

/** A single text answer; anything else is empty. */
export function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** A multiple-choice answer: one value or several, strings only. */
export function list(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}

/** Reads one string field from a body (the form token, the receipt to keep on a re-rendered page). */
export function textField(body: unknown, name: string): string {
  return text(field(body, name));
}
