import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadTemplates, SHIPPED_TEMPLATES_DIR } from '../../src/bundle/templates-fs.ts';
import { readFrontmatter } from '../../src/settings/frontmatter.ts';
import { composeDiff } from '../../src/compose/documents.ts';
import { markdownOf } from '../helpers/compose.ts';
import { diffReports } from '../../src/diff/diff.ts';
import { validateSchema } from '../../src/model/schema-validate.ts';
import type { Report } from '../../src/model/report.ts';
import { reportFromRuns, runsFrom } from '../helpers/report-from-runs.ts';

const read = (n: string) => readFileSync(new URL(`../fixtures/diff/${n}`, import.meta.url), 'utf8');
const old = (() => {
  const t = read('bandit-2025-05-30.log.json');
  return t.slice(t.indexOf('{'));
})();
const { templates } = loadTemplates([SHIPPED_TEMPLATES_DIR]);
const template = templates.find((t) => t.id === 'scan-diff' && t.version === '1.0.0')!;

describe('scan-diff@1.0.0', () => {
  it('ships a manifest that validates', () => {
    const manifest = JSON.parse(readFileSync(new URL('../../templates/scan-diff/1.0.0/manifest.json', import.meta.url), 'utf8'));
    expect(validateSchema('template-manifest', manifest, 'manifest.json')).toEqual([]);
    expect(template).toBeDefined();
  });

  it('renders summary, new first, then fixed, updated, not assessed, checklist, waivers, OWASP; same metadata as reports', () => {
    const meta: Partial<Report['metadata']> = { project: 'claude-optimized-deployment', license: 'MIT', copyright: '© 2025 Example', classification: 'CONFIDENTIAL' };
    const a = reportFromRuns(runsFrom([{ file: 'old.json', bytes: old }, { file: 'pip.json', bytes: read('pip-audit-15-vulns.json') }]), { ...meta, appVersion: '1.4.0', documentId: 'aaa' });
    a.checklist = { id: 'c', version: '1', items: [{ id: 'SEC-1', title: 'Secrets scanned', owasp: [], basis: 'automatic', status: 'pass', reason: { code: 'rule-pass', args: { matched: 0, maxCount: 0, tools: ['bandit'] } }, findings: [] }] };
    a.owasp.rows = [{ id: 'A03:2021', edition: '2021', name: 'Injection', open: a.summary.openBySeverity, accepted: 0, checklistItems: [], coveredBy: ['bandit'], status: 'WARN', coverage: 'scanned', scans: [], attestations: [] }];
    const b = reportFromRuns(runsFrom([{ file: 'new.json', bytes: read('bandit-2025-06-06.json') }]), { ...meta, appVersion: '1.5.0', documentId: 'bbb' });
    b.checklist = { id: 'c', version: '1', items: [{ id: 'SEC-1', title: 'Secrets scanned', owasp: [], basis: 'automatic', status: 'fail', reason: { code: 'rule-fail', args: { matched: 3, maxCount: 0, tools: ['bandit'] } }, findings: [] }] };
    b.owasp.rows = [{ ...a.owasp.rows[0]!, status: 'FAIL' }];
    b.waivers = [{ id: 'W-9', match: { ruleId: 'B105' }, justification: 'test data | not | real', approver: 'x', expires: '2025-01-01', state: 'expired', matched: 0 }];
    const d = diffReports(a, b);
    const composed = composeDiff(d, template, { library: templates });
      const markdown = markdownOf(composed);
      const diagnostics = composed.diagnostics;
    expect(diagnostics).toEqual([]);
    const { data, content } = readFrontmatter(markdown);
    expect(data).toMatchObject({ project: 'claude-optimized-deployment', 'SPDX-License-Identifier': 'MIT', classification: 'CONFIDENTIAL', template: { id: 'scan-diff', version: '1.0.0' } });
    // Bandit 1.7 → 1.8 moved and edited flagged lines: matches whose snippets differ are updated.
    expect(d.summary.updated).toBeGreaterThan(0);
    expect(content).toContain(`## Updated findings (${d.summary.updated})`);
    const order = ['## Summary', '## New findings', '## Fixed or removed', '## Updated findings', '## Not assessed', '## Checklist changes', '## Waiver changes', '## OWASP Top 10 changes'];
    const at = order.map((h) => content.indexOf(h));
    expect(at.every((x) => x >= 0)).toBe(true);
    expect([...at].sort((x, y) => x - y)).toEqual(at);
    expect(content).toContain(`## New findings (${d.summary.new})`);
    expect(content).toContain(`## Not assessed (${d.summary.notAssessed})`);
    expect(content).toContain('pip-audit ran on the baseline but not now');
    expect(content).toMatch(/SEC-1.*\| PASS \| FAIL \|/);
    expect(content).toMatch(/A03:2021 \| Injection \| WARN \(scanned\) \| FAIL \(scanned\) \|/);
    expect(content).toContain('test data \\| not \\| real');
    expect(content).toContain('**CONFIDENTIAL**');
    expect(content).toContain('claude-optimized-deployment 1.4.0');
  });

  it('writes no empty section: the summary says so in one line', () => {
    const b = reportFromRuns(runsFrom([{ file: 'new.json', bytes: read('bandit-2025-06-06.json') }]), { documentId: 'bbb' });
    const content = readFrontmatter(markdownOf(composeDiff(diffReports(b, b), template, { library: templates }))).content;
    for (const h of ['## New findings', '## Fixed or removed', '## Updated findings', '## Not assessed']) expect(content).not.toContain(h);
    for (const line of ['- No new findings.', '- No baseline finding disappeared.', '- No matched finding changed.']) expect(content).toContain(line);
  });

  it('refuses a report template', () => {
    const report = templates.find((t) => t.manifest.kind === 'report')!;
    const a = reportFromRuns([]);
    expect(composeDiff(diffReports(a, a), report).diagnostics.map((x) => x.code)).toEqual(['template/wrong-kind']);
  });

  it('shows N/A, stale and partial as their own words and an OWASP row whose evidence got weaker as a change', () => {
    const a = reportFromRuns([]);
    const b = reportFromRuns([]);
    const item = (id: string, status: 'pass' | 'not-applicable' | 'stale' | 'partial') => ({
      id, title: id, owasp: [], basis: 'attested' as const, status, reason: { code: 'no-attestation' as const, args: {} }, findings: [],
    });
    a.checklist = { id: 'c', version: '1', items: [item('smtp', 'pass'), item('random', 'pass'), item('deps', 'pass')] };
    b.checklist = { id: 'c', version: '1', items: [item('smtp', 'not-applicable'), item('random', 'stale'), item('deps', 'partial')] };
    const row = { id: 'A05:2021', edition: '2021' as const, name: 'Security Misconfiguration', open: a.summary.openBySeverity, accepted: 0, checklistItems: [], coveredBy: [], status: 'PASS' as const, scans: [], attestations: [] };
    a.owasp.rows = [{ ...row, coverage: 'scanned' }];
    b.owasp.rows = [{ ...row, coverage: 'attested' }];
    const d = diffReports(a, b);
    expect(d.checklist.map((c) => [c.id, c.from, c.to])).toEqual([['smtp', 'pass', 'not-applicable'], ['random', 'pass', 'stale'], ['deps', 'pass', 'partial']]);
    expect(d.owasp).toEqual([{ id: 'A05:2021', name: 'Security Misconfiguration', from: 'PASS', to: 'PASS', fromCoverage: 'scanned', toCoverage: 'attested' }]);
    expect(validateSchema('diff', JSON.parse(JSON.stringify(d)), 'diff.json')).toEqual([]);
    const { content } = readFrontmatter(markdownOf(composeDiff(d, template, { library: templates })));
    expect(content).toMatch(/`smtp` \| smtp \| PASS \| N\/A \|/);
    expect(content).toMatch(/`random` \| random \| PASS \| stale \|/);
    expect(content).toMatch(/`deps` \| deps \| PASS \| partial \|/);
    expect(content).toContain('| A05:2021 | Security Misconfiguration | PASS (scanned) | PASS (attested) |');
  });
});
