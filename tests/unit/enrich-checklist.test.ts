import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseChecklistDefinition, parseChecklistState } from '../../src/settings/checklist.ts';
import type { ChecklistDefinition } from '../../src/model/checklist.ts';
import { FIXTURES, build, loadRuns, shippedDefinition, state } from '../helpers/enrich-fixtures.ts';

const evidencePath = 'evidence/backup-restore.txt';
const evidenceSha = createHash('sha256').update(readFileSync(new URL(`../fixtures/enrich/${evidencePath}`, import.meta.url))).digest('hex');

/** A small definition for focused cases: one rule item, one manual item per OWASP concern. */
const definition: ChecklistDefinition = {
  id: 'test-list', version: '1.0.0', title: 'Test list',
  items: [
    { id: 'deps-clean', title: 'No critical/high dependency vulnerabilities', section: 'pre', owasp: ['A06:2021', 'A03:2025'], rule: { tools: ['pip-audit', 'safety'], kinds: ['dependency'], severityAtLeast: 'high', maxCount: 0 } },
    { id: 'no-secrets', title: 'No secrets', section: 'pre', owasp: ['A07:2021', 'A07:2025'], rule: { tools: ['gitleaks'], kinds: ['secret'], maxCount: 0 } },
    { id: 'bind-ok', title: 'Binding reviewed', section: 'pre', owasp: [], rule: { tools: ['bandit'], ruleIds: ['B104'], maxCount: 2 } },
    { id: 'backups', title: 'Backups verified', section: 'post', owasp: [] },
    { id: 'components-reviewed', title: 'Components reviewed', section: 'post', owasp: ['A06:2021'] },
  ],
};

const item = (r: ReturnType<typeof build>, id: string) => r.report.checklist!.items.find((i) => i.id === id)!;

describe('evaluateChecklist', () => {
  const runs = loadRuns(FIXTURES.bandit, FIXTURES.pipAudit);
  const pipFingerprints = runs.find((r) => r.tool.name === 'pip-audit')!.findings.map((f) => f.fingerprint).sort();

  it('shows the seed\'s failure: an attested "dependencies scanned, 0 critical" pass contradicted by 15 open advisories', () => {
    const s = state(`schemaVersion: "1.0"\nattestations:\n  - { item: dependencies-no-high-cves, status: pass, by: "J. Doe", at: 2025-07-30 }\n`);
    const r = build(runs, { checklist: { definition: shippedDefinition(), state: s } });
    const res = item(r, 'dependencies-no-high-cves');
    expect(res.status).toBe('contradicted');
    expect(res.basis).toBe('attested');
    expect(res.attestation).toMatchObject({ by: 'J. Doe', at: '2025-07-30', status: 'pass' });
    // pip-audit gives no severity: an unknown severity can be anything, so it counts.
    expect([...res.findings].sort()).toEqual(pipFingerprints);
    expect(res.reason).toEqual({ code: 'contradicted-by-rule', args: { status: 'pass', by: 'J. Doe', at: '2025-07-30', matched: 15, maxCount: 0, tools: ['pip-audit'] } });
    expect(r.report.status.overall).toBe('REMEDIATION REQUIRED');
  });

  it('decides automatic items from scan data, with counts and the deciding fingerprints', () => {
    const r = build(runs, { checklist: { definition } });
    const bind = item(r, 'bind-ok');
    expect(bind).toMatchObject({ basis: 'automatic', status: 'pass' });
    expect(bind.findings).toHaveLength(2);
    expect(bind.reason).toEqual({ code: 'rule-pass', args: { matched: 2, maxCount: 2, tools: ['bandit'] } });
    expect(bind.rule).toEqual({ tools: ['bandit'], ruleIds: ['B104'], maxCount: 2 });
    expect(bind.evaluation).toEqual({ tools: ['bandit'], runs: [0], matched: 2, maxCount: 2, belowThreshold: [] });
    expect(item(r, 'deps-clean')).toMatchObject({ basis: 'automatic', status: 'fail' });
  });

  it('lets an attested fail override an automatic pass', () => {
    const s = state(`schemaVersion: "1.0"\nattestations:\n  - { item: bind-ok, status: fail, by: reviewer, at: 2025-07-30 }\n`);
    const res = item(build(runs, { checklist: { definition, state: s } }), 'bind-ok');
    expect(res).toMatchObject({ status: 'fail', basis: 'attested' });
    expect(res.reason).toEqual({ code: 'attested-fail-over-rule', args: { status: 'fail', by: 'reviewer', at: '2025-07-30', matched: 2, maxCount: 2, tools: ['bandit'] } });
  });

  it('keeps an item pending, "not assessed", when none of its tools ran', () => {
    const r = build(runs, { checklist: { definition } });
    expect(item(r, 'no-secrets')).toMatchObject({ status: 'pending', basis: 'none', reason: { code: 'rule-not-assessed', args: { tools: ['gitleaks'] } } });
    expect(item(r, 'no-secrets').evaluation).toBeUndefined();
    const onlyBandit = build(loadRuns(FIXTURES.bandit), { checklist: { definition } });
    expect(item(onlyBandit, 'deps-clean').reason).toEqual({ code: 'rule-not-assessed', args: { tools: ['pip-audit', 'safety'] } });
  });

  it('marks a missing attestation pending', () => {
    const r = build(runs, { checklist: { definition } });
    expect(item(r, 'backups')).toMatchObject({ status: 'pending', basis: 'none', reason: { code: 'no-attestation', args: {} } });
  });

  it('contradicts a pass attestation when open blocking findings map to the item\'s OWASP categories', () => {
    const s = state(`schemaVersion: "1.0"\nattestations:\n  - { item: components-reviewed, status: pass, by: ops, at: 2025-07-30 }\n`);
    const lenient = build(runs, { checklist: { definition, state: s } });
    expect(item(lenient, 'components-reviewed').status).toBe('pass');
    const strict = build(runs, { config: { policy: { blockingSeverities: ['critical', 'high', 'unknown'] } }, checklist: { definition, state: s } });
    const res = item(strict, 'components-reviewed');
    expect(res.status).toBe('contradicted');
    expect(res.findings).toHaveLength(15);
  });

  it('flags attestations older than policy.maxEvidenceAgeDays as stale', () => {
    const s = state(`schemaVersion: "1.0"\nattestations:\n  - { item: backups, status: pass, by: ops, at: 2025-01-01 }\n`);
    const r = build(runs, { checklist: { definition, state: s } });
    const res = item(r, 'backups');
    expect(res.status).toBe('stale');
    // 2025-01-01 → 2025-08-01 is 212 days; day 181 (2025-07-01) is the first stale day.
    expect(res.reason).toEqual({ code: 'attestation-stale', args: { status: 'pass', by: 'ops', at: '2025-01-01', ageDays: 212, maxEvidenceAgeDays: 180, staleSince: '2025-07-01' } });
    const relaxed = build(runs, { config: { policy: { maxEvidenceAgeDays: 365 } }, checklist: { definition, state: s } });
    expect(item(relaxed, 'backups').status).toBe('pass');
    expect(r.report.recommendations).toContainEqual({ code: 'reattest-stale', args: { item: 'backups', staleSince: '2025-07-01' } });
  });

  it('expires an attestation after its expires day, not on it', () => {
    const on = state(`schemaVersion: "1.0"\nattestations:\n  - { item: backups, status: pass, by: ops, at: 2025-07-01, expires: 2025-08-01 }\n`);
    expect(item(build(runs, { now: '2025-08-01T23:59:59Z', checklist: { definition, state: on } }), 'backups').status).toBe('pass');
    expect(item(build(runs, { now: '2025-08-02T00:00:00Z', checklist: { definition, state: on } }), 'backups')).toMatchObject({ status: 'expired', basis: 'attested' });
  });

  it('does not accept an attestation whose evidence file changed or disappeared, and says why', () => {
    const s = state(`schemaVersion: "1.0"\nattestations:\n  - item: backups\n    status: pass\n    by: ops\n    at: 2025-07-21\n    evidence:\n      - { file: ${evidencePath}, sha256: ${evidenceSha} }\n`);
    const ok = build(runs, { checklist: { definition, state: s }, evidenceHashes: new Map([[evidencePath, { sha256: evidenceSha }]]) });
    expect(item(ok, 'backups').status).toBe('pass');
    expect(item(ok, 'backups').attestation?.evidence).toEqual([{ file: evidencePath, sha256: evidenceSha, check: { state: 'matches', sha256: evidenceSha } }]);
    const changed = build(runs, { checklist: { definition, state: s }, evidenceHashes: new Map([[evidencePath, { sha256: 'f'.repeat(64) }]]) });
    expect(item(changed, 'backups')).toMatchObject({ status: 'pending', basis: 'attested' });
    expect(item(changed, 'backups').reason).toEqual({ code: 'evidence-not-accepted', args: { status: 'pass', by: 'ops', at: '2025-07-21', file: evidencePath, problem: 'changed' } });
    expect(item(changed, 'backups').attestation?.evidence[0]?.check).toEqual({ state: 'changed', sha256: 'f'.repeat(64) });
    for (const problem of ['missing', 'outside', 'not-a-file', 'too-large', 'unreadable', 'symlink-loop', 'nul-in-path'] as const) {
      const bad = build(runs, { checklist: { definition, state: s }, evidenceHashes: new Map([[evidencePath, { problem }]]) });
      expect(item(bad, 'backups')).toMatchObject({ status: 'pending', reason: { code: 'evidence-not-accepted', args: { problem } } });
      expect(bad.report.recommendations).toContainEqual({ code: 'reattest-evidence', args: { item: 'backups', file: evidencePath, problem } });
    }
    const unchecked = build(runs, { checklist: { definition, state: s } });
    expect(item(unchecked, 'backups')).toMatchObject({ status: 'pending', reason: { args: { problem: 'unchecked' } } });
  });

  it('warns when the state was written for another checklist definition', () => {
    const s = state(`schemaVersion: "1.0"\nchecklist: test-list@^2\n`);
    const r = build(runs, { checklist: { definition, state: s, file: 'state.yaml' } });
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ code: 'checklist/definition-mismatch', level: 'warning', pointer: '/checklist' }));
    const same = build(runs, { checklist: { definition, state: state(`schemaVersion: "1.0"\nchecklist: test-list@^1\n`) } });
    expect(same.diagnostics.filter((d) => d.code === 'checklist/definition-mismatch')).toEqual([]);
  });

  it('warns, with a pointer, about attestations for items the definition does not have', () => {
    const s = state(`schemaVersion: "1.0"\nattestations:\n  - { item: backups, status: pass, by: ops, at: 2025-07-21 }\n  - { item: no-such-item, status: pass, by: ops, at: 2025-07-21 }\n`);
    const r = build(runs, { checklist: { definition, state: s, file: 'state.yaml' } });
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ code: 'checklist/unknown-item', level: 'warning', file: 'state.yaml', pointer: '/attestations/1/item' }));
  });

  it('keeps not-applicable a status of its own, never a pass, and a failed attestation a fail', () => {
    const s = state(`schemaVersion: "1.0"\nattestations:\n  - { item: backups, status: not-applicable, by: ops, at: 2025-07-21, note: "no backups: stateless" }\n  - { item: components-reviewed, status: fail, by: ops, at: 2025-07-21 }\n`);
    const r = build(runs, { checklist: { definition, state: s } });
    expect(item(r, 'backups')).toMatchObject({ status: 'not-applicable', basis: 'attested', reason: { code: 'attested', args: { status: 'not-applicable', by: 'ops', at: '2025-07-21' } } });
    expect(item(r, 'backups').attestation?.note).toBe('no backups: stateless');
    expect(item(r, 'components-reviewed').status).toBe('fail');
  });
});

describe('parseChecklistState', () => {
  it('requires schemaVersion "1.0" with one clear diagnostic', () => {
    const missing = parseChecklistState('attestations: []\n', 's.yaml');
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.diagnostics).toEqual([expect.objectContaining({ code: 'checklist/schema-version', pointer: '/schemaVersion', message: 'schemaVersion is missing' })]);
    const newer = parseChecklistState('schemaVersion: "2.0"\n', 's.yaml');
    if (newer.ok) throw new Error('expected failure');
    expect(newer.diagnostics[0]?.message).toContain('newer');
    const number = parseChecklistState('schemaVersion: 1.0\n', 's.yaml');
    if (number.ok) throw new Error('expected failure');
    expect(number.diagnostics[0]?.fix).toContain('quote it');
  });

  it('keeps dates as strings and refuses impossible or zone-less ones', () => {
    const ok = parseChecklistState('schemaVersion: "1.0"\nattestations:\n  - { item: a, status: pass, by: me, at: 2024-01-01 }\n', 's.yaml');
    expect(ok.ok && ok.value.attestations?.[0]?.at).toBe('2024-01-01');
    const impossible = parseChecklistState('schemaVersion: "1.0"\nattestations:\n  - { item: a, status: pass, by: me, at: 2024-02-30 }\n', 's.yaml');
    expect(impossible.ok).toBe(false);
    if (!impossible.ok) expect(impossible.diagnostics[0]).toMatchObject({ code: 'checklist/invalid-date', pointer: '/attestations/0/at', line: 3, column: 42 });
    const local = parseChecklistState('schemaVersion: "1.0"\nattestations:\n  - { item: a, status: pass, by: me, at: "2024-01-01T10:00:00" }\n', 's.yaml');
    expect(local.ok).toBe(false);
  });

  it('requires exactly one evidence form, and a sha256 with a file', () => {
    const both = parseChecklistState('schemaVersion: "1.0"\nattestations:\n  - { item: a, status: pass, by: me, at: 2024-01-01, evidence: [{ text: x, link: "https://x" }] }\n', 's.yaml');
    expect(both.ok).toBe(false);
    const bare = parseChecklistState('schemaVersion: "1.0"\nattestations:\n  - { item: a, status: pass, by: me, at: 2024-01-01, evidence: [{ file: x.txt }] }\n', 's.yaml');
    expect(bare.ok).toBe(false);
  });
});

describe('the shipped checklist definition', () => {
  it('is valid, derived from the seed lists, and its rules name tools and limits', () => {
    const def = shippedDefinition();
    expect(def).toMatchObject({ id: 'deployment-security', version: '1.0.0' });
    expect(def.items.length).toBeGreaterThanOrEqual(25);
    expect(new Set(def.items.map((i) => i.section))).toEqual(new Set(['pre-deployment', 'post-deployment']));
    const secrets = def.items.find((i) => i.id === 'no-hardcoded-secrets')!;
    expect(secrets.rule).toEqual({ tools: ['bandit', 'gitleaks', 'semgrep'], cwe: ['CWE-798', 'CWE-259', 'CWE-321'], maxCount: 0 });
    for (const i of def.items) for (const id of i.owasp) expect(id).toMatch(/^A(0[1-9]|10):(2021|2025)$/);
  });

  it('rejects a rule that is not declarative data', () => {
    const r = parseChecklistDefinition('id: x\nversion: 1.0.0\ntitle: X\nitems:\n  - { id: a, title: A, section: s, owasp: [], rule: { maxCount: 0, expression: "findings.length == 0" } }\n', 'd.yaml');
    expect(r.ok).toBe(false);
  });
});
