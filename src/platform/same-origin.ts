// Whether a form POST comes from one of the site's own pages, from the Sec-Fetch-Site and Origin headers
// (intake and the desk's sign-in both ask; pass every origin the site is served on, e.g. the public one
// and the onion one). The signed, single-use form token or CSRF token still has to verify:
//
// - Sec-Fetch-Site, when present, decides alone: `same-origin` or `none` (typed or bookmarked) pass,
//   `same-site`, `cross-site` and unknown values fail. Browsers send it on secure contexts (HTTPS,
//   localhost, and .onion in Tor Browser), and it is the reliable signal here, because the site's
//   `Referrer-Policy: no-referrer` makes browsers send `Origin: null` on its own form posts.
// - Otherwise an Origin equal to an allowed origin passes and any other real origin fails.
// - Otherwise (no Origin, or `Origin: null`) the request passes: it comes from an old browser, a page
//   served over plain HTTP, or a non-browser client, none of which a cross-site page can turn into a
//   forged submission from a modern browser.

export interface OriginHeaders {
  origin?: string | undefined;
  secFetchSite?: string | undefined;
}

/** True when the headers say the POST came from one of `allowedOrigins` (or say nothing either way). */
export function isSameOriginRequest(
  headers: OriginHeaders,
  allowedOrigins: string | readonly string[],
): boolean {
  const site = typeof headers.secFetchSite === 'string' ? headers.secFetchSite.trim().toLowerCase() : '';
  if (site !== '') return site === 'same-origin' || site === 'none';

  const origin = typeof headers.origin === 'string' ? headers.origin.trim().toLowerCase() : '';
  if (origin === '' || origin === 'null') return true;
  const allowed = (typeof allowedOrigins === 'string' ? [allowedOrigins] : allowedOrigins).map((value) =>
    new URL(value).origin.toLowerCase(),
  );
  return allowed.includes(origin);
}
