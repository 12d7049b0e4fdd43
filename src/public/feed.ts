import { LANGS, localizedPath, translate, type Lang } from '../platform/i18n';
import type { ReleaseRecord } from '../releases/read';
import { escapeXml } from '../maps/svg';

// An Atom feed of the releases (/data/releases.atom, /es/data/releases.atom), so people can follow new
// releases in any feed reader without an account. Written in the feed's language, with links to each
// release in every language. Releases carry dates, not times: every timestamp is midnight UTC.

const ATOM_NS = 'http://www.w3.org/2005/Atom';

/** A release date as an Atom timestamp. */
const stamp = (date: string): string => `${date}T00:00:00Z`;

function link(attributes: Record<string, string>): string {
  const text = Object.entries(attributes)
    .map(([name, value]) => `${name}="${escapeXml(value)}"`)
    .join(' ');
  return `<link ${text}/>`;
}

function entry(record: ReleaseRecord, lang: Lang, origin: string): string {
  const others = LANGS.filter((candidate) => candidate !== lang);
  const page = `/data/releases/${record.label}`;
  // Release notes are written in English and Spanish only; other languages read the English.
  const notes = lang === 'es' ? record.notesEs : record.notesEn;
  const summary = [
    translate(lang, 'public.feed.entry_summary', { cutoff: record.cutoff, k: record.threshold }),
    notes,
  ]
    .filter(Boolean)
    .join(' ');
  return [
    '<entry>',
    `<id>${escapeXml(`${origin}${page}`)}</id>`,
    `<title>${escapeXml(translate(lang, 'public.release.title', { label: record.label }))}</title>`,
    `<published>${stamp(record.publishedOn)}</published>`,
    `<updated>${stamp(record.publishedOn)}</updated>`,
    link({
      rel: 'alternate',
      type: 'text/html',
      hreflang: lang,
      href: `${origin}${localizedPath(lang, page)}`,
    }),
    ...others.map((other) =>
      link({
        rel: 'alternate',
        type: 'text/html',
        hreflang: other,
        href: `${origin}${localizedPath(other, page)}`,
      }),
    ),
    link({
      rel: 'related',
      type: 'application/json',
      title: translate(lang, 'public.reuse.datapackage_title'),
      href: `${origin}${page}/datapackage.json`,
    }),
    link({ rel: 'enclosure', type: 'application/zip', href: `${origin}${page}/all.zip` }),
    `<summary type="text">${escapeXml(summary)}</summary>`,
    '</entry>',
  ].join('\n');
}

/** The Atom feed of every release, newest first, in one language. */
export function releasesFeed(records: readonly ReleaseRecord[], lang: Lang, origin: string): string {
  const others = LANGS.filter((candidate) => candidate !== lang);
  const self = `${origin}${localizedPath(lang, '/data/releases.atom')}`;
  // With no release yet the feed still exists, so people can subscribe before the first one.
  const updated = records[0] ? stamp(records[0].publishedOn) : '1970-01-01T00:00:00Z';
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="${ATOM_NS}" xml:lang="${lang}">`,
    `<id>${escapeXml(self)}</id>`,
    `<title>${escapeXml(translate(lang, 'public.feed.title'))}</title>`,
    `<subtitle>${escapeXml(translate(lang, 'public.feed.subtitle'))}</subtitle>`,
    `<updated>${updated}</updated>`,
    link({ rel: 'self', type: 'application/atom+xml', href: self }),
    link({
      rel: 'alternate',
      type: 'text/html',
      hreflang: lang,
      href: `${origin}${localizedPath(lang, '/data/releases')}`,
    }),
    ...others.flatMap((other) => [
      link({
        rel: 'alternate',
        type: 'text/html',
        hreflang: other,
        href: `${origin}${localizedPath(other, '/data/releases')}`,
      }),
      link({
        rel: 'alternate',
        type: 'application/atom+xml',
        hreflang: other,
        href: `${origin}${localizedPath(other, '/data/releases.atom')}`,
      }),
    ]),
    `<author><name>Represalia</name><uri>${escapeXml(origin)}</uri></author>`,
    `<rights>${escapeXml(translate(lang, 'public.feed.rights'))}</rights>`,
    ...records.map((record) => entry(record, lang, origin)),
    '</feed>',
    '',
  ].join('\n');
}
