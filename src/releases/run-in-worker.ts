import path from 'node:path';
import { Worker } from 'node:worker_threads';
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
    const worker = new Worker(path.join(__dirname, 'worker.js'), { workerData: { task, input } });
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

// Compiled (npm start), the work runs in a worker thread so the server keeps answering; under tsx and jest,
// which cannot load a .ts worker, it runs in place.
const compiled = __filename.endsWith('.js');

/** Builds a release (suppression), off the main thread when compiled. */
export function runBuild(
  input: Omit<BuildInput, 'onProgress'>,
  onProgress?: (p: BuildProgress) => void,
): Promise<BuiltRelease> {
  if (!compiled) return buildRelease({ ...input, ...(onProgress ? { onProgress } : {}) });
  return inWorker('build', input, onProgress);
}

/** Runs the independent gate, off the main thread when compiled. */
export function runGate(input: GateInput): Promise<GateVerdict> {
  if (!compiled) return auditSeries(input);
  return inWorker('gate', input);
}

/** Stops every build in progress (on shutdown); their callers see a rejection and nothing is written. */
export async function stopReleaseWorkers(): Promise<void> {
  await Promise.all([...running].map((worker) => worker.terminate()));
}
