// `node --import ./tests/helpers/module-log.mjs …` appends the URL of every module the process
// loads to the file named by AUDITMARK_MODULE_LOG: every ES module (and every CommonJS module
// imported from ESM) as the loader hooks see it, and, when the process exits, every CommonJS
// file in `require`'s cache, which the hooks do not see (the PDF stack is loaded with `require`).
// The lazy-loading tests use it to prove what a command does not load.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';

const out = process.env.AUDITMARK_MODULE_LOG;
register('./module-log-hooks.mjs', import.meta.url, { data: { out } });
const cache = createRequire(import.meta.url).cache;
process.on('exit', () => {
  if (out) appendFileSync(out, Object.keys(cache).map((file) => pathToFileURL(file).href + '\n').join(''));
});
