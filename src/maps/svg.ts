// Small helpers for writing SVG as strings: every piece of text that reaches the markup goes through
// escapeXml, because labels and names come from translations and reference data, not from this file.

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

// Characters XML 1.0 forbids outright; a stray one would make the whole document unparseable.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Escapes text for use in XML content or a double-quoted attribute, dropping characters XML cannot hold. */
export function escapeXml(text: string): string {
  return text.replace(FORBIDDEN, '').replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** Rounds a coordinate to one decimal: a tenth of a unit is finer than a pixel at any size we draw. */
export function fmt(n: number): string {
  return String(Math.round(n * 10) / 10);
}
