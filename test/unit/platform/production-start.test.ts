import { spawnSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// Issue 10, item 8: a production deployment is `npm ci --omit=dev` of a built tree. It starts without
// build tools and never writes to the code directory; a newcomer's `npm install && npm start` still
// builds by itself.

const ROOT = path.resolve(__dirname, '../../..');
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** Every file under a folder with one of the extensions. */
function filesUnder(dir: string, extension: RegExp): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(relative, extension);
    return extension.test(entry.name) && !entry.name.endsWith('.d.ts') ? [relative] : [];
  });
}

/** The package a bare import specifier names (`@scope/name/sub` → `@scope/name`). */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

describe('package.json', () => {
  it('keeps build tools out of the production dependencies and runs nothing at install', () => {
    for (const tool of ['esbuild', 'tsx', 'typescript', '@swc/core']) {
      expect(manifest.dependencies[tool]).toBeUndefined();
      expect(manifest.devDependencies[tool]).toBeDefined();
    }
    for (const hook of ['prestart', 'prepare', 'preinstall', 'install', 'postinstall'])
      expect(manifest.scripts[hook]).toBeUndefined();
  });

  it('starts the server and the operators’ tools from dist/, never through tsx', () => {
    // npm start runs ensure-build and the server in one process (scripts/start.mjs, tested below).
    expect(manifest.scripts.start).toMatch(/^node (--[\w-]+(=\S+)? )+scripts\/start\.mjs$/);
    for (const name of [
      'migrate',
      'seed',
      'moderator:create',
      'retention',
      'release:publish',
      'desk-key:confirm',
    ]) {
      expect(manifest.scripts[name]).toMatch(/^node scripts\/ensure-build\.mjs && node .*dist\/src\//);
      expect(manifest.scripts[name]).not.toMatch(/\btsx\b/);
    }
  });

  it('lists every package the running code imports among the production dependencies', () => {
    // Development-only code: the map geometry builder that writes a source file, and the worker bootstrap
    // used only when running from TypeScript source through tsx (compiled code loads worker.js instead).
    const devOnly = new Set(['src/cli/maps-build.ts', 'src/releases/tsx-worker.ts']);
    const files = ['src', 'migrations', 'seeds']
      .flatMap((dir) => filesUnder(dir, /\.ts$/))
      .filter((file) => !devOnly.has(file));
    const builtins = new Set(builtinModules);
    const missing = new Set<string>();
    const found = new Set<string>();
    for (const file of files) {
      const source = readFileSync(path.join(ROOT, file), 'utf8');
      // Type-only imports vanish at build time; everything else must resolve in production.
      const imports = [
        ...source.matchAll(/^import (?!type )[^;]*?from '([^.'][^']*)'/gm),
        ...source.matchAll(/^import '([^.'][^']*)'/gm),
        ...source.matchAll(/\brequire(?:\.resolve)?\(\s*['`]([^.'`$][^'`$]*)/g),
      ];
      for (const [, specifier] of imports) {
        if (!specifier || specifier.startsWith('node:') || builtins.has(specifier)) continue;
        const name = packageOf(specifier);
        found.add(name);
        if (!manifest.dependencies[name]) missing.add(`${name} (${file})`);
      }
    }
    expect([...missing]).toEqual([]);
    // The scan sees imports, requires and require.resolve alike, and the requires made at first use.
    for (const name of ['express', 'knex', '@scure/bip39', 'us-atlas', 'ioredis', 'qrcode'])
      expect(found).toContain(name);
  });

  it('has no dependency the code never imports', () => {
    const sources = ['src', 'migrations', 'seeds', 'scripts', 'bench', 'test']
      .flatMap((dir) => filesUnder(dir, /\.(ts|mjs)$/))
      .map((file) => readFileSync(path.join(ROOT, file), 'utf8'))
      .join('\n');
    // Packages used without an import in our code: the map atlas is read by path (atlas.ts), and a
    // browser test loads axe-core's script file.
    const usedByPath = new Set(['us-atlas', 'axe-core']);
    const unused = Object.keys(manifest.dependencies).filter(
      (name) => !usedByPath.has(name) && !sources.includes(`'${name}`) && !sources.includes(`"${name}`),
    );
    expect(unused).toEqual([]);
  });
});

describe('scripts/ensure-build.mjs and scripts/start.mjs', () => {
  let tree: string;
  beforeEach(() => {
    // A copy of the tree's shape: the scripts, the build script, one source file standing for the server.
    tree = mkdtempSync(path.join(tmpdir(), 'represalia-build-'));
    for (const dir of ['scripts', 'src', 'migrations', 'seeds']) mkdirSync(path.join(tree, dir));
    for (const script of ['ensure-build.mjs', 'build.mjs', 'start.mjs'])
      copyFileSync(path.join(ROOT, 'scripts', script), path.join(tree, 'scripts', script));
    writeFileSync(
      path.join(tree, 'src', 'server.ts'),
      "export const started: boolean = true;\nexport function run(): void { process.stdout.write('server running'); }\n",
    );
  });
  afterEach(() => rmSync(tree, { recursive: true, force: true }));

  const run = (env: Record<string, string>, script = 'ensure-build.mjs') =>
    spawnSync(process.execPath, [path.join(tree, 'scripts', script)], {
      env: { PATH: process.env.PATH, ...env },
      encoding: 'utf8',
    });
  const listing = (): string[] =>
    readdirSync(tree, { recursive: true, withFileTypes: true }).map((entry) => {
      const file = path.join(entry.parentPath, entry.name);
      return `${path.relative(tree, file)} ${statSync(file).mtimeMs}`;
    });

  it('in production, refuses a tree without a build, says how to make one, and writes nothing', () => {
    const before = listing();
    const result = run({ NODE_ENV: 'production' });
    expect(result.status).toBe(78);
    expect(result.stderr).toMatch(/No build in dist\/[\s\S]*npm run build[\s\S]*--omit=dev/);
    expect(listing()).toEqual(before);
  });

  it('in production, runs an existing build as it is, without build tools and without writing', () => {
    mkdirSync(path.join(tree, 'dist', 'src'), { recursive: true });
    writeFileSync(path.join(tree, 'dist', 'src', 'server.js'), '');
    const before = listing();
    // No node_modules in this tree at all: nothing to build with, and nothing needed.
    expect(run({ NODE_ENV: 'production' }).status).toBe(0);
    expect(listing()).toEqual(before);
  });

  it('outside production, builds a missing or stale dist/ with esbuild, and only then', () => {
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(tree, 'node_modules'));
    expect(run({ NODE_ENV: 'development' }).status).toBe(0);
    const built = path.join(tree, 'dist', 'src', 'server.js');
    expect(readFileSync(built, 'utf8')).toContain('started');
    const first = statSync(built).mtimeMs;
    expect(run({}).status).toBe(0);
    expect(statSync(built).mtimeMs).toBe(first);
    const later = new Date(Date.now() + 5_000);
    utimesSync(path.join(tree, 'src', 'server.ts'), later, later);
    expect(run({}).status).toBe(0);
    expect(statSync(built).mtimeMs).toBeGreaterThan(first);
  });

  it('outside production, says what to do when dist/ must be built and esbuild is not installed', () => {
    const result = run({});
    expect(result.status).toBe(78);
    expect(result.stderr).toMatch(/esbuild \(a development dependency\) is not installed/);
  });

  it('npm start builds a missing dist/ and runs the built server in the same process', () => {
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(tree, 'node_modules'));
    const result = run({}, 'start.mjs');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('server running');
    expect(existsSync(path.join(tree, 'dist', 'src', 'server.js'))).toBe(true);
  });

  it('npm start in production refuses a tree without a build before running anything', () => {
    const result = run({ NODE_ENV: 'production' }, 'start.mjs');
    expect(result.status).toBe(78);
    expect(result.stdout).toBe('');
  });
});
