#!/usr/bin/env node
// Runs the auditmark CLI *in this process* and, when the process exits for any reason other
// than a signal, writes a small JSON report (peak RSS, exit code, prototype pollution) to the
// file named by AUDITMARK_RUN_REPORT.
//
// Why in-process instead of spawning the CLI and polling /proc/<pid>/status: the kernel's own
// high-water mark (getrusage maxRSS, VmHWM) is exact and needs no sampling, `/usr/bin/time -v`
// is not installed everywhere, and a child's rusage is not exposed by child_process. Running
// here also lets us look at Object.prototype of the very process that parsed the hostile data.
// Chromium runs in its own processes and is not included in this number; the harness checks
// separately that none is left behind.
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const reportFile = process.env.AUDITMARK_RUN_REPORT;
const binPath = join(import.meta.dirname, '..', '..', 'bin', 'auditmark.js');
const protoKeysBefore = Object.getOwnPropertyNames(Object.prototype).sort();

process.on('exit', (code) => {
  if (!reportFile) return;
  const protoKeysAfter = Object.getOwnPropertyNames(Object.prototype).sort();
  const added = protoKeysAfter.filter((k) => !protoKeysBefore.includes(k));
  const report = {
    exitCode: code,
    maxRssKb: process.resourceUsage().maxRSS,
    polluted: ({}).polluted !== undefined || added.length > 0,
    addedPrototypeKeys: added,
  };
  writeFileSync(reportFile, JSON.stringify(report));
});

// The CLI reads process.argv.slice(2): make it look exactly as if bin/auditmark.js was run.
process.argv = [process.argv[0], binPath, ...process.argv.slice(2)];
await import(pathToFileURL(binPath).href);
