// `npm start`: makes sure dist/ is current (ensure-build.mjs), then runs the server in this same process.
// One Node start instead of two, as the command-line tools still do (`ensure-build.mjs && node …`): about
// 0.15 s of a restart, which DESIGN section 7 gives 3 s. The Node flags of the `start` script (heap limit,
// source maps) are the server's; production images run dist/src/server.js directly (Dockerfile).
import { createRequire } from 'node:module';
import { ensureBuild } from './ensure-build.mjs';

await ensureBuild();
createRequire(import.meta.url)('../dist/src/server.js').run();
