import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Root, Table } from 'mdast';
import { toString } from 'mdast-util-to-string';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { loadTemplates, SHIPPED_TEMPLATES_DIR } from '../../src/bundle/templates-fs.ts';
import { composeReport } from '../../src/compose/documents.ts';
import { markdownOf } from '../helpers/compose.ts';
import { readFrontmatter } from '../../src/settings/frontmatter.ts';
import { selectTemplate, templateKey } from '../../src/compose/template-registry.ts';
import { resolveSettings } from '../../src/settings/config.ts';
import { parseChecklistDefinition } from '../../src/settings/checklist.ts';
import { enrich } from '../../src/enrich/enrich.ts';
import { ingest } from '../../src/ingest/ingest.ts';
import { SEVERITIES } from '../../src/model/severity.ts';
import { realFixture } from '../helpers/real-fixtures.ts';

const FILES = ['bandit/bandit-1.8.x-errors-15-syntax.json', 'bandit/bandit-2020-many-vulns-windows-paths.json', 'pip-audit/pip-audit-new-15-vulns.json'];

describe('real scanner outputs through ingest, enrich and compose', () => {
  const raw = FILES.map((f) => ({ file: f, bytes: new Uint8Array(readFileSync(realFixture(f.split('/')[0]!, f.split('/')[1]!))) }));
  const ingested = ingest(raw);
  const { templates } = loadTemplates([SHIPPED_TEMPLATES_DIR]);
  const template = selectTemplate(templates, 'security-scan@^1').template!;
  const definition = parseChecklistDefinition(template.files['checklist.yaml']!, `${template.dir}/checklist.yaml`);
  const { report } = enrich({
    runs: ingested.runs,
    settings: resolveSettings({ project: 'real-inputs', license: 'MIT', copyright: { holder: 'Example', years: '2026' } }),
    now: new Date('2026-01-15T00:00:00Z'),
    inputs: raw.map((r) => ({ path: r.file, kind: 'scan' as const, sha256: createHash('sha256').update(r.bytes).digest('hex') })),
    template: { id: template.id, version: template.version },
    auditmarkVersion: '0.1.0',
    ...(definition.ok ? { checklist: { definition: definition.value } } : {}),
  });
  const composed = composeReport(report, template);
      const markdown = markdownOf(composed);
      const diagnostics = composed.diagnostics;
  if (process.env.DUMP_COMPOSE) writeFileSync(process.env.DUMP_COMPOSE, markdown);
  const tree = unified().use(remarkParse).use(remarkGfm).parse(readFrontmatter(markdown).content) as Root;

  it('ingests all files and composes without diagnostics', () => {
    expect(ingested.diagnostics.filter((d) => d.level === 'error')).toEqual([]);
    expect(ingested.runs).toHaveLength(3);
    expect(definition.ok).toBe(true);
    expect(report.checklist?.items.length).toBeGreaterThan(0);
    expect(diagnostics).toEqual([]);
  });

  it('the frontmatter names the template and hashes every input', () => {
    const { data } = readFrontmatter(markdown);
    expect(data.template).toEqual({ id: 'security-scan', version: '1.0.0' });
    expect(`${(data.template as { id: string }).id}@${(data.template as { version: string }).version}`).toBe(templateKey(template));
    expect((data.inputs as Array<{ sha256: string }>).map((i) => i.sha256)).toEqual(raw.map((r) => createHash('sha256').update(r.bytes).digest('hex')));
  });

  it('findings index counts add up to the number of findings in the inputs', () => {
    const total = ingested.runs.reduce((n, r) => n + r.findings.length, 0);
    expect(total).toBeGreaterThan(20);
    const i = tree.children.findIndex((n) => n.type === 'heading' && toString(n) === 'Findings');
    const table = tree.children.slice(i).find((n) => n.type === 'table') as Table;
    const counts = table.children.slice(1).map((r) => Number(toString(r.children[6]!)));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(total);
  });

  it('each run section shows that run\u2019s per-severity counts from the input', () => {
    ingested.runs.forEach((run, k) => {
      const h = tree.children.findIndex((n) => n.type === 'heading' && n.depth === 3 && toString(n).startsWith(`Run ${k + 1}:`));
      expect(h).toBeGreaterThan(-1);
      const tables = tree.children.slice(h).filter((n): n is Table => n.type === 'table');
      const sev = tables[1]!.children[1]!.children.map((c) => Number(toString(c)));
      expect(sev).toEqual(SEVERITIES.map((s) => run.findings.filter((f) => f.severity === s).length));
    });
  });

  it('every dependency finding appears with its installed and fixed versions', () => {
    const deps = ingested.runs.flatMap((r) => r.findings).filter((f) => f.package);
    const i = tree.children.findIndex((n) => n.type === 'heading' && toString(n) === 'Dependency findings');
    const table = tree.children.slice(i).find((n) => n.type === 'table') as Table;
    const rows = table.children.slice(1).map((r) => r.children.map((c) => toString(c)));
    expect(rows).toHaveLength(deps.length);
    for (const d of deps) {
      expect(rows.some((r) => r[0] === d.package!.name && r[1] === (d.package!.version ?? 'unknown') && r[3] === d.ruleId
        && r[2] === (d.package!.fixedVersions.length ? d.package!.fixedVersions.join(', ') : 'no fix known'))).toBe(true);
    }
  });
});
