import { parentPort, workerData } from 'node:worker_threads';
import { suppressRelease, type SuppressInput } from './suppress';

// Runs suppression and the audit off the main thread: the LP solves are synchronous WebAssembly and would
// otherwise hold the event loop for seconds at a time, stalling every request (reporters included).
void suppressRelease(workerData as SuppressInput).then(
  (result) => parentPort?.postMessage({ ok: true, result }),
  (error: unknown) =>
    parentPort?.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) }),
);
