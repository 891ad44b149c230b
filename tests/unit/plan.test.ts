import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SHIPPED_TEMPLATES_DIR, loadTemplates } from '../../src/bundle/templates-fs.ts';
import { planBuild } from '../../src/plan.ts';
import { documentMarkdown } from '../../src/render/markdown.ts';
import { realFixture } from '../helpers/real-fixtures.ts';

const { templates } = loadTemplates([SHIPPED_TEMPLATES_DIR]);
const bandit = { file: 'bandit.json', bytes: readFileSync(realFixture('bandit', 'bandit-1.8.6-cwe-col-offset.json')) };
const base = { templates, now: new Date('2026-01-01T00:00:00Z'), auditmarkVersion: 'test' };

describe('planBuild', () => {
  it('reads a scan given twice once, with a warning, so no count doubles', () => {
    const once = planBuild({ ...base, scans: [bandit] });
    const twice = planBuild({ ...base, scans: [bandit, { ...bandit, file: 'copy.json' }] });
    expect(twice.plan?.report.summary.total).toBe(once.plan?.report.summary.total);
    expect(twice.diagnostics).toContainEqual(expect.objectContaining({ code: 'input/duplicate', file: 'copy.json', level: 'warning' }));
  });
  it('refuses a config checklist selector that matches no available definition', () => {
    const r = planBuild({ ...base, scans: [bandit], config: { file: 'cfg.yaml', sha256: 'x', options: { checklist: 'other-list@^2' } } });
    expect(r.plan).toBeUndefined();
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ code: 'config/checklist-not-found', file: 'cfg.yaml', pointer: '/checklist' }));
  });
  it('uses a checklist definition file named by the config instead of the template one', () => {
    const definition = 'id: tiny\nversion: 1.0.0\ntitle: Tiny\nitems:\n  - id: no-bind-all\n    title: Nothing binds 0.0.0.0\n    section: network\n    owasp: [A05:2021]\n    rule: { tools: [bandit], ruleIds: [B104], maxCount: 0 }\n';
    const r = planBuild({ ...base, scans: [bandit], checklistDefinition: { file: 'tiny.yaml', text: definition } });
    expect(r.plan?.report.checklist?.id).toBe('tiny');
    expect(r.plan?.report.checklist?.items.map((i) => [i.id, i.status])).toEqual([['no-bind-all', 'fail']]);
  });
  it('caps text shown in the document but keeps it in report.json', () => {
    const huge = JSON.parse(bandit.bytes.toString('utf8'));
    huge.results[0].issue_text = 'x'.repeat(20_000);
    const r = planBuild({ ...base, scans: [{ file: 'h.json', bytes: Buffer.from(JSON.stringify(huge)) }] });
    expect(r.plan?.report.findings.some((f) => f.message.length === 20_000)).toBe(true);
    const markdown = documentMarkdown(r.plan!.document);
    expect(markdown).not.toContain('x'.repeat(16_385));
    expect(markdown).toContain('limit maxDocumentFieldLength=16384');
  });
});
