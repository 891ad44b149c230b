import { performance } from 'node:perf_hooks';
import { makeReports } from './_scratch-diff.ts';
import { matchFindings } from '../src/diff/match.ts';
import { diffReports } from '../src/diff/diff.ts';
const [b, c] = makeReports(Number(process.argv[2] ?? 100000));
for (let k = 0; k < 3; k++) {
  let t = performance.now();
  matchFindings(b.findings, c.findings);
  const m = performance.now() - t;
  t = performance.now();
  diffReports(b, c);
  console.log(`match ${m.toFixed(0)} ms, diffReports ${(performance.now() - t).toFixed(0)} ms`);
}
