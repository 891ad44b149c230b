/**
 * `npm run bench`: the speed and memory targets, measured on this machine, printed as a table.
 * Every scenario runs in its own child process so its peak RSS is its own. Never part of
 * `npm test` timing.
 */
import { mkdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { measure } from './measure.ts';
import { syntheticBandit } from './synthetic-bandit.ts';

const OUT = new URL('./out/', import.meta.url).pathname;
mkdirSync(OUT, { recursive: true });
const node = process.execPath;
const tsx = ['--import', 'tsx'];
const rows: string[][] = [];
const verdicts: string[] = [];
const mb = (b: number) => (b / 1024 / 1024).toFixed(2);

async function buildScenario(n: number): Promise<number> {
  const scan = join(OUT, `bandit-${n}.json`);
  writeFileSync(scan, syntheticBandit(n));
  const out = join(OUT, `build-${n}`);
  const m = await measure(node, ['bin/auditmark.js', 'build', '--scan', scan, '--format', 'md,html,pdf,json', '--out', out, '--quiet'], { ...process.env, SOURCE_DATE_EPOCH: '1790000000' });
  if (m.exitCode !== 0 && m.exitCode !== 1) {
    rows.push([`build ${n} findings`, 'FAILED', '', '', '', '', m.stderr.slice(0, 200)]);
    return NaN;
  }
  const size = (f: string) => (existsSync(join(out, f)) ? statSync(join(out, f)).size : 0);
  const pages = existsSync(join(out, 'report.pdf')) ? (await PDFDocument.load(readFileSync(join(out, 'report.pdf')))).getPageCount() : 0;
  rows.push([
    `build ${n} findings (md+html+pdf+json)`, m.seconds.toFixed(2), m.peakMainRssMb.toFixed(0), `${m.peakTreePssMb.toFixed(0)} / ${m.peakTreeRssMb.toFixed(0)}`, String(pages),
    `md ${mb(size('report.md'))} / html ${mb(size('report.html'))} / pdf ${mb(size('report.pdf'))} / json ${mb(size('report.json'))}`, `exit ${m.exitCode}`,
  ]);
  return m.seconds;
}

async function jsonScenario(label: string, script: string, arg: string, check: (r: Record<string, number>) => string): Promise<void> {
  const m = await measure(node, [...tsx, script, arg]);
  try {
    const r = JSON.parse(m.stdout.trim().split('\n').pop() ?? '{}') as Record<string, number>;
    rows.push([label, m.seconds.toFixed(2), m.peakMainRssMb.toFixed(0), `${m.peakTreePssMb.toFixed(0)} / ${m.peakTreeRssMb.toFixed(0)}`, '', JSON.stringify(r), check(r)]);
  } catch {
    rows.push([label, 'FAILED', '', '', '', m.stderr.slice(0, 300), '']);
  }
}

const t100 = await buildScenario(100);
const t1000 = await buildScenario(1000);
const t5000 = await buildScenario(5000);
verdicts.push(`1,000 findings full build ≤ 8 s: ${t1000.toFixed(2)} s ${t1000 <= 8 ? 'PASS' : 'FAIL'}`);
verdicts.push(`5,000 findings full build ≤ 30 s: ${t5000.toFixed(2)} s ${t5000 <= 30 ? 'PASS' : 'FAIL'}`);
verdicts.push(`time(5,000)/time(1,000) ≤ 6: ${(t5000 / t1000).toFixed(2)} ${t5000 / t1000 <= 6 ? 'PASS' : 'FAIL'} (100 findings: ${t100.toFixed(2)} s)`);
const rss5000 = Number(rows[2]?.[2]);
const tree5000 = rows[2]?.[3] ?? '';
const pss5000 = Number(tree5000.split(' / ')[0]);
verdicts.push(`5,000 findings peak RSS ≤ 1 GB: node ${rss5000} MB ${rss5000 <= 1024 ? 'PASS' : 'FAIL'}; node+Chromium PSS ${pss5000} MB ${pss5000 <= 1024 ? 'PASS' : 'FAIL'} (summed RSS ${tree5000.split(' / ')[1]} MB double-counts shared pages)`);

await jsonScenario('normalize 100,000-result SARIF', 'bench/normalize-sarif.ts', '100000', (r) => {
  const ok = (r.mbPerSec ?? 0) >= 20 && (r.peakRssMb ?? Infinity) < 1024;
  verdicts.push(`normalize ≥ 20 MB/s and < 1 GB: ${r.mbPerSec?.toFixed?.(1)} MB/s, ${r.peakRssMb?.toFixed?.(0)} MB ${ok ? 'PASS' : 'FAIL'}`);
  return ok ? 'PASS' : 'FAIL';
});
await jsonScenario('diff 100,000 vs 100,000 findings', 'bench/diff.ts', '100000', (r) => {
  const ok = (r.seconds ?? Infinity) <= 5 && (r.peakRssMb ?? Infinity) <= 1536;
  verdicts.push(`diff ≤ 5 s and ≤ 1.5 GB: ${r.seconds?.toFixed?.(2)} s, ${r.peakRssMb?.toFixed?.(0)} MB ${ok ? 'PASS' : 'FAIL'}`);
  return ok ? 'PASS' : 'FAIL';
});
await jsonScenario('history 50 releases × 5,000 findings', 'bench/history.ts', '50', (r) => {
  const ok = (r.seconds ?? Infinity) <= 30 && r.exitCode === 0 && r.fixedTotal === 490;
  verdicts.push(`history 50 × 5,000 ≤ 30 s: ${r.seconds?.toFixed?.(2)} s wall, ${r.cpuSeconds?.toFixed?.(2)} s CPU (read, validate, match, compose, write), ${r.peakRssMb?.toFixed?.(0)} MB ${ok ? 'PASS' : 'FAIL'}`);
  return ok ? 'PASS' : 'FAIL';
});

const header = ['scenario', 'wall s', 'peak RSS node MB', 'peak tree PSS / RSS MB (node+Chromium)', 'PDF pages', 'sizes / result', 'note'];
const table = [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
console.log(`\nauditmark bench — ${new Date().toISOString()} — node ${process.version}, ${(await import('node:os')).cpus().length} cores\n`);
console.log(table);
console.log('\nTargets:\n' + verdicts.map((v) => `- ${v}`).join('\n'));
