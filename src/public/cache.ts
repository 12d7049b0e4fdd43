import type { ReleaseRecord } from '../releases/read';

// Caching for the public site. Releases are frozen, so anything rendered from one can be kept and sent
// again byte for byte: pages, SVG and PNG maps, CSV and ZIP files are built once per release and kept
// in a memory cache bounded by size (platform/byte-cache.ts), and browsers and proxies revalidate with a
// strong ETag.

// Pages that follow "the latest release" change when one is published; pinned ones only with a deploy.
// Fingerprinted addresses never change what they hold, so they may be kept for a year.
export const MAX_AGE = { latest: 300, pinned: 86400, static: 3600, fingerprinted: 31536000 } as const;

/**
 * The ETag of anything built from one release (or from none yet). The label names the release (labels
 * are unique and releases frozen), never its row id: an ETag says nothing the body does not, and the id
 * would count the publications attempted.
 */
export function releaseTag(fingerprint: string, release: ReleaseRecord | undefined, variant = ''): string {
  const part = release ? release.label : 'none';
  return `"${fingerprint}-${part}${variant ? `-${variant}` : ''}"`;
}
