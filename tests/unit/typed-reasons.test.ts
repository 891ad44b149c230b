/**
 * The model holds codes, the templates hold words: every code of src/model/reasons.ts has a
 * branch in the template's words.njk, is listed in schemas/report.schema.json, renders to text in
 * a composed document, and nothing in src/ parses an English sentence back out of the model.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadTemplates, SHIPPED_TEMPLATES_DIR } from '../../src/bundle/templates-fs.ts';
import { composeReport } from '../../src/compose/documents.ts';
import { lintTemplate } from '../../src/compose/lint.ts';
import { selectTemplate } from '../../src/compose/template-registry.ts';
import {
  CHECKLIST_REASON_CODES, EVIDENCE_PROBLEMS, GIT_UNRECORDED_CODES, RECOMMENDATION_CODES, RUN_WARNING_CODES, STATUS_REASON_CODES,
  type ChecklistReason, type GitUnrecorded, type Recommendation, type RunWarning, type StatusReason,
} from '../../src/model/reasons.ts';
import { checklistReasonText, statusReasonText } from '../../src/render/reason-text.ts';
import { markdownOf } from '../helpers/compose.ts';
import type { ChecklistItemResult } from '../../src/model/report.ts';
import { buildReport, finding, run } from '../helpers/report-builder.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WORDS = readFileSync(join(ROOT, 'templates/security-scan/1.0.0/_partials/words.njk'), 'utf8');
const schema = JSON.parse(readFileSync(join(ROOT, 'schemas/report.schema.json'), 'utf8')) as { $defs: Record<string, { oneOf: Array<{ properties: { code: { const: string } } }> }> };

/** The body of one macro of words.njk. */
function macro(name: string): string {
  const start = WORDS.indexOf(`{% macro ${name}(`);
  expect(start, `macro ${name}`).toBeGreaterThanOrEqual(0);
  return WORDS.slice(start, WORDS.indexOf('endmacro', start));
}

const Z = { critical: 0, high: 1, medium: 0, low: 0, info: 0, unknown: 0 };
const who = { status: 'pass' as const, by: 'Rev. Iewer', at: '2026-01-01' };
const count = { matched: 0, maxCount: 0, tools: ['bandit'] };

// One example of every code; `satisfies Record<…>` makes the compiler demand each one.
const STATUS = {
  'findings-blocking': { code: 'findings-blocking', args: { count: 1, bySeverity: Z } },
  'checklist-failed': { code: 'checklist-failed', args: { items: ['a'] } },
  'checklist-contradicted': { code: 'checklist-contradicted', args: { items: ['a', 'b'] } },
  'no-scans': { code: 'no-scans', args: {} },
  'findings-warning': { code: 'findings-warning', args: { count: 2, bySeverity: Z } },
  'findings-unknown-severity': { code: 'findings-unknown-severity', args: { count: 3 } },
  'checklist-pending': { code: 'checklist-pending', args: { items: ['p'] } },
  'checklist-stale': { code: 'checklist-stale', args: { items: ['s'] } },
  'checklist-partial': { code: 'checklist-partial', args: { items: ['q'] } },
  'checklist-expired': { code: 'checklist-expired', args: { items: ['e'] } },
  'waivers-expired': { code: 'waivers-expired', args: { waivers: ['W-1'] } },
  'runs-partial': { code: 'runs-partial', args: { runs: 1, notScanned: 15, tools: ['bandit'] } },
  'runs-stale': { code: 'runs-stale', args: { tools: ['bandit'], maxScanAgeDays: 30 } },
  validated: { code: 'validated', args: { runs: 1, findings: 4, waived: 1, suppressed: 1, openBelowThreshold: 2 } },
  'checklist-complete': { code: 'checklist-complete', args: { items: 3, pass: 2, notApplicable: 1 } },
} satisfies { [K in StatusReason['code']]: Extract<StatusReason, { code: K }> };

const WARNINGS = {
  'scan-undated': { code: 'scan-undated', args: {} },
  'scan-stale': { code: 'scan-stale', args: { ageDays: 49, maxScanAgeDays: 30 } },
  'scan-partial': { code: 'scan-partial', args: { notScanned: 15 } },
  'no-coverage-declared': { code: 'no-coverage-declared', args: {} },
} satisfies { [K in RunWarning['code']]: Extract<RunWarning, { code: K }> };

const CHECKLIST = {
  'rule-pass': { code: 'rule-pass', args: count },
  'rule-fail': { code: 'rule-fail', args: { ...count, matched: 3 } },
  'rule-pass-stale': { code: 'rule-pass-stale', args: { ...count, staleTools: ['bandit'], maxScanAgeDays: 30 } },
  'rule-pass-partial': { code: 'rule-pass-partial', args: { ...count, partialTools: ['bandit'], notScanned: 15 } },
  'rule-not-assessed': { code: 'rule-not-assessed', args: { tools: ['gitleaks'] } },
  'no-attestation': { code: 'no-attestation', args: {} },
  attested: { code: 'attested', args: { ...who, status: 'not-applicable' } },
  'attested-fail-over-rule': { code: 'attested-fail-over-rule', args: { ...who, status: 'fail', ...count } },
  'contradicted-by-rule': { code: 'contradicted-by-rule', args: { ...who, ...count, matched: 15 } },
  'contradicted-by-findings': { code: 'contradicted-by-findings', args: { ...who, count: 2, blockingSeverities: ['critical', 'high'] } },
  'evidence-not-accepted': { code: 'evidence-not-accepted', args: { ...who, file: 'evidence/x.txt', problem: 'outside' } },
  'attestation-expired': { code: 'attestation-expired', args: { ...who, expires: '2026-02-01' } },
  'attestation-stale': { code: 'attestation-stale', args: { ...who, ageDays: 200, maxEvidenceAgeDays: 180, staleSince: '2026-06-30' } },
} satisfies { [K in ChecklistReason['code']]: Extract<ChecklistReason, { code: K }> };

const RECOMMENDATIONS = {
  'upgrade-package': { code: 'upgrade-package', args: { package: 'requests', version: '2.31.0', target: '2.32.4', fixes: 2, unfixed: ['GHSA-x'] } },
  'mitigate-package': { code: 'mitigate-package', args: { package: 'torch', advisories: ['GHSA-887c-mr87-cxwp'] } },
  'fix-rule': { code: 'fix-rule', args: { tool: 'bandit', ruleId: 'B608', title: 'hardcoded_sql_expressions', severity: 'medium', count: 8, files: 3 } },
  'resolve-contradiction': { code: 'resolve-contradiction', args: { item: 'deps', title: 'Dependencies', findings: 15 } },
  'fix-item': { code: 'fix-item', args: { item: 'x', title: 'X' } },
  'reattest-stale': { code: 'reattest-stale', args: { item: 'tls', staleSince: '2025-07-15' } },
  'reattest-expired': { code: 'reattest-expired', args: { item: 'tls', expires: '2025-07-15' } },
  'reattest-evidence': { code: 'reattest-evidence', args: { item: 'backups', file: 'evidence/b.txt', problem: 'changed' } },
  'assess-item': { code: 'assess-item', args: { item: 'secrets', title: 'Secrets', tools: ['gitleaks'] } },
  'attest-item': { code: 'attest-item', args: { item: 'fw', title: 'Firewall' } },
  'renew-waiver': { code: 'renew-waiver', args: { waiver: 'W-1', expires: '2026-06-30', matched: 1 } },
  'remove-waiver': { code: 'remove-waiver', args: { waiver: 'W-2' } },
  'rerun-stale-scan': { code: 'rerun-stale-scan', args: { tool: 'bandit', ageDays: 542, maxScanAgeDays: 30 } },
  'rescan-skipped': { code: 'rescan-skipped', args: { tool: 'bandit', notScanned: 15 } },
} satisfies { [K in Recommendation['code']]: Extract<Recommendation, { code: K }> };

const GIT = {
  'no-source': { code: 'no-source', args: {} },
  'not-a-work-tree': { code: 'not-a-work-tree', args: { basis: 'working-directory' } },
  'remote-mismatch': { code: 'remote-mismatch', args: { repository: 'example/repo' } },
  'git-unavailable': { code: 'git-unavailable', args: {} },
  'not-collected': { code: 'not-collected', args: {} },
} satisfies { [K in GitUnrecorded['code']]: Extract<GitUnrecorded, { code: K }> };

const { templates } = loadTemplates([SHIPPED_TEMPLATES_DIR]);
const template = selectTemplate(templates, 'security-scan@1.0.0').template!;

function compose(parts: { reasons?: StatusReason[]; warnings?: RunWarning[]; items?: ChecklistItemResult[]; recommendations?: Recommendation[]; git?: GitUnrecorded }): string {
  const report = buildReport({
    runs: [run({ warnings: parts.warnings ?? [] })],
    findings: [finding({ ruleId: 'B311' })],
    status: { overall: 'CONDITIONAL', reasons: parts.reasons ?? [] },
    recommendations: parts.recommendations ?? [],
    ...(parts.items ? { checklist: { id: 'c', version: '1.0.0', items: parts.items } } : {}),
  });
  if (parts.git) report.metadata.gitUnrecorded = parts.git;
  const r = composeReport(report, template);
  expect(r.diagnostics).toEqual([]);
  return markdownOf(r);
}

describe('every typed code has words', () => {
  const cases: Array<[string, readonly string[], string]> = [
    ['statusReason', STATUS_REASON_CODES, 'r.code'],
    ['runWarning', RUN_WARNING_CODES, 'w.code'],
    ['checklistReason', CHECKLIST_REASON_CODES, 'r.code'],
    ['recommendation', RECOMMENDATION_CODES, 'r.code'],
    ['gitUnrecorded', GIT_UNRECORDED_CODES, 'u.code'],
    ['evidenceProblem', EVIDENCE_PROBLEMS, 'p'],
  ];
  for (const [name, codes, test] of cases) {
    it(`words.njk ${name}: one branch per code`, () => {
      const body = macro(name);
      for (const code of codes) expect(body, code).toContain(`${test} == '${code}'`);
      const branches = [...body.matchAll(new RegExp(`${test.replace('.', '\\.')} == '([a-z-]+)'`, 'g'))].map((m) => m[1]);
      expect([...branches].sort()).toEqual([...codes].sort());
    });
  }

  it('schemas/report.schema.json lists exactly the codes of the model', () => {
    const consts = (def: string) => schema.$defs[def]!.oneOf.map((o) => o.properties.code.const).sort();
    expect(consts('statusReason')).toEqual([...STATUS_REASON_CODES].sort());
    expect(consts('runWarning')).toEqual([...RUN_WARNING_CODES].sort());
    expect(consts('checklistReason')).toEqual([...CHECKLIST_REASON_CODES].sort());
    expect(consts('recommendation')).toEqual([...RECOMMENDATION_CODES].sort());
    expect(consts('gitUnrecorded')).toEqual([...GIT_UNRECORDED_CODES].sort());
    expect([...(schema.$defs.evidenceProblem as unknown as { enum: string[] }).enum].sort()).toEqual([...EVIDENCE_PROBLEMS].sort());
  });

  it('each status reason renders to its own sentence with its numbers (document and CI summary)', () => {
    const reasons = Object.values(STATUS) as StatusReason[];
    const md = compose({ reasons });
    const from = md.indexOf('## Executive summary');
    const lines = md.slice(from).split('\n').filter((l) => l.startsWith('- ')).slice(0, reasons.length);
    expect(lines).toHaveLength(reasons.length);
    expect(new Set(lines).size).toBe(reasons.length);
    reasons.forEach((reason, i) => {
      const line = lines[i]!;
      expect(line).not.toContain(`[${reason.code}]`);
      const text = statusReasonText(reason);
      for (const n of Object.values(reason.args).filter((v): v is number => typeof v === 'number')) {
        expect(line, reason.code).toContain(String(n));
        expect(text, reason.code).toContain(String(n));
      }
    });
    expect(md).toContain('- 1 open finding at a blocking severity (high 1).');
    expect(md).toContain('- 2 checklist items attested as passing are contradicted by scan evidence: a, b.');
  });

  it('each run warning, checklist reason, recommendation and git reason renders without a fallback', () => {
    const items: ChecklistItemResult[] = (Object.values(CHECKLIST) as ChecklistReason[]).map((reason, i) => ({
      id: `item-${i}`, title: `Item ${i}`, owasp: [], basis: 'attested', status: 'pending', reason, findings: [],
    }));
    const md = compose({ warnings: Object.values(WARNINGS) as RunWarning[], items, recommendations: Object.values(RECOMMENDATIONS) as Recommendation[] });
    for (const code of [...RUN_WARNING_CODES, ...CHECKLIST_REASON_CODES, ...RECOMMENDATION_CODES]) expect(md).not.toContain(`[${code}]`);
    expect(md).toContain('Stale: the scan is 49 days old, older than policy.maxScanAgeDays (30)');
    expect(md).toContain('Partial: 15 items not scanned');
    expect(md).toContain('0 open matching findings (allowed 0) from bandit, but only on scans older than 30 days (bandit): stale, not a pass');
    expect(md).toContain('not accepted: evidence file `evidence/x.txt` is outside the checklist state\'s folder (refused)');
    expect(md).toContain('Upgrade `requests` 2.31.0 → 2.32.4 (fixes 2 advisories; 1 advisory without a fixed version: GHSA-x).');
    expect(md).toContain('Re-run bandit: its scan is 542 days old (policy.maxScanAgeDays 30).');
    const gitLines = (Object.values(GIT) as GitUnrecorded[]).map((git) => compose({ git }).split('\n').find((l) => l.startsWith('- **Source commit:**'))!);
    for (const line of gitLines) expect(line).toMatch(/^- \*\*Source commit:\*\* not recorded/);
    expect(new Set(gitLines.slice(0, 4)).size).toBe(4);
  });

  it('each checklist reason has its own sentence in code (OSCAL) with its numbers, files and people', () => {
    const reasons = Object.values(CHECKLIST) as ChecklistReason[];
    const texts = reasons.map((r) => checklistReasonText(r));
    expect(new Set(texts).size).toBe(texts.length);
    reasons.forEach((r, i) => {
      const t = texts[i]!;
      expect(t, r.code).toMatch(/^[A-Z0-9].*\.$/);
      for (const v of Object.values(r.args)) if (typeof v === 'number' || (typeof v === 'string' && v !== 'not-applicable' && v !== 'pass' && v !== 'fail' && v !== 'outside')) expect(t, r.code).toContain(String(v));
    });
    expect(checklistReasonText(CHECKLIST['evidence-not-accepted'])).toContain("evidence file evidence/x.txt is outside the checklist state's folder (refused)");
    expect(checklistReasonText(CHECKLIST.attested)).toBe('Not applicable attested by Rev. Iewer on 2026-01-01.');
  });

  it('an unknown code (a newer model, an older template) is printed as its code, never dropped', () => {
    const md = compose({ reasons: [{ code: 'kev-listed', args: {} } as unknown as StatusReason] });
    expect(md).toContain('[kev-listed]');
  });
});

describe('no English in the model, no parsing it back', () => {
  const files = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  const source = (f: string) => readFileSync(join(ROOT, 'src', f), 'utf8');

  it('nothing in src/ parses a reason, warning or recommendation back from text', () => {
    const parseBack = /\.(?:reasons?|warnings?|recommendations?)\b[^;\n]*\.(?:startsWith|endsWith|replace|includes|match|test|indexOf)\(|\b(?:w|r|reason|warning)\.(?:startsWith|replace)\('/;
    const hits = files.flatMap((f) => source(f).split('\n').map((line, i) => ({ f, i: i + 1, line })).filter((x) => parseBack.test(x.line)));
    expect(hits).toEqual([]);
  });

  it('enrich has no plural helpers: its output holds no sentences', () => {
    const enrich = files.filter((f) => f.startsWith('enrich/'));
    expect(enrich.length).toBeGreaterThan(3);
    for (const f of enrich) expect(source(f), f).not.toMatch(/\bplural\b/);
  });

  it('every shipped template file, words macros included, prints values only through value filters', () => {
    const dirs = ['templates/security-scan/1.0.0', 'templates/scan-diff/1.0.0'];
    const files = dirs.flatMap((dir) => readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' }).filter((x) => x.endsWith('.njk')).map((f) => join(dir, f)));
    expect(files.filter((f) => f.endsWith('words.njk'))).toHaveLength(2);
    for (const f of files) expect(lintTemplate(readFileSync(join(ROOT, f), 'utf8'), f), f).toEqual([]);
  });
});
