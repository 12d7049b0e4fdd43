// Number formatting in the page's language (1,234 in English, 1234 or 1.234 in Spanish).

const formats = new Map<string, Intl.NumberFormat>();

/** Formats a whole count for display, reusing one formatter per locale since building one is slow. */
export function formatCount(n: number, locale: string): string {
  let f = formats.get(locale);
  if (!f) {
    f = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
    formats.set(locale, f);
  }
  return f.format(n);
}
