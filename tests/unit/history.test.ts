import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SHIPPED_TEMPLATES_DIR, loadTemplates } from '../../src/bundle/templates-fs.ts';
import { buildHistory, orderReleases, type HistoryInput } from '../../src/diff/history.ts';
import { validateSchema } from '../../src/model/schema-validate.ts';
import { history } from '../../src/pipeline.ts';
import { planBuild, planHistory } from '../../src/plan.ts';
import { renderHtml } from '../../src/render/html/to-html.ts';
import { documentMarkdown } from '../../src/render/markdown.ts';
import { resolveSettings } from '../../src/settings/config.ts';
import { GOLDEN_ROOT, expectGolden, stableJson } from '../helpers/golden.ts';
import { realFixture } from '../helpers/real-fixtures.ts';

const { templates } = loadTemplates([SHIPPED_TEMPLATES_DIR]);
const P = new URL('../fixtures/history/pygoat/', import.meta.url);
/** The pygoat releases and their tag dates (the builds are dated to the release). */
const RELEASES: Array<[string, string]> = [['v1.0', '2021-05-03T21:18:40Z'], ['v1.1', '2021-05-06T16:04:52Z'], ['v1.2', '2021-05-25T04:59:45Z'], ['v2.0', '2022-09-01T13:48:43Z'], ['v2.0.1', '2023-07-26T15:44:42Z']];
const SLA = { critical: '7d', high: '30d', medium: '90d', low: '180d' } as const;

/** Build each release's report as `auditmark build --baseline <previous>` would. */
function pygoatReports(): HistoryInput[] {
  const out: HistoryInput[] = [];
  for (const [tag, date] of RELEASES) {
    const bytes = readFileSync(new URL(`bandit-${tag}.json`, P));
    const prev = out.at(-1);
    const r = planBuild({
      templates, now: new Date(date), auditmarkVersion: 'test', scans: [{ file: `pygoat/bandit-${tag}.json`, bytes }],
      overrides: { project: 'pygoat', version: tag, policy: { sla: SLA } },
      ...(prev ? { earlier: [{ report: prev.report, from: 'baseline' as const, file: prev.file, sha256: prev.sha256 }] } : {}),
    });
    if (!r.plan) throw new Error(JSON.stringify(r.diagnostics));
    const json = JSON.stringify(r.plan.report);
    out.push({ report: r.plan.report, file: `pygoat-${tag}/report.json`, sha256: createHash('sha256').update(json).digest('hex') });
  }
  return out;
}

describe('history of the pygoat releases v1.0–v2.0.1 (real Bandit scans)', () => {
  const inputs = pygoatReports();
  const settings = resolveSettings({ project: 'pygoat', repository: 'https://github.com/adeyosemanputra/pygoat', policy: { sla: SLA } });

  it('history.json and history.md (the trend chart in it) stay as reviewed, and history.json is valid', () => {
    const shuffled = [inputs[3]!, inputs[0]!, inputs[4]!, inputs[1]!, inputs[2]!];
    const r = planHistory(shuffled, templates, settings, new Date('2026-12-01T08:00:00Z'), 'test');
    expect(r.plan).toBeDefined();
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'history/reordered', level: 'info' })]);
    const h = r.plan!.history;
    expect(h.releases.map((x) => x.appVersion)).toEqual(['v1.0', 'v1.1', 'v1.2', 'v2.0', 'v2.0.1']);
    expect(validateSchema('history', h, 'history.json')).toEqual([]);
    const dir = join(GOLDEN_ROOT, 'history', 'pygoat');
    mkdirSync(dir, { recursive: true });
    expectGolden(join(dir, 'history.json'), stableJson(h));
    expectGolden(join(dir, 'history.md'), documentMarkdown(r.plan!.document));
  });

  it('draws the trend in the document: one stacked bar per release, every number also written out', () => {
    const r = planHistory(inputs, templates, settings, new Date('2026-12-01T08:00:00Z'), 'test');
    const h = r.plan!.history;
    const md = documentMarkdown(r.plan!.document);
    // Markdown states the chart's numbers as a sentence: each release's open count, then its severities.
    const last = h.releases.at(-1)!;
    const parts = (['critical', 'high', 'medium', 'low', 'info', 'unknown'] as const).filter((s) => last.openBySeverity[s] > 0).map((s) => `${s} ${last.openBySeverity[s]}`).join(', ');
    expect(md).toContain(`Open findings by severity per release: v1.0 ${h.releases[0]!.open} (`);
    expect(md).toContain(`v2.0.1 ${last.open} (${parts}).`);
    // HTML draws it as an inline SVG figure (no separate file), described in words for screen readers.
    const { html } = renderHtml(r.plan!.document, { interactive: true });
    const figure = html.slice(html.indexOf('<figure class="am-chart">'), html.indexOf('</figure>') + 9);
    expect(figure).toContain('<svg');
    expect(figure).toContain(`v2.0.1: ${last.open} (${parts})`);
    expect((figure.match(/<g>/g) ?? []).length).toBe(h.releases.length + 1);
    expect(figure).toContain('>high<');
  });

  it('counts new findings against the previous release and carries first-seen dates, so SLA breaches grow with age', () => {
    const h = buildHistory(orderReleases(inputs), { created: '2026-12-01T08:00:00.000Z', sla: { critical: 7, high: 30, medium: 90, low: 180 }, auditmarkVersion: 'test' });
    // v2.0 rewrote the shell call of views.py:312 (check_output → Popen): the diff's matcher never
    // pairs different code, so the old finding is fixed and the new one is new.
    expect(h.releases.map((r) => [r.total, r.new, r.fixed])).toEqual([[11, 11, 0], [11, 0, 0], [11, 0, 0], [30, 20, 1], [33, 3, 0]]);
    expect(h.releases[3]!.slaBreaches).toBeGreaterThan(0);
    expect(h.releases[4]!.slaBreaches).toBeGreaterThanOrEqual(h.releases[3]!.slaBreaches!);
  });
});

describe('history with a tool that stopped running, and fixes', () => {
  it('findings of a tool that did not run are not assessed, never fixed; fixes give a time to remediate', () => {
    const bandit = { file: 'bandit.json', bytes: readFileSync(realFixture('bandit', 'bandit-1.8.6-cwe-col-offset.json')) };
    const pip = { file: 'pip-audit.json', bytes: readFileSync(realFixture('pip-audit', 'pip-audit-new-15-vulns.json')) };
    const build = (scans: typeof bandit[], now: string) => planBuild({ templates, now: new Date(now), auditmarkVersion: 'test', scans }).plan!.report;
    const a = build([bandit, pip], '2026-01-01T00:00:00Z');
    const b = build([bandit], '2026-02-01T00:00:00Z');
    // A third release where pip-audit runs again on a fixed lockfile: its findings are fixed now.
    const fixedPip = JSON.parse(pip.bytes.toString('utf8'));
    for (const d of fixedPip.dependencies) d.vulns = [];
    const c = build([bandit, { file: 'pip-audit.json', bytes: Buffer.from(JSON.stringify(fixedPip)) }], '2026-03-01T00:00:00Z');
    const h = buildHistory([a, b, c].map((report, i) => ({ report, file: `r${i}.json`, sha256: String(i).repeat(64) })), { created: '2026-03-02T00:00:00.000Z', sla: {}, auditmarkVersion: 'test' });
    expect(h.releases[1]).toMatchObject({ toolsNotRun: ['pip-audit'], notAssessed: 15, fixed: 0 });
    // Release 3 compares with release 2, where pip-audit did not run: nothing of it can be fixed there.
    expect(h.releases[2]).toMatchObject({ toolsNotRun: [], fixed: 0 });
    const ac = buildHistory([a, c].map((report, i) => ({ report, file: `r${i}.json`, sha256: String(i).repeat(64) })), { created: '2026-03-02T00:00:00.000Z', sla: {}, auditmarkVersion: 'test' });
    expect(ac.releases[1]).toMatchObject({ fixed: 15, meanTimeToRemediateDays: 59 });
    expect(ac.summary).toMatchObject({ fixedTotal: 15, meanTimeToRemediateDays: 59 });
    // No policy.sla and no deadline in the reports: breaches are unknown, not zero.
    expect(ac.releases[0]!.slaBreaches).toBeNull();
  });
});

describe('auditmark history (pipeline)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'am-history-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes history.md, history.json and a manifest from build directories, HTML with the chart inside; refuses scanner output', async () => {
    const inputs = pygoatReports().slice(0, 4);
    const dirs = inputs.map((x, i) => {
      const d = join(dir, `r${i}`);
      mkdirSync(d);
      writeFileSync(join(d, 'report.json'), JSON.stringify(x.report, null, 2) + '\n');
      return d;
    });
    const out = join(dir, 'out');
    const r = await history({ inputs: dirs, out, now: new Date('2026-12-01T08:00:00Z'), env: {} });
    expect(r.exitCode).toBe(0);
    expect(r.files.map((f) => f.name).sort()).toEqual(['history.json', 'history.md', 'manifest.json']);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.kind).toBe('history');
    expect(manifest.inputs.filter((i: { kind: string }) => i.kind === 'history-report')).toHaveLength(4);
    const again = await history({ inputs: dirs, out: join(dir, 'out2'), formats: ['md', 'html', 'json'], now: new Date('2026-12-01T08:00:00Z'), env: {} });
    expect(readFileSync(join(dir, 'out2', 'history.json'))).toEqual(readFileSync(join(out, 'history.json')));
    expect(readFileSync(join(dir, 'out2', 'history.md'))).toEqual(readFileSync(join(out, 'history.md')));
    expect(again.exitCode).toBe(0);
    expect(again.files.map((f) => f.name).sort()).toEqual(['history.html', 'history.json', 'history.md', 'manifest.json']);
    expect(readFileSync(join(dir, 'out2', 'history.html'), 'utf8')).toMatch(/<figure class="am-chart"><figcaption>Open findings by severity per release<\/figcaption><svg/);
    const bad = await history({ inputs: [realFixture('bandit', 'bandit-1.8.6-cwe-col-offset.json')], out: join(dir, 'bad'), env: {} });
    expect(bad.exitCode).toBe(2);
    expect(bad.diagnostics).toContainEqual(expect.objectContaining({ code: 'history/not-a-report' }));
  });
});
