// Runs before the command-line tools (`node scripts/ensure-build.mjs && node dist/…`) and inside
// `npm start` (scripts/start.mjs): makes sure dist/ holds a build of the current sources, without ever
// writing to the code directory in production.
//
// - NODE_ENV=production: the tree is deployed built (`npm ci && npm run build` on a build machine or in
//   an image's build stage, then `npm ci --omit=dev`), so there are no build tools here and nothing is
//   written: a missing build stops the start with a message saying how to make one.
// - Otherwise (a newcomer's `npm install && npm start`, a developer): dist/ is rebuilt with esbuild, a
//   development dependency, when it is missing or older than any source file. A quarter of a second.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
const built = path.join(root, 'dist/src/server.js');
const SOURCES = ['src', 'migrations', 'seeds'];

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(relative));
    else if (entry.name.endsWith('.ts'))
      newest = Math.max(newest, statSync(path.join(root, relative)).mtimeMs);
  }
  return newest;
}

/** Returns once dist/ can be run (building it first where allowed); exits with 78 and says why if not. */
export async function ensureBuild() {
  const builtAt = existsSync(built) ? statSync(built).mtimeMs : 0;
  const sourcesAt = Math.max(
    0,
    ...SOURCES.filter((dir) => existsSync(path.join(root, dir))).map(newestSource),
  );

  if (process.env.NODE_ENV === 'production') {
    if (builtAt === 0) {
      process.stderr.write(
        'No build in dist/. Production never builds at start: run `npm ci && npm run build` where the ' +
          'development tools are installed, then deploy the tree with dist/ and `npm ci --omit=dev`.\n',
      );
      process.exit(78);
    }
    if (sourcesAt > builtAt)
      process.stderr.write('warning: dist/ is older than the sources; running it as it is\n');
    return;
  }
  if (builtAt > 0 && builtAt >= sourcesAt) return;

  try {
    await import('esbuild');
  } catch {
    process.stderr.write(
      'dist/ is missing or older than the sources, and esbuild (a development dependency) is not ' +
        'installed: run `npm install`, or set NODE_ENV=production to run an existing build as it is.\n',
    );
    process.exit(78);
  }
  await import('./build.mjs');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await ensureBuild();
