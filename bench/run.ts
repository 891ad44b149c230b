/**
 * `npm run bench`: the speed and memory targets, measured on this machine, printed as a table
 * with the verdict of every target. `npm run bench` builds `dist/` first and every auditmark
 * scenario runs the compiled CLI (`bin/auditmark.js`) in its own child process, so its wall
 * time and peak memory are its own; the peer, md-to-pdf 5.2.5, prints auditmark's own
 * 1,000-finding `report.md` in the same run with the same Chromium executable. Never part of
 * `npm test`.
 *
 * `BENCH_RUNS=n` (default 3) repeats the short scenarios and the 1,000-finding pair (build and
 * md-to-pdf, interleaved) and reports medians; the long scenarios run once. `BENCH_ONLY=startup,
 * pdf,rules,ingest,history` runs a subset. Other processes on the machine change every number: the table
 * prints the load average before and after, and a CPU-seconds column (the child and the
 * processes it waited for, e.g. Chromium), which competing load changes much less. Verdicts
 * are decided on wall time, as the targets are stated.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { measure, type Measurement } from './measure.ts';
import { syntheticBandit } from './synthetic-bandit.ts';
import { syntheticSemgrep } from './synthetic-semgrep.ts';

const ROOT = new URL('../', import.meta.url).pathname;
const OUT = join(ROOT, 'bench/out');
const CLI = join(ROOT, 'bin/auditmark.js');
const MD_TO_PDF = join(ROOT, 'node_modules/md-to-pdf/dist/cli.js');
const node = process.execPath;
const cores = availableParallelism();
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
/** Longest a build scenario may run (`BENCH_TIMEOUT_S`, default 600): past it, it is stopped and fails. */
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_S ?? 600) * 1000;
const ONLY = new Set((process.env.BENCH_ONLY ?? 'startup,pdf,rules,ingest,history').split(','));
mkdirSync(OUT, { recursive: true });

if (!existsSync(join(ROOT, 'dist/cli/main.js')) || statSync(join(ROOT, 'dist/cli/main.js')).mtimeMs < statSync(join(ROOT, 'src/cli/main.ts')).mtimeMs) {
  throw new Error('dist/ is missing or stale: run `npm run bench` (it builds first) or `npm run build`');
}

// One Chromium for everyone: resolved the way auditmark resolves it, then named explicitly to
// both auditmark (AUDITMARK_CHROME) and md-to-pdf (puppeteer's executablePath).
const { resolveBrowser } = (await import(join(ROOT, 'dist/index.js'))) as typeof import('../src/index.ts');
const resolved = await resolveBrowser({ env: process.env });
if ('code' in resolved) throw new Error(`${resolved.code}: ${resolved.message}`);
const chrome = resolved.path;
const ENV = { ...process.env, SOURCE_DATE_EPOCH: '1790000000', AUDITMARK_CHROME: chrome };

interface Row {
  scenario: string;
  m?: Measurement;
  pages?: number;
  note?: string;
}
const rows: Row[] = [];
/** Progress on stderr as each scenario ends (the table comes at the end, on stdout). */
const progress = (r: Row) => console.error(`[bench] ${r.scenario}: ${r.m ? `${fmt(r.m.seconds, 3)} s wall, ${fmt(r.m.cpuSeconds)} s CPU, PSS ${fmt(r.m.peakTreePssMb, 0)} MB, exit ${r.m.exitCode}` : ''} ${r.note ?? ''}`);
const push = (...rs: Row[]) => rs.forEach((r) => (rows.push(r), progress(r)));
const verdicts: string[] = [];
const load0 = loadavg();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mb = (b: number) => (b / 1024 / 1024).toFixed(2);
const fmt = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');

/** The run of a measurement series with the median wall time (its memory figures come with it). */
function medianRun(ms: Measurement[]): Measurement {
  const t = median(ms.map((m) => m.seconds));
  return ms.find((m) => m.seconds === t)!;
}

function verdict(label: string, value: string, pass: boolean): void {
  verdicts.push(`| ${label} | ${value} | ${pass ? 'PASS' : 'FAIL'} |`);
}

function failed(m: Measurement): boolean {
  return m.timedOut || (m.exitCode !== 0 && m.exitCode !== 1);
}

/** What to show for a failed run: the timeout, or the start of its stderr. */
function failure(m: Measurement): string {
  return m.timedOut ? `TIMED OUT: stopped after ${TIMEOUT_MS / 1000} s (BENCH_TIMEOUT_S)` : `FAILED: ${m.stderr.slice(0, 200)}`;
}

async function pagesOf(file: string): Promise<number | undefined> {
  return existsSync(file) ? (await PDFDocument.load(readFileSync(file), { updateMetadata: false })).getPageCount() : undefined;
}

function sizes(dir: string, names: string[]): string {
  return names.filter((n) => existsSync(join(dir, n))).map((n) => `${n.split('.').pop()} ${mb(statSync(join(dir, n)).size)}`).join(' / ') + ' MB';
}

/** `auditmark build` of one scan file into a fresh directory. */
function build(scan: string, out: string, formats: string): Promise<Measurement> {
  rmSync(out, { recursive: true, force: true });
  return measure(node, [CLI, 'build', '--scan', scan, '--format', formats, '--out', out, '--quiet'], ENV, { timeoutMs: TIMEOUT_MS });
}

/** md-to-pdf 5.2.5 on a copy of `markdown` (it writes the PDF beside its input). */
function mdToPdf(markdown: string): Promise<Measurement> {
  const dir = join(OUT, 'md-to-pdf');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  copyFileSync(markdown, join(dir, 'report.md'));
  const launch = { executablePath: chrome, args: process.getuid?.() === 0 ? ['--no-sandbox', '--disable-gpu'] : ['--disable-gpu'] };
  return measure(node, [MD_TO_PDF, join(dir, 'report.md'), '--launch-options', JSON.stringify(launch)], ENV, { timeoutMs: TIMEOUT_MS });
}

// ── Start-up: `auditmark --help` and a JSON-only build of an empty scan against `node -e 0`.
if (ONLY.has('startup')) {
  const empty = join(OUT, 'bandit-empty.json');
  writeFileSync(empty, JSON.stringify({ errors: [], generated_at: '2026-11-01T10:00:00Z', metrics: { _totals: { loc: 0, nosec: 0 } }, results: [] }));
  const series: Record<'node' | 'help' | 'json', Measurement[]> = { node: [], help: [], json: [] };
  // Interleaved, so a burst of load elsewhere hits all three alike; medians of 3 × RUNS runs.
  for (let i = 0; i < RUNS * 3; i++) {
    series.node.push(await measure(node, ['-e', '0'], ENV));
    series.help.push(await measure(node, [CLI, '--help'], ENV));
    series.json.push(await build(empty, join(OUT, 'build-empty'), 'json'));
  }
  const base = medianRun(series.node);
  const help = medianRun(series.help);
  const json = medianRun(series.json);
  push({ scenario: '`node -e 0` (baseline)', m: base }, { scenario: '`auditmark --help`', m: help }, { scenario: 'build of an empty scan, --format json', m: json, note: failed(json) ? failure(json) : undefined });
  verdict('`auditmark --help` ≤ 3× `node -e 0`', `${fmt(help.seconds, 3)} s / ${fmt(base.seconds, 3)} s = ${fmt(help.seconds / base.seconds)}× (CPU ${fmt(help.cpuSeconds / base.cpuSeconds)}×)`, help.seconds <= 3 * base.seconds && help.exitCode === 0);
  verdict('JSON-only build of an empty scan ≤ 5× `node -e 0`', `${fmt(json.seconds, 3)} s / ${fmt(base.seconds, 3)} s = ${fmt(json.seconds / base.seconds)}× (CPU ${fmt(json.cpuSeconds / base.cpuSeconds)}×)`, json.seconds <= 5 * base.seconds && !failed(json));
}

// ── The full build against md-to-pdf, and 5,000 findings.
/**
 * CPU of node and of its Chromium, each process's own, sampled (see `Measurement.chromiumCpuSeconds`:
 * what node waited for holds Chromium's main process for a build and nothing of it for md-to-pdf).
 */
const totalCpu = (m: Measurement) => (m.chromiumCpuSeconds > 0 ? m.mainCpuSeconds + m.chromiumCpuSeconds : m.cpuSeconds);
if (ONLY.has('pdf')) {
  const scan1000 = join(OUT, 'bandit-1000.json');
  writeFileSync(scan1000, syntheticBandit(1000));
  const out1000 = join(OUT, 'build-1000');
  const ours: Measurement[] = [];
  const peer: Measurement[] = [];
  for (let i = 0; i < RUNS; i++) {
    ours.push(await build(scan1000, out1000, 'md,html,pdf,json'));
    if (failed(ours[i]!) || !existsSync(join(out1000, 'report.md'))) break;
    peer.push(await mdToPdf(join(out1000, 'report.md')));
  }
  const a = medianRun(ours);
  // What comes before any PDF work: the same build writing report.json only, and with the document but no PDF.
  const jsonOnly: Measurement[] = [];
  const noPdf: Measurement[] = [];
  for (let i = 0; i < RUNS; i++) {
    jsonOnly.push(await build(scan1000, join(OUT, 'build-1000-json'), 'json'));
    noPdf.push(await build(scan1000, join(OUT, 'build-1000-nopdf'), 'md,html,json'));
  }
  push({ scenario: 'build 1,000 findings, --format json (no document)', m: medianRun(jsonOnly) });
  push({ scenario: 'build 1,000 findings, md+html+json (no PDF)', m: medianRun(noPdf) });
  push({ scenario: 'build 1,000 findings (md+html+pdf+json)', m: a, pages: await pagesOf(join(out1000, 'report.pdf')), note: failed(a) ? failure(a) : sizes(out1000, ['report.md', 'report.html', 'report.pdf', 'report.json']) });
  const p = peer.length ? medianRun(peer) : undefined;
  if (p) push({ scenario: "md-to-pdf 5.2.5 on that build's report.md", m: p, pages: await pagesOf(join(OUT, 'md-to-pdf/report.pdf')), note: p.exitCode !== 0 ? failure(p) : sizes(join(OUT, 'md-to-pdf'), ['report.pdf']) });
  const peerOk = p !== undefined && p.exitCode === 0;
  // The PDF stage alone: Chromium launched, the same document's parts printed and the PDF finished, nothing else.
  const floor = await measure(node, ['--import', 'tsx', join(ROOT, 'bench/print-floor.ts'), '1000'], ENV, { timeoutMs: TIMEOUT_MS });
  let floorRow: Row = { scenario: 'PDF stage alone: launch Chromium, print that document, finish the PDF (bench/print-floor.ts)', m: floor, note: failure(floor) };
  try {
    const f = JSON.parse(floor.stdout.trim().split('\n').pop() ?? '') as { seconds: number; launchSeconds: number; printSeconds: number; afterPrintSeconds: number; nodeCpuSeconds: number; pages: number };
    const cpu = f.nodeCpuSeconds + floor.chromiumCpuSeconds;
    // Wall and node CPU of the PDF stage only (the document is composed first, untimed).
    floorRow = {
      ...floorRow, m: { ...floor, seconds: f.seconds, cpuSeconds: f.nodeCpuSeconds, mainCpuSeconds: f.nodeCpuSeconds }, pages: f.pages,
      note: `launch ${fmt(f.launchSeconds, 2)} s + print ${fmt(f.printSeconds, 2)} s + after the last part ${fmt(f.afterPrintSeconds, 2)} s; ${fmt(cpu, 2)} s CPU in all = ${fmt(cpu / cores, 2)} s of all ${cores} cores (md-to-pdf's whole run: ${p ? fmt(totalCpu(p), 2) : '?'} s CPU)`,
    };
  } catch {
    // the failure stays the note
  }
  push(floorRow);
  verdict('1,000 findings full build ≤ 0.5× md-to-pdf (1,000)', peerOk ? `${fmt(a.seconds)} s / ${fmt(p.seconds)} s = ${fmt(a.seconds / p.seconds)}× (CPU with Chromium ${fmt(totalCpu(a) / totalCpu(p))}×)` : 'md-to-pdf failed', peerOk && !failed(a) && a.seconds <= 0.5 * p.seconds);

  const scan5000 = join(OUT, 'bandit-5000.json');
  writeFileSync(scan5000, syntheticBandit(5000));
  const out5000 = join(OUT, 'build-5000');
  const b = await build(scan5000, out5000, 'md,html,pdf,json');
  push({ scenario: 'build 5,000 findings (md+html+pdf+json)', m: b, pages: await pagesOf(join(out5000, 'report.pdf')), note: failed(b) ? failure(b) : sizes(out5000, ['report.md', 'report.html', 'report.pdf', 'report.json']) });
  verdict('5,000 findings full build ≤ 1.5× md-to-pdf (1,000)', peerOk ? `${b.timedOut ? '> ' : ''}${fmt(b.seconds)} s / ${fmt(p.seconds)} s = ${fmt(b.seconds / p.seconds)}× (CPU with Chromium ${fmt(totalCpu(b) / totalCpu(p))}×)` : 'md-to-pdf failed', peerOk && !failed(b) && b.seconds <= 1.5 * p.seconds);
  verdict('5,000 findings peak memory ≤ 1 GB (node + Chromium PSS)', `${fmt(b.peakTreePssMb, 0)} MB (summed RSS ${fmt(b.peakTreeRssMb, 0)} MB counts shared pages per process)`, !failed(b) && b.peakTreePssMb <= 1024);
}

// ── Many distinct rules (one rule group per finding): md+html+json, no PDF.
if (ONLY.has('rules')) {
  const perFinding: Record<number, Measurement> = {};
  for (const n of [2000, 20000]) {
    const scan = join(OUT, `semgrep-rules-${n}.json`);
    writeFileSync(scan, syntheticSemgrep(n));
    const out = join(OUT, `build-rules-${n}`);
    const m = await build(scan, out, 'md,html,json');
    perFinding[n] = m;
    push({ scenario: `build ${n.toLocaleString('en')} findings of ${n.toLocaleString('en')} distinct rules (md+html+json)`, m, note: failed(m) ? failure(m) : `${fmt((m.seconds / n) * 1000, 3)} ms/finding; ${sizes(out, ['report.md', 'report.html', 'report.json'])}` });
  }
  const small = perFinding[2000]!, big = perFinding[20000]!;
  verdict('20,000 distinct rules: < 60 s', `${big.timedOut ? '> ' : ''}${fmt(big.seconds)} s`, !failed(big) && big.seconds < 60);
  verdict('20,000 distinct rules: < 1.5 GB peak', `${big.timedOut ? '≥ ' : ''}${fmt(big.peakTreePssMb, 0)} MB PSS (node RSS ${fmt(big.peakMainRssMb, 0)} MB)`, !failed(big) && big.peakTreePssMb < 1536 && big.peakMainRssMb < 1536);
  const ratio = big.seconds / 20000 / (small.seconds / 2000);
  verdict('time per finding at 20,000 ≤ 1.5× at 2,000', big.timedOut ? `20,000 timed out (${fmt((small.seconds / 2000) * 1000, 3)} ms per finding at 2,000)` : `${fmt((big.seconds / 20000) * 1000, 3)} / ${fmt((small.seconds / 2000) * 1000, 3)} ms = ${fmt(ratio)}× (CPU ${fmt(big.cpuSeconds / 20000 / (small.cpuSeconds / 2000))}×)`, !failed(big) && !failed(small) && ratio <= 1.5);
}

// ── In-process stages: normalise (ingest) and diff, each in its own process for a clean RSS.
async function stage(label: string, script: string, arg: string): Promise<Record<string, number> | undefined> {
  const ms: Measurement[] = [];
  const results: Array<Record<string, number>> = [];
  for (let i = 0; i < RUNS; i++) {
    const m = await measure(node, ['--import', 'tsx', join(ROOT, script), ...arg.split(' ')], ENV);
    ms.push(m);
    try {
      results.push(JSON.parse(m.stdout.trim().split('\n').pop() ?? '') as Record<string, number>);
    } catch {
      push({ scenario: label, m, note: `FAILED: ${m.stderr.slice(0, 200)}` });
      return undefined;
    }
  }
  const r = results.sort((x, y) => (x.seconds ?? 0) - (y.seconds ?? 0))[Math.floor(results.length / 2)]!;
  push({ scenario: label, m: medianRun(ms), note: JSON.stringify(r).slice(0, 160) });
  return r;
}
if (ONLY.has('ingest')) {
  const n = await stage('normalise 100,000-result SARIF (ingest, in-process)', 'bench/normalize-sarif.ts', '100000');
  verdict('normalise ≥ 40 MB/s (100,000-result SARIF)', n ? `${fmt(n.mbPerSec ?? NaN, 1)} MB/s (${fmt((n.bytes ?? 0) / 1024 / 1024, 1)} MB in ${fmt(n.seconds ?? NaN, 3)} s)` : 'failed', (n?.mbPerSec ?? 0) >= 40);
  const d = await stage('diff 100,000 vs 100,000 findings (diffReports, in-process)', 'bench/diff.ts', '100000');
  verdict('diff of two 100,000-finding runs ≤ 1.5 s', d ? `${fmt(d.seconds ?? NaN, 3)} s` : 'failed', (d?.seconds ?? Infinity) <= 1.5);
  // The same two reports as `auditmark diff` reads them (report.json text, parsed): not the target's measure, shown beside it.
  await stage('diff 100,000 vs 100,000 findings, reports read from JSON as `auditmark diff` reads them (not a target)', 'bench/diff.ts', '100000 from-json');
  // The similar-snippet pass's worst case: every finding the same rule in the same file.
  const w = await stage('diff 20,000 findings of one rule in one file (similarity worst case)', 'bench/diff.ts', '20000 one-bucket');
  verdict('similar-snippet pass near-linear: 20,000 in one bucket ≤ 3 s', w ? `${fmt(w.seconds ?? NaN, 3)} s` : 'failed', (w?.seconds ?? Infinity) <= 3);
}

// ── `auditmark history` over 50 releases × 5,000 findings (read, validate, match, compose, write).
if (ONLY.has('history')) {
  const h = await stage('history 50 releases × 5,000 findings (history(), in-process)', 'bench/history.ts', '50 5000');
  verdict('history of 50 releases × 5,000 findings ≤ 30 s', h ? `${fmt(h.seconds ?? NaN)} s wall, ${fmt(h.cpuSeconds ?? NaN)} s CPU, ${fmt(h.peakRssMb ?? NaN, 0)} MB, ${h.fixedTotal} fixed` : 'failed', h !== undefined && (h.seconds ?? Infinity) <= 30 && h.exitCode === 0 && h.fixedTotal === 490);
}

const header = ['scenario', 'wall s', 'CPU s node / Chromium', 'peak RSS node MB', 'peak PSS / RSS tree MB', 'PDF pages', 'exit', 'sizes / result'];
const table = [header, header.map(() => '---'), ...rows.map((r) => [
  r.scenario, r.m ? fmt(r.m.seconds, 3) : '', r.m ? (r.m.chromiumCpuSeconds > 0 ? `${fmt(r.m.mainCpuSeconds, 2)} / ${fmt(r.m.chromiumCpuSeconds, 2)}` : fmt(r.m.cpuSeconds, 2)) : '', r.m ? fmt(r.m.peakMainRssMb, 0) : '', r.m ? `${fmt(r.m.peakTreePssMb, 0)} / ${fmt(r.m.peakTreeRssMb, 0)}` : '', r.pages?.toString() ?? '', r.m?.exitCode.toString() ?? '', (r.note ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' '),
])].map((r) => `| ${r.join(' | ')} |`).join('\n');
const load1 = loadavg();
const manifest1000 = join(OUT, 'build-1000/manifest.json');
const chromeVersion = existsSync(manifest1000) ? String((JSON.parse(readFileSync(manifest1000, 'utf8')) as { chromium?: string }).chromium ?? '') : '';
console.log(`\nauditmark bench — ${new Date().toISOString()} — node ${process.version}, ${cpus().length} cores, load ${load0[0]!.toFixed(1)} → ${load1[0]!.toFixed(1)}, ${RUNS} run(s) per short scenario (medians)`);
console.log(`Chromium: ${chrome} (${resolved.source}) ${chromeVersion}; auditmark runs dist/ (compiled), md-to-pdf 5.2.5 gets the same executablePath\n`);
console.log(table);
console.log('\n| target | measured | verdict |\n| --- | --- | --- |\n' + verdicts.join('\n'));
writeFileSync(join(OUT, 'bench.json'), JSON.stringify({ date: new Date().toISOString(), node: process.version, load: [load0, load1], chrome, rows, verdicts }, null, 2));
