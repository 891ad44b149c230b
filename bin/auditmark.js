#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx so that `npx auditmark` works right
// after `npm ci`, with no build step anyone could forget.
import { register } from 'tsx/esm/api';

// `auditmark normalize x.json | head` closes stdout early: that is the reader's choice, not a failure.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});
register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
