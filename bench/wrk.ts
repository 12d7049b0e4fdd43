// wrk (Debian's package: `apt-get install -y wrk`) as a second load generator for bench/public.ts.
// autocannon runs in Node, on the same two cores as the servers, and reads bodies slowly: the 331 KB
// field-office map PNG measured 146–173 req/s under it and 1,707–3,396 req/s under wrk in this bench.
// wrk is C, so its figures for large bodies are the server's, not the generator's. For pages of a few KiB
// the two give figures of the same order, and both p99s follow the shared host (so does the ceiling's).
// Budgets are still judged with autocannon, as DESIGN section 7 and issue 15 measure them; wrk is the
// cross-check (BENCH_GENERATOR=wrk).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/** What a load generator reports of one run (wrk here; bench/public.ts maps autocannon's onto it). */
export interface LoadResult {
  rps: number;
  /** 99th percentile latency in milliseconds. */
  p99: number;
  total: number;
  bytesPerSecond: number;
  errors: number;
}

const UNITS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };
const SIZES: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };

/** Runs wrk with one thread (one core, as autocannon has) and parses what it prints. */
export async function runWrk(options: {
  url: string;
  connections: number;
  seconds: number;
  acceptEncoding: string;
}): Promise<LoadResult> {
  const args = [
    '-t1',
    `-c${options.connections}`,
    `-d${options.seconds}s`,
    '--latency',
    ...(options.acceptEncoding ? ['-H', `accept-encoding: ${options.acceptEncoding}`] : []),
    options.url,
  ];
  const { stdout } = await promisify(execFile)('wrk', args);
  return parseWrk(stdout);
}

export function parseWrk(text: string): LoadResult {
  const p99 = /^\s+99%\s+([\d.]+)(us|ms|s|m)$/m.exec(text);
  const rps = /^Requests\/sec:\s+([\d.]+)$/m.exec(text);
  const total = /^\s+(\d+) requests in /m.exec(text);
  const transfer = /^Transfer\/sec:\s+([\d.]+)(B|KB|MB|GB)$/m.exec(text);
  if (!p99 || !rps || !total || !transfer) throw new Error(`wrk printed what this cannot read:\n${text}`);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(text);
  const errors =
    (socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0) + Number(non2xx?.[1] ?? 0);
  return {
    rps: Number(rps[1]),
    p99: Number(p99[1]) * UNITS[p99[2]!]!,
    total: Number(total[1]),
    bytesPerSecond: Number(transfer[1]) * SIZES[transfer[2]!]!,
    errors,
  };
}
