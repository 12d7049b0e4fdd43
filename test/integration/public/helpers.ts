import { assertWellFormedXml } from '../../unit/maps/xml';

/** Every inline <svg>…</svg> in a page, each checked for well-formed XML. */
export function inlineSvgs(html: string): string[] {
  const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
  for (const svg of svgs) assertWellFormedXml(svg);
  return svgs;
}

/** Ids used more than once in a page (each one an accessibility defect). */
export function duplicateIds(html: string): string[] {
  const seen = new Map<string, number>();
  for (const [, id] of html.matchAll(/\sid="([^"]+)"/g)) seen.set(id!, (seen.get(id!) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
}

/** Translation keys that reached a page untranslated. */
export function untranslated(text: string): string[] {
  return text.match(/\b(public|home|nav|errors)\.[a-z_]+\.[a-z_.]+\b/g) ?? [];
}
