/**
 * Benchmark of `diffReports` on two synthetic n-finding reports that differ the way real releases
 * do: every absolute path re-rooted, every line shifted, 1% of findings removed, 1% added, 1% with
 * an edited snippet, 0.5% with a changed severity. Run standalone for a clean RSS figure:
 * `node --import tsx bench/diff.ts 100000` prints one JSON object.
 */
import { performance } from 'node:perf_hooks';
import { diffReports } from '../src/diff/diff.ts';
import { assignFingerprints } from '../src/model/fingerprint.ts';
import { REPORT_SCHEMA_VERSION, zeroCounts, type Report, type ReportFinding } from '../src/model/report.ts';
import type { Finding, Severity } from '../src/model/types.ts';

const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low'];

function finding(i: number, root: string, shift: number, variant: 'base' | 'edited' | 'added'): Omit<Finding, 'fingerprint'> {
  const file = `${root}src/pkg${i % 1499}/module${i % 211}.py`;
  const edit = variant === 'edited' ? ' # reviewed' : variant === 'added' ? ` + extra${i}` : '';
  return {
    tool: i % 5 === 0 ? 'semgrep' : 'bandit', kind: 'code', ruleId: `B${100 + (i % 60)}`, title: `Rule ${i % 60}`,
    message: `Issue ${i % 60} found in ${file}`, severity: SEVERITIES[i % 4]!, cwe: [`CWE-${(i % 60) + 20}`], aliases: [], references: [],
    location: { path: file, startLine: 10 + (i % 900) + shift, snippet: `result = subprocess.call(cmd_${i}, shell=True)${edit}` },
    pointer: `/results/${i}`,
  };
}

function report(findings: Array<Omit<Finding, 'fingerprint'>>, id: string): Report {
  const fps = assignFingerprints(findings);
  const out: ReportFinding[] = fps.map((f) => ({ ...f, owasp: [], status: 'open', run: 0 }));
  const counts = zeroCounts();
  for (const f of out) counts[f.severity]++;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    metadata: {
      title: 'bench', purpose: 'bench', description: 'bench', project: 'bench', documentVersion: '1', documentStatus: 'draft', classification: 'INTERNAL',
      language: 'en', created: '2026-01-01T00:00:00Z', template: { id: 'security-scan', version: '1.0.0' }, auditmarkVersion: '0.0.0', documentId: id,
    },
    status: { overall: 'CONDITIONAL', reasons: [] },
    runs: [
      { tool: 'bandit', format: 'bandit-json', source: { path: 'b.json', sha256: '0'.repeat(64) }, notScanned: [], counts, total: out.length, freshness: 'undated', warnings: [] },
      { tool: 'semgrep', format: 'semgrep-json', source: { path: 's.json', sha256: '0'.repeat(64) }, notScanned: [], counts, total: 0, freshness: 'undated', warnings: [] },
    ],
    findings: out,
    summary: { total: out.length, open: out.length, waived: 0, suppressed: 0, bySeverity: counts, openBySeverity: counts, byTool: {} },
    owasp: { editions: ['2021'], rows: [], unmapped: [], data: [] },
    waivers: [],
    recommendations: [],
    inputs: [],
  };
}

/**
 * Build the two reports, diff them once, and report wall time of the diff and the process's peak
 * RSS. `fromJson`: the reports as `auditmark diff` gets them, written as report.json text and
 * parsed back (untimed), so every string is a flat one as JSON.parse makes it; built in memory,
 * every path, message, snippet and fingerprint is a concatenation V8 flattens on first read.
 */
export async function benchDiff(n: number, fromJson = false): Promise<{ seconds: number; peakRssMb: number; counts: { new: number; absent: number; unchanged: number; updated: number; baseline: number; current: number }; byStrategy: Record<string, number> }> {
  const base: Array<Omit<Finding, 'fingerprint'>> = [];
  const next: Array<Omit<Finding, 'fingerprint'>> = [];
  for (let i = 0; i < n; i++) {
    base.push(finding(i, '/home/ci/run-123/', 0, 'base'));
    if (i % 100 === 1) continue;
    const f = finding(i, '/builds/456/', 7, i % 100 === 2 ? 'edited' : 'base');
    if (i % 200 === 3) f.severity = f.severity === 'critical' ? 'low' : 'critical';
    next.push(f);
  }
  for (let i = 0; i < Math.floor(n / 100); i++) next.push(finding(n + i, '/builds/456/', 7, 'added'));
  let b = report(base, 'base');
  let c = report(next, 'next');
  if (fromJson) [b, c] = [JSON.parse(JSON.stringify(b)) as Report, JSON.parse(JSON.stringify(c)) as Report];
  const t0 = performance.now();
  const d = diffReports(b, c);
  const seconds = (performance.now() - t0) / 1000;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  const s = d.summary;
  return { seconds: Math.round(seconds * 1000) / 1000, peakRssMb: Math.round(peakRssMb), counts: { new: s.new, absent: s.absent, unchanged: s.unchanged, updated: s.updated, baseline: s.baselineTotal, current: s.currentTotal }, byStrategy: s.byStrategy };
}

/**
 * The similar-snippet worst case: one rule hit `n` times in one file on each side (a generated
 * file, a vendored library), every snippet a different long line (about 60 tokens), 10% of them
 * edited by one token. Nothing matches exactly, so every finding reaches the similarity pass in
 * one bucket; comparing all pairs there is what made a 41 MB input take 82 s.
 */
export async function benchDiffOneBucket(n: number): Promise<{ seconds: number; peakRssMb: number; counts: Record<string, number>; byStrategy: Record<string, number> }> {
  const words = (i: number, salt: string) => Array.from({ length: 50 }, (_, k) => `${salt}${(i * 7919 + k * 104729) % 1_000_003}`).join(' + ');
  const one = (i: number, snippet: string): Omit<Finding, 'fingerprint'> => ({
    tool: 'bandit', kind: 'code', ruleId: 'B602', title: 'subprocess with shell', message: 'shell=True', severity: 'high', cwe: ['CWE-78'], aliases: [], references: [],
    location: { path: 'vendor/generated/big_module.py', startLine: 10 + i, snippet }, pointer: `/results/${i}`,
  });
  const base: Array<Omit<Finding, 'fingerprint'>> = [];
  const next: Array<Omit<Finding, 'fingerprint'>> = [];
  for (let i = 0; i < n; i++) {
    base.push(one(i, `subprocess.call(${words(i, 'a')}, shell=True)`));
    next.push(one(i, i % 10 === 0 ? `subprocess.call(${words(i, 'a')} + edited, shell=True)` : `subprocess.call(${words(i, 'b')}, shell=True)`));
  }
  const b = report(base, 'base');
  const c = report(next, 'next');
  const t0 = performance.now();
  const d = diffReports(b, c);
  const seconds = (performance.now() - t0) / 1000;
  const s = d.summary;
  return { seconds: Math.round(seconds * 1000) / 1000, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), counts: { new: s.new, absent: s.absent, unchanged: s.unchanged, updated: s.updated }, byStrategy: s.byStrategy };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? 100_000);
  const mode = process.argv[3];
  const run = mode === 'one-bucket' ? benchDiffOneBucket : (k: number) => benchDiff(k, mode === 'from-json');
  run(n).then((r) => process.stdout.write(JSON.stringify({ n, ...r }) + '\n'));
}
