import { describe, expect, it } from 'vitest';
import { FIXTURES, build, loadRuns, state } from '../helpers/enrich-fixtures.ts';

describe('waivers', () => {
  const runs = loadRuns(FIXTURES.bandit, FIXTURES.pipAudit);
  const bandit = runs.find((r) => r.tool.name === 'bandit')!;
  const b104 = bandit.findings.filter((f) => f.ruleId === 'B104');
  const b110 = bandit.findings.find((f) => f.ruleId === 'B110')!;
  const withState = (yaml: string, now?: string) => build(runs, { ...(now ? { now } : {}), checklist: { state: state(`schemaVersion: "1.0"\nwaivers:\n${yaml}`), file: 'state.yaml' } });

  it('accepts one finding by fingerprint: reported as waived, not hidden', () => {
    const r = withState(`  - { id: RISK-1, fingerprint: "${b110.fingerprint}", justification: "logging wrapper", approver: "CISO", expires: 2025-12-31 }\n`);
    const f = r.report.findings.find((x) => x.fingerprint === b110.fingerprint)!;
    expect(f.status).toBe('waived');
    expect(f.waiver).toEqual({ id: 'RISK-1', justification: 'logging wrapper', approver: 'CISO', expires: '2025-12-31' });
    expect(r.report.findings).toHaveLength(18);
    expect(r.report.summary).toMatchObject({ total: 18, waived: 1, open: 17 });
    expect(r.report.waivers).toEqual([expect.objectContaining({ id: 'RISK-1', state: 'active', matched: 1, match: { fingerprint: b110.fingerprint } })]);
  });

  it('accepts every finding of a rule, optionally only from one tool', () => {
    const r = withState(`  - { id: RISK-2, ruleId: B104, tool: bandit, justification: "container binds 0.0.0.0 behind a proxy", approver: "CISO", expires: 2025-12-31 }\n`);
    const waived = r.report.findings.filter((f) => f.status === 'waived');
    expect(waived.map((f) => f.fingerprint).sort()).toEqual(b104.map((f) => f.fingerprint).sort());
    expect(r.report.waivers[0]).toMatchObject({ state: 'active', matched: 2, match: { ruleId: 'B104', tool: 'bandit' } });
    const otherTool = withState(`  - { id: RISK-3, ruleId: B104, tool: semgrep, justification: "x", approver: "y", expires: 2025-12-31 }\n`);
    expect(otherTool.report.findings.every((f) => f.status === 'open')).toBe(true);
    expect(otherTool.report.waivers[0]?.state).toBe('unmatched');
  });

  it('stops applying an expired waiver and flags it on the finding and in the status', () => {
    const r = withState(`  - { id: RISK-4, ruleId: B104, justification: "temporary", approver: "CISO", expires: 2025-07-31 }\n`);
    const fs = r.report.findings.filter((f) => f.ruleId === 'B104');
    expect(fs.map((f) => f.status)).toEqual(['open', 'open']);
    for (const f of fs) expect(f.waiver).toMatchObject({ id: 'RISK-4', expired: true });
    expect(r.report.waivers[0]).toMatchObject({ state: 'expired', matched: 2 });
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ code: 'waiver/expired', pointer: '/waivers/0/expires' }));
    expect(r.report.status.reasons).toContainEqual({ code: 'waivers-expired', args: { waivers: ['RISK-4'] } });
    expect(r.report.recommendations).toContainEqual({ code: 'renew-waiver', args: { waiver: 'RISK-4', expires: '2025-07-31', matched: 2 } });
  });

  it('flags a waiver that matches nothing, with a warning pointing at it', () => {
    const r = withState(`  - { id: RISK-5, ruleId: B999, justification: "old", approver: "CISO", expires: 2026-01-01 }\n`);
    expect(r.report.waivers[0]).toMatchObject({ id: 'RISK-5', state: 'unmatched', matched: 0 });
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ code: 'waiver/unmatched', level: 'warning', file: 'state.yaml', pointer: '/waivers/0' }));
  });

  it('matches an advisory waiver on an alias (CVE id of a PYSEC advisory)', () => {
    const dep = runs.find((r) => r.tool.name === 'pip-audit')!.findings.find((f) => f.aliases.some((a) => a.startsWith('CVE-')))!;
    const cve = dep.aliases.find((a) => a.startsWith('CVE-'))!;
    const r = withState(`  - { id: RISK-6, ruleId: "${cve}", justification: "not reachable", approver: "CISO", expires: 2026-01-01 }\n`);
    expect(r.report.findings.find((f) => f.fingerprint === dep.fingerprint)?.status).toBe('waived');
  });
});
