import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Reference } from '../reference/types';
import type { ReleaseRecord } from '../releases/read';
import { ROOT } from './paths';

// Caching for the public site. Releases are frozen, so anything rendered from one can be kept and sent
// again byte for byte: pages, SVG and PNG maps, CSV and ZIP files are built once per release and kept
// in a memory cache bounded by size, and browsers and proxies revalidate with a strong ETag.

/** A least-recently-used map bounded by the total size of its values; async builds are shared. */
export class ByteLru<V> {
  private readonly entries = new Map<string, { value: V; size: number }>();
  private readonly pending = new Map<string, Promise<V>>();
  private bytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly sizeOf: (value: V) => number,
  ) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V): V {
    const size = this.sizeOf(value);
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= old.size;
      this.entries.delete(key);
    }
    if (size > this.maxBytes) return value;
    this.entries.set(key, { value, size });
    this.bytes += size;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.size;
    }
    return value;
  }

  /** The cached value, or builds it once however many requests ask for it at the same time. */
  async getOrBuild(key: string, build: () => V | Promise<V>): Promise<V> {
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    let running = this.pending.get(key);
    if (!running) {
      running = Promise.resolve()
        .then(build)
        .then((value) => this.set(key, value))
        .finally(() => this.pending.delete(key));
      this.pending.set(key, running);
    }
    return running;
  }

  get size(): number {
    return this.bytes;
  }
}

/** Byte size of a string or buffer value, for ByteLru. */
export function byteSize(value: string | Uint8Array): number {
  return typeof value === 'string' ? Buffer.byteLength(value) : value.byteLength;
}

/**
 * A fingerprint of everything a public response is built from besides the release: package.json (the
 * app's version and its dependencies), its templates, translations and stylesheet, and the reference data. It goes into every ETag, so a
 * deploy that changes any of them never leaves a cache serving the old bytes after revalidation.
 */
export function buildFingerprint(reference: Reference): string {
  const root = ROOT;
  const hash = createHash('sha256');
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true })
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  for (const file of [
    ...files(path.join(root, 'views')),
    ...files(path.join(root, 'locales')),
    path.join(root, 'public/css/app.css'),
    path.join(root, 'package.json'),
  ]) {
    hash.update(file).update(readFileSync(file));
  }
  hash.update(JSON.stringify(reference));
  return hash.digest('base64url').slice(0, 12);
}

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
