/**
 * Benchmark of `auditmark history` over 50 releases of 5,000 findings each. One real report is
 * built from a synthetic 5,500-finding Bandit scan (through the real pipeline, so every report
 * is schema-valid); each release takes a window of 5,000 of its findings shifted by 10, so every
 * release fixes 10 findings and adds 10. The releases are written as build directories and the
 * CLI is run over them, reading, validating and matching everything.
 * `node --import tsx bench/history.ts 50 5000` prints one JSON object.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SHIPPED_TEMPLATES_DIR, loadTemplates } from '../src/bundle/templates-fs.ts';
import { planBuild } from '../src/plan.ts';
import { history } from '../src/pipeline.ts';
import { syntheticBandit } from './synthetic-bandit.ts';

const releases = Number(process.argv[2] ?? 50);
const size = Number(process.argv[3] ?? 5000);
const OUT = new URL('./out/history/', import.meta.url).pathname;
mkdirSync(OUT, { recursive: true });
const { templates } = loadTemplates([SHIPPED_TEMPLATES_DIR]);
const pool = size + releases * 10;
const base = planBuild({ templates, now: new Date('2025-01-01T00:00:00Z'), auditmarkVersion: 'bench', scans: [{ file: 'bandit.json', bytes: Buffer.from(syntheticBandit(pool)) }], overrides: { project: 'bench', policy: { sla: { high: '30d', medium: '90d', low: '180d' } } } }).plan!.report;
const dirs: string[] = [];
for (let k = 0; k < releases; k++) {
  const created = new Date(Date.UTC(2025, 0, 1 + k * 14)).toISOString();
  const findings = base.findings.slice(k * 10, k * 10 + size);
  const report = { ...base, metadata: { ...base.metadata, created, appVersion: `1.${k}.0`, documentId: k.toString(16).padStart(16, '0') }, findings };
  const dir = join(OUT, `r${k}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'report.json'), JSON.stringify(report, null, 2) + '\n');
  dirs.push(dir);
}
const t0 = performance.now();
const c0 = process.cpuUsage();
const r = await history({ inputs: dirs, out: join(OUT, 'out'), formats: ['md', 'json'], now: new Date('2026-12-01T00:00:00Z'), env: {} });
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(c0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const h = r.value;
if (r.exitCode !== 0) console.error(JSON.stringify(r.diagnostics.slice(0, 3)));
console.log(JSON.stringify({ releases, findingsPerRelease: size, seconds: Math.round(seconds * 100) / 100, cpuSeconds: Math.round(cpuSeconds * 100) / 100, exitCode: r.exitCode, fixedTotal: h?.summary.fixedTotal ?? -1, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
