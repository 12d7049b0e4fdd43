import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './paths';

/**
 * A fingerprint of everything a cached response is built from besides its own data: package.json (the
 * app's version and its dependencies), its templates, translations and stylesheet, and `data` (the
 * reference data, hashed as JSON). It goes into every ETag, so a deploy that changes any of them never
 * leaves a cache serving the old bytes after revalidation.
 */
export function buildFingerprint(data: unknown): string {
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
  hash.update(JSON.stringify(data));
  return hash.digest('base64url').slice(0, 12);
}
