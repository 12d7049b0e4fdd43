import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { tsxWorkerSource } from './tsx-worker';
import { auditSeries, type GateInput, type GateVerdict } from './disclosure/gate';
import { buildRelease, type BuildInput, type BuildProgress, type BuiltRelease } from './disclosure/suppress';

const running = new Set<Worker>();

type Message<T> =
  | { type: 'progress'; progress: BuildProgress }
  | { type: 'done'; result: T }
  | { type: 'error'; message: string };

function inWorker<T>(
  task: 'build' | 'gate',
  input: unknown,
  onProgress?: (p: BuildProgress) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = compiled
      ? new Worker(path.join(__dirname, 'worker.js'), { workerData: { task, input } })
      : new Worker(tsxWorkerSource(path.join(__dirname, 'worker.ts')), {
          eval: true,
          workerData: { task, input },
        });
    running.add(worker);
    worker.on('message', (message: Message<T>) => {
      if (message.type === 'progress') onProgress?.(message.progress);
      else if (message.type === 'done') resolve(message.result);
      else reject(new Error(message.message));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      running.delete(worker);
      reject(new Error(`release build stopped (worker exit ${code})`));
    });
  });
}

// The work runs in a worker thread so the server keeps answering: compiled (npm start), or through tsx
// (npm run dev, the restart test), which the worker loads too. Under jest, whose module loader a worker
// cannot share, it runs in place.
const compiled = __filename.endsWith('.js');
const inPlace = !compiled && process.env.JEST_WORKER_ID !== undefined;

/** Builds a release (suppression), off the main thread except under jest. */
export function runBuild(
  input: Omit<BuildInput, 'onProgress'>,
  onProgress?: (p: BuildProgress) => void,
): Promise<BuiltRelease> {
  if (inPlace) return buildRelease({ ...input, ...(onProgress ? { onProgress } : {}) });
  return inWorker('build', input, onProgress);
}

/** Runs the independent gate, off the main thread except under jest. */
export function runGate(input: GateInput): Promise<GateVerdict> {
  if (inPlace) return auditSeries(input);
  return inWorker('gate', input);
}

/** Stops every build in progress (on shutdown); their callers see a rejection and nothing is written. */
export async function stopReleaseWorkers(): Promise<void> {
  await Promise.all([...running].map((worker) => worker.terminate()));
}
