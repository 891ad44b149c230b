/**
 * The exported SARIF through Microsoft's SARIF Multitool 5.7.0 (`validate --rule-kind "Sarif;Gh"`),
 * the validator behind GitHub's own SARIF guidance: 0 errors and 0 warnings on the example, so code
 * scanning takes the upload without complaint. The npm package ships a self-contained Linux
 * binary: it needs no install script (its postinstall only sets the exec bit, which the tarball
 * already carries), no .NET runtime and no network; it is run here in a network namespace of its
 * own when the machine allows one (`unshare -n`), so a hidden download would fail the test.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline.ts';
import { ruleHelp, ruleHelpFacts, ruleHelpTree } from '../../src/render/sarif-help.ts';
import type { ReportFinding } from '../../src/model/report.ts';

/** The text content of an mdast node. */
const toString = (n: unknown): string => {
  const x = n as { value?: string; children?: unknown[] };
  return typeof x.value === 'string' ? x.value : (x.children ?? []).map(toString).join('');
};

const MULTITOOL: string = createRequire(import.meta.url)('@microsoft/sarif-multitool-linux');
const offline = spawnSync('unshare', ['-n', 'true']).status === 0;

interface Problem { ruleId: string; level: string; message: string }

/** Validate one file; every result of the validator's own SARIF log is a problem. */
function validate(file: string, work: string): Problem[] {
  const out = join(work, `validation-${Math.random().toString(16).slice(2)}.sarif`);
  const args = ['validate', '--rule-kind', 'Sarif;Gh', '--output', out, file];
  const [cmd, argv] = offline ? ['unshare', ['-n', MULTITOOL, ...args]] : [MULTITOOL, args];
  execFileSync(cmd, argv as string[], { env: { PATH: '/usr/bin:/bin', HOME: work, DOTNET_CLI_TELEMETRY_OPTOUT: '1' }, stdio: 'pipe', timeout: 120_000 });
  const log = JSON.parse(readFileSync(out, 'utf8')) as { runs: Array<{ results?: Array<{ ruleId: string; level?: string; message: { text?: string; id?: string } }> }> };
  return log.runs.flatMap((r) => r.results ?? []).map((r) => ({ ruleId: r.ruleId, level: r.level ?? 'warning', message: r.message.text ?? r.message.id ?? '' }));
}

describe('SARIF Multitool 5.7.0 on the exported SARIF', () => {
  let work: string;
  let sarif: string;
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'auditmark-multitool-'));
    const examples = new URL('../../examples/', import.meta.url).pathname;
    const r = await build({
      scans: [join(examples, 'scans/bandit.json'), join(examples, 'scans/pip-audit.json')],
      checklist: join(examples, 'checklist-state.yaml'), config: join(examples, 'auditmark.config.yaml'),
      formats: ['json', 'sarif'], out: join(work, 'out'), env: { SOURCE_DATE_EPOCH: '1767225600' },
    });
    expect(r.exitCode).toBe(0);
    sarif = join(work, 'out', 'report.sarif');
  }, 120_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('the binary is installed executable, without an install script', () => {
    expect(() => accessSync(MULTITOOL, constants.X_OK)).not.toThrow();
  });

  it('reports 0 errors and 0 warnings on the example\'s report.sarif', () => {
    expect(validate(sarif, work)).toEqual([]);
  }, 120_000);

  it('still catches what GitHub rejects: a rule without help, a run without a tool version', () => {
    const doc = JSON.parse(readFileSync(sarif, 'utf8'));
    delete doc.runs[0].tool.driver.rules[0].help;
    delete doc.runs[1].tool.driver.version;
    const bad = join(work, 'bad.sarif');
    writeFileSync(bad, JSON.stringify(doc));
    const problems = validate(bad, work);
    expect(problems.map((p) => `${p.level} ${p.ruleId}`).sort()).toEqual(['error GH2012', 'warning SARIF2005']);
  }, 120_000);

  it('every rule has help (text and markdown), and every run its tool version', () => {
    const doc = JSON.parse(readFileSync(sarif, 'utf8')) as { runs: Array<{ tool: { driver: { name: string; version?: string; rules: Array<{ help?: { text: string; markdown: string } }> } } }> };
    expect(doc.runs.map((r) => [r.tool.driver.name, r.tool.driver.version])).toEqual([['bandit', '1.8.3'], ['pip-audit', '2.9.0']]);
    for (const r of doc.runs) for (const rule of r.tool.driver.rules) expect(rule.help?.text && rule.help.markdown).toBeTruthy();
  });
});

describe('rule help is built from escaped data', () => {
  const hostile = '# Owned\n\n<script>alert(1)</script> [click](javascript:alert(1)) | a | b |\n~~gone~~ ![x](http://evil/x.png) `tick` *em*';
  const finding = {
    fingerprint: 'v1:x', tool: 'pip-audit', kind: 'dependency', ruleId: 'GHSA-xxxx', title: 'GHSA-xxxx in evil](x) 1.0', message: hostile, severity: 'high',
    cwe: ['CWE-79'], aliases: ['CVE-2024-0001'], references: ['https://example.org/a)b', 'javascript:alert(1)', 'file:///etc/passwd'],
    package: { ecosystem: 'pypi', name: 'evil](http://x)', version: '1.0', fixedVersions: ['1.1`x'] }, pointer: '/0', owasp: [], status: 'open', run: 0,
  } as unknown as ReportFinding;
  const facts = ruleHelpFacts('GHSA-xxxx', [finding]);
  const help = ruleHelp(facts);
  // Parsed as GitHub does: CommonMark plus GFM (tables, strikethrough, autolinks).
  const parsed = unified().use(remarkParse).use(remarkGfm).parse(help.markdown);

  it('the advisory text parses back as one paragraph of exactly that text: no heading, HTML, image, table or strikethrough', () => {
    const first = parsed.children[0]!;
    expect(first.type).toBe('paragraph');
    expect(toString(first)).toBe(hostile);
    const types = new Set<string>();
    const walk = (n: { type: string; children?: unknown[] }) => {
      types.add(n.type);
      for (const c of (n.children ?? []) as Array<{ type: string; children?: unknown[] }>) walk(c);
    };
    walk(parsed);
    for (const t of ['html', 'image', 'table', 'delete', 'emphasis']) expect(types.has(t), t).toBe(false);
    // Only the headings and links the builder made: the advisory's own `# Owned` is text.
    expect(parsed.children.filter((c) => c.type === 'heading').map((h) => toString(h))).toEqual(['Remediation', 'Classification', 'References']);
  });

  it('links come only from http(s) references and CWE ids, with the URL as given', () => {
    const links: string[] = [];
    const walk = (n: { type: string; url?: string; children?: unknown[] }) => {
      if (n.type === 'link') links.push(n.url!);
      for (const c of (n.children ?? []) as Array<{ type: string; url?: string; children?: unknown[] }>) walk(c);
    };
    walk(parsed);
    expect(links).toEqual(['https://cwe.mitre.org/data/definitions/79.html', 'https://example.org/a)b']);
  });

  it('the package name and fix version stay inline code, and the tree serialises the same way twice', () => {
    expect(toString(parsed.children[2]!)).toBe('Upgrade evil](http://x) 1.0 to 1.1`x');
    expect(ruleHelp(facts)).toEqual(help);
    expect(ruleHelpTree(facts)).toEqual(ruleHelpTree(facts));
    expect(help.text.startsWith(hostile)).toBe(true);
  });
});
