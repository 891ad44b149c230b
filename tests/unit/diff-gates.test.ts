import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diffReports } from '../../src/diff/diff.ts';
import { exitCode } from '../../src/policy/exit-code.ts';
import { evaluateGates, GATE_FORMS, parseGate, type Gate } from '../../src/policy/gates.ts';
import { diag } from '../../src/model/diagnostics.ts';
import type { Report } from '../../src/model/report.ts';
import { reportFromRuns, runsFrom } from '../helpers/report-from-runs.ts';

const bandit = readFileSync(new URL('../fixtures/diff/bandit-2025-06-06.json', import.meta.url), 'utf8');
const pip = readFileSync(new URL('../fixtures/diff/pip-audit-15-vulns.json', import.meta.url), 'utf8');

const gate = (text: string, context?: 'build' | 'diff'): Gate => {
  const r = parseGate(text, context);
  if (!r.gate) throw new Error(JSON.stringify(r.diagnostics));
  return r.gate;
};

describe('parseGate', () => {
  it('accepts every documented form, case-insensitively', () => {
    for (const form of GATE_FORMS) expect(parseGate(form).gate?.text).toBe(form);
    expect(gate('NEW:High').text).toBe('new:high');
    expect(gate('status:remediation-required').text).toBe('status:REMEDIATION REQUIRED');
  });

  it('rejects invalid gates with a usage diagnostic listing the valid forms', () => {
    for (const bad of ['new:severe', 'new', 'status:OK', 'fail-on', 'expired-waivers:3', '', 'new:unknown']) {
      const r = parseGate(bad);
      expect(r.gate).toBeUndefined();
      expect(r.diagnostics.map((d) => d.code)).toEqual(['usage/invalid-gate']);
      expect(r.diagnostics[0]!.expected).toContain('new:high');
      expect(r.diagnostics[0]!.expected).toContain('status:REMEDIATION REQUIRED');
    }
  });

  it('in a build, refuses gates that need a baseline instead of passing them silently', () => {
    expect(parseGate('new:high', 'build').diagnostics.map((d) => d.code)).toEqual(['usage/gate-needs-baseline']);
    expect(parseGate('status:CONDITIONAL', 'build').gate).toBeDefined();
  });
});

describe('evaluateGates on a real diff', () => {
  const base = reportFromRuns(runsFrom([{ file: 'bandit.json', bytes: bandit }]));
  const cur = reportFromRuns(runsFrom([{ file: 'bandit.json', bytes: bandit }, { file: 'pip-audit.json', bytes: pip }]));
  const d = diffReports(base, cur);
  const pipFindings = cur.findings.filter((f) => f.tool === 'pip-audit');

  it('new:any fails with the count of new findings', () => {
    const [r] = evaluateGates([gate('new:any')], d);
    expect(r!.failed).toBe(true);
    expect(r!.reason).toMatch(new RegExp(`^${pipFindings.length} open new findings`));
  });

  it('new:<severity> counts that severity or worse (and unknown), not less', () => {
    const countAtLeast = (levels: string[]) => pipFindings.filter((f) => levels.includes(f.severity)).length;
    const [critical] = evaluateGates([gate('new:critical')], d);
    expect(critical!.failed).toBe(countAtLeast(['critical', 'unknown']) > 0);
    const [low] = evaluateGates([gate('new:low')], d);
    expect(low!.reason).toMatch(new RegExp(`^${countAtLeast(['critical', 'high', 'medium', 'low', 'unknown'])} `));
  });

  it('a diff against itself passes new:any', () => {
    const [r] = evaluateGates([gate('new:any')], diffReports(cur, cur));
    expect(r).toEqual({ gate: 'new:any', failed: false, reason: '0 open new findings' });
  });

  it('waived new findings do not trip new gates', () => {
    const waived: Report = { ...cur, findings: cur.findings.map((f) => (f.tool === 'pip-audit' ? { ...f, status: 'waived' as const } : f)) };
    const [r] = evaluateGates([gate('new:any')], diffReports(base, waived));
    expect(r!.failed).toBe(false);
  });

  it('status gates compare with the current overall status, worse included', () => {
    const remediation: Report = { ...cur, status: { overall: 'REMEDIATION REQUIRED', reasons: [] } };
    const conditional: Report = { ...cur, status: { overall: 'CONDITIONAL', reasons: [] } };
    expect(evaluateGates([gate('status:CONDITIONAL')], remediation)[0]!.failed).toBe(true);
    expect(evaluateGates([gate('status:REMEDIATION REQUIRED')], conditional)[0]!.failed).toBe(false);
    expect(evaluateGates([gate('status:CONDITIONAL')], diffReports(base, conditional))[0]!.failed).toBe(true);
  });

  it('expired-waivers and absent-coverage', () => {
    const withExpired: Report = { ...cur, waivers: [{ id: 'W-7', match: { ruleId: 'B105' }, justification: 'x', approver: 'y', expires: '2020-01-01', state: 'expired', matched: 1 }] };
    expect(evaluateGates([gate('expired-waivers')], withExpired)[0]).toEqual({ gate: 'expired-waivers', failed: true, reason: '1 expired waiver: W-7' });
    expect(evaluateGates([gate('expired-waivers')], diffReports(base, withExpired))[0]!.failed).toBe(true);
    const dropped = diffReports(cur, base);
    expect(evaluateGates([gate('absent-coverage')], dropped)[0]!.reason).toContain('pip-audit');
    expect(evaluateGates([gate('absent-coverage')], d)[0]!.failed).toBe(false);
  });
});

describe('exitCode', () => {
  const gate = diag('gate/failed', 'error', 'new:high: 1 open new high-or-worse finding');
  const cases: Array<[string, Parameters<typeof exitCode>[0], number]> = [
    ['nothing wrong', [], 0],
    ['warnings only', [diag('input/noise-stripped', 'warning', 'w')], 0],
    ['gate failed', [gate], 1],
    ['bundle did not verify', [diag('verify/changed', 'error', 'x')], 1],
    ['usage error', [diag('usage/invalid-gate', 'error', 'x')], 2],
    ['input error beats a failed gate', [diag('input/not-json', 'error', 'x'), gate], 2],
    ['schema error', [diag('schema/report', 'error', 'x')], 2],
    ['template selection', [diag('template/not-found', 'error', 'x')], 2],
    ['unreadable bundle', [diag('verify/no-manifest', 'error', 'x')], 2],
    ['render failure', [diag('pdf/timeout', 'error', 'x')], 3],
    ['write failure', [diag('output/locked', 'error', 'x')], 3],
    ['template render error', [diag('template/render-error', 'error', 'x')], 3],
    ['internal error', [diag('internal/error', 'error', 'x')], 3],
    ['input and render errors: input first', [diag('ingest/bad-field', 'error', 'x'), diag('pdf/timeout', 'error', 'y')], 2],
    ['render failure beats a failed gate', [diag('output/locked', 'error', 'x'), gate], 3],
  ];
  for (const [name, input, code] of cases) it(`${name} → ${code}`, () => expect(exitCode(input)).toBe(code));
});
