#!/usr/bin/env node
// Runs the compiled CLI in dist/ (built by `npm run build`, which `npm ci` runs as the package's
// `prepare` script, and which the published tarball ships): plain Node, no TypeScript loader
// at run time, so `auditmark --help` costs little more than Node's own start.
// `auditmark normalize x.json | head` closes stdout early: that is the reader's choice, not a failure.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});
const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
