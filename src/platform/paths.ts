import { existsSync } from 'node:fs';
import path from 'node:path';

function findRoot(from: string): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

/**
 * The project root (the folder holding package.json), found by walking up, so that locales, views and
 * public files resolve the same from src/ under tsx and from the compiled dist/src/ that `npm start` runs.
 */
export const ROOT = findRoot(__dirname);

/** A path under the project root. */
export function fromRoot(...parts: string[]): string {
  return path.join(ROOT, ...parts);
}
