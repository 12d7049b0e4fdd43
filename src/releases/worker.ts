import { parentPort, workerData } from 'node:worker_threads';
import { auditSeries, type GateInput } from './disclosure/gate';
import { buildRelease, type BuildInput, type BuildProgress } from './disclosure/suppress';

// Runs a release build or the gate off the main thread: LP solves are synchronous WebAssembly and would
// otherwise hold the event loop for seconds at a time, stalling every request (reporters included).
const { task, input } = workerData as
  { task: 'build'; input: BuildInput } | { task: 'gate'; input: GateInput };
let lastSent = 0;
const onProgress = (progress: BuildProgress): void => {
  // A line a quarter of a second is plenty for a person watching, and cheap to post.
  if (progress.stage === 'audit' && progress.elapsedMs - lastSent < 250) return;
  lastSent = progress.elapsedMs;
  parentPort?.postMessage({ type: 'progress', progress });
};
const run = task === 'build' ? buildRelease({ ...input, onProgress }) : auditSeries(input);
run.then(
  (result) => parentPort?.postMessage({ type: 'done', result }),
  (error: unknown) =>
    parentPort?.postMessage({
      type: 'error',
      message: error instanceof Error ? error.message : String(error),
    }),
);
