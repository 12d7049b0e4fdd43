import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { suppressRelease, type SuppressedRelease, type SuppressInput } from './suppress';

const running = new Set<Worker>();

/**
 * Suppression and audit in a worker thread when running compiled (npm start), so the server keeps
 * answering while a release is built; in place under tsx and jest, which cannot load a .ts worker.
 */
export function runSuppression(input: SuppressInput): Promise<SuppressedRelease> {
  const workerFile = path.join(__dirname, 'suppress-worker.js');
  if (!__filename.endsWith('.js')) return suppressRelease(input);
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerFile, { workerData: input });
    running.add(worker);
    worker.once(
      'message',
      (message: { ok: true; result: SuppressedRelease } | { ok: false; message: string }) => {
        if (message.ok) resolve(message.result);
        else reject(new Error(message.message));
      },
    );
    worker.once('error', reject);
    worker.once('exit', (code) => {
      running.delete(worker);
      reject(new Error(`release build stopped (worker exit ${code})`));
    });
  });
}

/** Stops every release build in progress (on shutdown); their callers see a rejection and nothing is written. */
export async function stopSuppressionWorkers(): Promise<void> {
  await Promise.all([...running].map((worker) => worker.terminate()));
}
