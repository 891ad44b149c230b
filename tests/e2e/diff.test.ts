/**
 * End-to-end `auditmark diff` through the CLI entry (in-process) on real scans: two Bandit
 * runs of the same project on two dates, a build output directory against a scan, and a
 * report.json against itself. Expected totals are computed from the raw files here.
 *
 * Invariants of diff.json (src/model/diff.ts, `ReportDiff`):
 *   new + unchanged + updated = currentTotal
 *   absent + unchanged + updated + notAssessed = baselineTotal
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFrontmatter } from '../../src/settings/frontmatter.ts';
import { parseMarkdown, sectionTables } from '../cli/report-markdown.ts';
import { REPO_ROOT, runCli, tempDir, type CliRun } from '../cli/run-cli.ts';

const ENV = { SOURCE_DATE_EPOCH: '1798675200' };
// Same project (Louranicas/claude-optimized-deployment), Bandit 1.8.3: 2025-05-31 and 2025-06-17.
const OLDER = 'tests/golden/ingest/bandit--bandit-1.8.3-stderr-log-preamble-NOT-JSON/input.json';
const NEWER = 'tests/golden/ingest/bandit--bandit-1.8.x-errors-15-syntax/input.json';
const STATES = ['new', 'absent', 'unchanged', 'updated'] as const;

interface DiffJson {
  summary: { new: number; absent: number; unchanged: number; updated: number; notAssessed: number; baselineTotal: number; currentTotal: number; newOpenBySeverity: Record<string, number> };
  findings: Array<{ state: string; fingerprint: string; tool: string; severity: string; current?: { status: string } }>;
  notAssessed: Array<{ fingerprint: string; tool: string }>;
}

const readJson = <T,>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Bandit results in a raw file, reading past the log lines a captured stderr put before the JSON. */
function rawBandit(path: string): Array<{ issue_severity: string }> {
  const text = readFileSync(join(REPO_ROOT, path), 'utf8');
  return (JSON.parse(text.slice(text.search(/^\{/m))) as { results: Array<{ issue_severity: string }> }).results;
}

/** The invariants every diff.json must satisfy, whatever its inputs. */
function expectInvariants(d: DiffJson): void {
  const s = d.summary;
  expect(s.new + s.unchanged + s.updated).toBe(s.currentTotal);
  expect(s.absent + s.unchanged + s.updated + s.notAssessed).toBe(s.baselineTotal);
  for (const state of STATES) expect(d.findings.filter((f) => f.state === state).length, state).toBe(s[state]);
  expect(d.findings.every((f) => (STATES as readonly string[]).includes(f.state))).toBe(true);
  expect(d.notAssessed).toHaveLength(s.notAssessed);
  expect(d.findings.every((f) => typeof f.fingerprint === 'string' && f.fingerprint.length > 0)).toBe(true);
}

const work = tempDir('auditmark-e2e-diff-');
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('diff of two real Bandit scans of the same project (older → newer)', () => {
  const out = join(work, 'scans');
  let run: CliRun;
  let d: DiffJson;
  beforeAll(async () => {
    run = await runCli(['diff', OLDER, NEWER, '--format', 'md,json,html', '--out', out, '--fail-on', 'new:high'], ENV);
    d = readJson<DiffJson>(join(out, 'diff.json'));
  });

  it('writes diff.md, diff.json, diff.html and a manifest that verifies', async () => {
    expect(readdirSync(out).sort()).toEqual(['diff.html', 'diff.json', 'diff.md', 'manifest.json']);
    const manifest = readJson<{ outputs: Array<{ path: string; sha256: string }> }>(join(out, 'manifest.json'));
    for (const o of manifest.outputs) expect(sha256(readFileSync(join(out, o.path))), o.path).toBe(o.sha256);
    const v = await runCli(['verify', out]);
    expect(v.exit).toBe(0);
  });

  it('totals equal the raw files and the invariants hold', () => {
    expect(d.summary.baselineTotal).toBe(rawBandit(OLDER).length);
    expect(d.summary.currentTotal).toBe(rawBandit(NEWER).length);
    expectInvariants(d);
    // Same tool on both sides: nothing is "not assessed", and both sides changed for real.
    expect(d.summary.notAssessed).toBe(0);
    expect(d.summary.new).toBeGreaterThan(0);
    expect(d.summary.absent).toBeGreaterThan(0);
    expect(d.summary.unchanged).toBeGreaterThan(0);
  });

  it('--fail-on new:high passes (exit 0): the newer scan has no high finding at all', () => {
    expect(rawBandit(NEWER).filter((r) => r.issue_severity === 'HIGH')).toHaveLength(0);
    expect(d.findings.filter((f) => f.state === 'new' && f.severity === 'high')).toHaveLength(0);
    expect(run.exit).toBe(0);
  });

  it('diff.md states the counts of diff.json (summary table and one row per new finding)', () => {
    const { content } = readFrontmatter(readFileSync(join(out, 'diff.md'), 'utf8'), 'diff.md');
    const tree = parseMarkdown(content);
    const [summary] = sectionTables(tree, 'Summary');
    expect(summary).toBeDefined();
    const stateCol = summary!.header.indexOf('State');
    const countCol = summary!.header.indexOf('Findings');
    const shown = Object.fromEntries(summary!.rows.map((row) => [row[stateCol], Number(row[countCol])]));
    expect(shown).toMatchObject({ new: d.summary.new, absent: d.summary.absent, updated: d.summary.updated, unchanged: d.summary.unchanged, 'not assessed': d.summary.notAssessed });
    const [newTable] = sectionTables(tree, `New findings (${d.summary.new})`);
    expect(newTable?.rows).toHaveLength(d.summary.new);
  });
});

describe('diff the other way (newer → older) with --fail-on new:high', () => {
  it('exits 1 because the older scan has high findings the newer one lacks', async () => {
    expect(rawBandit(OLDER).filter((r) => r.issue_severity === 'HIGH').length).toBeGreaterThan(0);
    const out = join(work, 'reverse');
    const r = await runCli(['diff', NEWER, OLDER, '--format', 'json', '--out', out, '--fail-on', 'new:high'], ENV);
    const d = readJson<DiffJson>(join(out, 'diff.json'));
    expectInvariants(d);
    expect(d.findings.filter((f) => f.state === 'new' && f.severity === 'high').length).toBeGreaterThan(0);
    expect(d.summary.newOpenBySeverity.high).toBeGreaterThan(0);
    expect(r.exit).toBe(1);
    expect(r.stderr).toMatch(/new:high/);
  });

  it('the same diff without a gate exits 0', async () => {
    const r = await runCli(['diff', NEWER, OLDER, '--format', 'json', '--out', join(work, 'reverse-nogate')], ENV);
    expect(r.exit).toBe(0);
  });
});

describe('diff of a build output directory against a scan', () => {
  const bundle = join(work, 'bundle');
  beforeAll(async () => {
    const b = await runCli([
      'build', '--config', 'examples/auditmark.config.yaml', '--scan', 'examples/scans/bandit.json', '--scan', 'examples/scans/pip-audit.json',
      '--checklist', 'examples/checklist-state.yaml', '--format', 'md,json', '--out', bundle,
    ], ENV);
    expect(b.exit).toBe(0);
  });

  it('the bundle against the same Bandit scan: nothing new or absent; pip-audit, not run now, is "not assessed"', async () => {
    const out = join(work, 'dir-vs-scan');
    const r = await runCli(['diff', bundle, 'examples/scans/bandit.json', '--format', 'md,json', '--out', out, '--fail-on', 'new:any'], ENV);
    expect(r.exit).toBe(0);
    const d = readJson<DiffJson>(join(out, 'diff.json'));
    expectInvariants(d);
    const rawPip = readJson<{ dependencies: Array<{ vulns?: unknown[] }> }>(join(REPO_ROOT, 'examples/scans/pip-audit.json')).dependencies.reduce((n, x) => n + (x.vulns?.length ?? 0), 0);
    const rawBanditCount = readJson<{ results: unknown[] }>(join(REPO_ROOT, 'examples/scans/bandit.json')).results.length;
    expect(d.summary.baselineTotal).toBe(rawBanditCount + rawPip);
    expect(d.summary.currentTotal).toBe(rawBanditCount);
    expect(d.summary.new).toBe(0);
    expect(d.summary.absent).toBe(0);
    expect(d.summary.notAssessed).toBe(rawPip);
    expect(d.notAssessed.every((f) => f.tool === 'pip-audit')).toBe(true);
  });

  it('report.json against itself: 0 new, 0 absent, 0 updated', async () => {
    const report = join(bundle, 'report.json');
    const total = readJson<{ findings: unknown[] }>(report).findings.length;
    const out = join(work, 'self');
    const r = await runCli(['diff', report, report, '--format', 'json', '--out', out, '--fail-on', 'new:any'], ENV);
    expect(r.exit).toBe(0);
    const d = readJson<DiffJson>(join(out, 'diff.json'));
    expectInvariants(d);
    expect(d.summary).toMatchObject({ new: 0, absent: 0, updated: 0, notAssessed: 0, unchanged: total, baselineTotal: total, currentTotal: total });
  });
});
