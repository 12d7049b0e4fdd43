import { spawnSync } from 'node:child_process';

// Some suites need more than Node and a database: Chromium, pandas, a PostgreSQL server of our own, Redis. Without
// it a suite skips and says so in one line, so a local run stays usable. CI names what it provides in
// TEST_REQUIRE (comma-separated); a suite whose need is named there but missing fails instead of skipping,
// so a CI run can never pass by skipping what it was meant to run.

export type Need = 'chromium' | 'pandas' | 'server' | 'redis';

const required = new Set((process.env.TEST_REQUIRE ?? '').split(',').map((need) => need.trim()));

/** `describe` when `available`; otherwise a skip with one line saying why, or a failure where CI requires it. */
export function describeNeeding(need: Need, available: boolean, missing: string): typeof describe {
  if (available) return describe;
  const file = (expect.getState().testPath ?? '').replace(/^.*\/test\//, 'test/');
  if (required.has(need)) {
    const failing = (name: unknown) =>
      describe(String(name), () => {
        it(`has what it needs (${need})`, () => {
          throw new Error(`${file}: TEST_REQUIRE lists ${need}, but ${missing}`);
        });
      });
    return Object.assign(failing, describe);
  }
  process.stderr.write(`${file} skipped: ${missing}\n`);
  return describe.skip;
}

/**
 * Whether a TCP server answers at the URL's host and port, known before any test is declared (describe
 * blocks are built synchronously, so the probe runs in a child process with a one-second limit).
 */
export function reachable(url: string, defaultPort: number): boolean {
  const { hostname, port } = new URL(url);
  const script =
    "const s=require('node:net').connect(Number(process.argv[2]),process.argv[1]);" +
    "s.setTimeout(1000,()=>process.exit(1));s.on('connect',()=>process.exit(0));s.on('error',()=>process.exit(1))";
  const host = hostname.replace(/^\[|\]$/g, '');
  const result = spawnSync(process.execPath, ['-e', script, host, port || String(defaultPort)], {
    timeout: 3000,
  });
  return result.status === 0;
}
