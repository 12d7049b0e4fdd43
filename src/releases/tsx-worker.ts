// Development only: under tsx (npm run dev, the tests that start the real server from source) a worker thread
// does not inherit tsx's loader, so it registers tsx's require hook itself before loading the TypeScript
// worker. Compiled code never reaches this (run-in-worker.ts loads worker.js), and tsx is not installed in
// production.

/** The source of a worker that runs a TypeScript file through tsx. */
export function tsxWorkerSource(file: string): string {
  return `require('tsx/cjs'); require(${JSON.stringify(file)});`;
}
