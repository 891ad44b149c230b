// `node --import ./tests/helpers/module-log.mjs …` appends the URL of every ES module (and every
// CommonJS module imported from ESM) the process loads to the file named by AUDITMARK_MODULE_LOG.
// The lazy-loading test uses it to prove what a command does not load.
import { register } from 'node:module';

register('./module-log-hooks.mjs', import.meta.url, { data: { out: process.env.AUDITMARK_MODULE_LOG } });
