import { chmod, lstat, mkdir, mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makePrivateDir, makeTreePrivate } from '../../../src/platform/private-files';

// A data directory made before the rule (PGlite writes its files 0666) is brought to 0700/0600 at start.

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'represalia-private-'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

const modeOf = async (target: string) => (await lstat(target)).mode & 0o7777;

describe('makeTreePrivate', () => {
  it('makes every folder 0700 and every file 0600, however loose they were', async () => {
    const data = path.join(root, 'data');
    await mkdir(path.join(data, 'pgdata', 'base', '1'), { recursive: true });
    await writeFile(path.join(data, 'pgdata', 'base', '1', '1259'), 'x');
    await writeFile(path.join(data, 'secrets.json'), '{}');
    await chmod(path.join(data, 'pgdata', 'base', '1', '1259'), 0o666);
    await chmod(path.join(data, 'secrets.json'), 0o644);
    for (const dir of ['', 'pgdata', 'pgdata/base', 'pgdata/base/1'])
      await chmod(path.join(data, dir), 0o777);

    makeTreePrivate(data);

    for (const dir of ['', 'pgdata', 'pgdata/base', 'pgdata/base/1'])
      expect(await modeOf(path.join(data, dir))).toBe(0o700);
    expect(await modeOf(path.join(data, 'pgdata', 'base', '1', '1259'))).toBe(0o600);
    expect(await modeOf(path.join(data, 'secrets.json'))).toBe(0o600);
  });

  it('never follows a symbolic link out of the tree', async () => {
    const outside = path.join(root, 'outside.txt');
    await writeFile(outside, 'not ours');
    await chmod(outside, 0o644);
    const data = path.join(root, 'data');
    await mkdir(data);
    await symlink(outside, path.join(data, 'link'));
    makeTreePrivate(data);
    expect((await stat(outside)).mode & 0o777).toBe(0o644);
  });
});

describe('makePrivateDir', () => {
  it('creates missing parents and tightens an existing folder', async () => {
    const nested = path.join(root, 'a', 'b');
    await makePrivateDir(nested);
    expect(await modeOf(nested)).toBe(0o700);
    await chmod(nested, 0o755);
    await makePrivateDir(nested);
    expect(await modeOf(nested)).toBe(0o700);
  });
});
