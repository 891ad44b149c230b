/**
 * Every claim in the record is true, checked the way an auditor would, on the real example
 * inputs through the CLI entry: the commit is the scanned sources' or "not recorded", a dirty
 * tree is recorded as dirty, N/A / stale / partial never count as a pass in any output, automatic
 * rules are shown in full with what they counted, attestation evidence appears in md, html and
 * pdf (extracted PDF text), and a diff bundle's manifest lists both inputs with their hashes.
 * One build prints a PDF (one browser launch); the others ask for md,html,json.
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFrontmatter } from '../../src/settings/frontmatter.ts';
import type { Report } from '../../src/model/report.ts';
import { parseMarkdown, sectionTables } from '../cli/report-markdown.ts';
import { REPO_ROOT, runCli, tempDir, type CliRun } from '../cli/run-cli.ts';
import { git, gitRepo } from '../helpers/git-repo.ts';
import { inspectPdf } from '../helpers/pdf-inspect.ts';

const ENV = { SOURCE_DATE_EPOCH: '1798675200' }; // 2026-12-31T00:00:00Z
const EXAMPLE = ['--config', 'examples/auditmark.config.yaml', '--scan', 'examples/scans/bandit.json', '--scan', 'examples/scans/pip-audit.json', '--checklist', 'examples/checklist-state.yaml'];
const REPOSITORY = 'https://github.com/Louranicas/claude-optimized-deployment';
// Age of the example Bandit scan at the build, computed from the raw file's own timestamp.
const banditAge = Math.floor((Number(ENV.SOURCE_DATE_EPOCH) * 1000 - Date.parse(`${(JSON.parse(readFileSync(join(REPO_ROOT, 'examples/scans/bandit.json'), 'utf8')) as { generated_at: string }).generated_at}`)) / 86_400_000);
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
const readJson = <T,>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
/** The HTML as a reader sees it: tags dropped, the entities that matter decoded, whitespace collapsed. */
const htmlText = (html: string) => html.replace(/<\/?(?:code|strong|em|a|span|wbr)\b[^>]*>/g, '').replace(/<[^>]*>/g, ' ').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#x27;|&#39;/g, "'").replace(/\s+/g, ' ');
/** Markdown as a reader sees it: code spans as their text, escaped backticks as backticks, autolinks as their URL. */
const mdText = (md: string) => md.replace(/(?<!\\)`/g, '').replace(/\\`/g, '`').replace(/\[(https:[^\]]+)\]\(\1\)/g, '$1');
/** Every output file of a bundle as text (the PDF's bytes too: a commit id would be ASCII there). */
const bundleText = (dir: string) => readdirSync(dir).map((f) => readFileSync(join(dir, f)).toString('latin1')).join('\n');

const work = tempDir('auditmark-e2e-claims-');
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('provenance: only a commit of the scanned sources', () => {
  it('a build run from inside an unrelated git repository, whose files include the scans, does not claim its commit', async () => {
    // The scan files live in (and the build runs from) a repository that is not the project:
    // e.g. a reports folder in another repository, or auditmark's own checkout.
    const unrelated = gitRepo({ 'README.md': 'reports\n' }, 'https://github.com/auditmark/reports.git');
    cpSync(join(REPO_ROOT, 'examples'), join(unrelated.dir, 'examples'), { recursive: true });
    git(unrelated.dir, 'add', '-A');
    git(unrelated.dir, 'commit', '-q', '-m', 'add scans');
    const head = git(unrelated.dir, 'rev-parse', 'HEAD');
    const out = join(work, 'unrelated');
    const run = await runCli(['build', ...EXAMPLE, '--format', 'md,html,json', '--out', out], ENV, false, unrelated.dir);
    expect(run.exit, run.stderr).toBe(0);
    const report = readJson<Report>(join(out, 'report.json'));
    expect(report.metadata.git).toBeUndefined();
    expect(report.metadata.gitUnrecorded).toEqual({ code: 'remote-mismatch', args: { repository: REPOSITORY } });
    expect(bundleText(out)).not.toContain(head);
    expect(bundleText(out)).not.toContain(head.slice(0, 12));
    const { data, content } = readFrontmatter(readFileSync(join(out, 'report.md'), 'utf8'));
    expect(data.git).toEqual({ recorded: false, reason: 'remote-mismatch' });
    expect(content).toMatch(/\*\*Source commit:\*\* not recorded: no remote of the working directory is the configured repository/);
  });

  it('the example build from auditmark\'s own checkout does not claim auditmark\'s commit', async () => {
    const out = join(work, 'own-checkout');
    const run = await runCli(['build', ...EXAMPLE, '--format', 'md,json', '--out', out], ENV);
    expect(run.exit, run.stderr).toBe(0);
    const head = git(REPO_ROOT, 'rev-parse', 'HEAD');
    expect(readJson<Report>(join(out, 'report.json')).metadata.git).toBeUndefined();
    expect(bundleText(out)).not.toContain(head);
  });

  it('a dirty work tree named by --source is recorded as dirty, with the changed files, in json, frontmatter, md and html', async () => {
    const project = gitRepo({ 'src/app.py': 'import os\n', 'src/db.py': 'x = 1\n', 'README.md': 'project\n' }, `${REPOSITORY}.git`);
    writeFileSync(join(project.dir, 'src', 'app.py'), 'import os, subprocess\n');
    writeFileSync(join(project.dir, 'src', 'db.py'), 'x = 2\n');
    git(project.dir, 'add', 'src/db.py');
    const out = join(work, 'dirty');
    const run = await runCli(['build', ...EXAMPLE, '--source', project.dir, '--format', 'md,html,json', '--out', out], ENV);
    expect(run.exit, run.stderr).toBe(0);
    const report = readJson<Report>(join(out, 'report.json'));
    expect(report.metadata.git).toMatchObject({ commit: project.head, basis: 'source-option', dirty: true, changed: { count: 2, paths: ['src/app.py', 'src/db.py'] } });
    const { data, content } = readFrontmatter(readFileSync(join(out, 'report.md'), 'utf8'));
    expect(data.git).toMatchObject({ recorded: true, commit: project.head, dirty: true, changed_files: 2, changed_paths: ['src/app.py', 'src/db.py'] });
    const lines = content.split('\n');
    const header = lines.find((l) => l.startsWith('- **Source commit:**'))!;
    expect(header).toContain(project.head);
    expect(header).toContain('from the source work tree');
    // The cover says the tree was dirty, how many files and which (the appendix lists them all).
    const tree = mdText(lines.find((l) => l.startsWith('- **Work tree:**'))!);
    expect(tree).toBe('- **Work tree:** DIRTY: uncommitted changes to 2 tracked files (src/app.py, src/db.py), so the scanned sources are not exactly this commit');
    const html = htmlText(readFileSync(join(out, 'report.html'), 'utf8'));
    expect(html).toContain(project.head);
    expect(html).toContain('DIRTY: uncommitted changes to 2 tracked files (src/app.py, src/db.py)');
    expect(html).toContain(`Tracked files that differed from commit ${project.head} when the report was built (2 in all)`);
    // The same tree committed is clean.
    git(project.dir, 'commit', '-q', '-am', 'wip');
    const clean = join(work, 'clean');
    expect((await runCli(['build', ...EXAMPLE, '--source', project.dir, '--format', 'json', '--out', clean], ENV)).exit).toBe(0);
    expect(readJson<Report>(join(clean, 'report.json')).metadata.git).toMatchObject({ commit: git(project.dir, 'rev-parse', 'HEAD'), dirty: false, changed: { count: 0, paths: [] } });
  });

  it('the working directory counts when its remote is the configured repository; --source contradicting it stops the build', async () => {
    const project = gitRepo({ 'a.py': '1\n' }, `git@github.com:Louranicas/claude-optimized-deployment.git`);
    cpSync(join(REPO_ROOT, 'examples'), join(project.dir, 'examples'), { recursive: true });
    const out = join(work, 'cwd-remote');
    const run = await runCli(['build', ...EXAMPLE, '--format', 'json', '--out', out], ENV, false, project.dir);
    expect(run.exit, run.stderr).toBe(0);
    // examples/ is untracked here: untracked files do not make the tree dirty.
    expect(readJson<Report>(join(out, 'report.json')).metadata.git).toMatchObject({ commit: project.head, basis: 'repository-remote', dirty: false });
    const other = gitRepo({ 'b.py': '1\n' }, 'https://github.com/auditmark/reports.git');
    const refused = await runCli(['build', ...EXAMPLE, '--source', other.dir, '--format', 'json', '--out', join(work, 'refused')], ENV);
    expect(refused.exit).toBe(2);
    expect(refused.stderr).toContain('input/source-remote-mismatch');
  });
});

describe('statuses that need evidence, in every output of the example build (md, html, pdf, json, sarif)', () => {
  const out = join(work, 'full');
  const summary = join(work, 'summary.md');
  let run: CliRun;
  let report: Report;
  let md: string;
  let html: string;
  let pdf: string;
  beforeAll(async () => {
    run = await runCli(['build', ...EXAMPLE, '--format', 'md,html,pdf,json,sarif', '--summary', summary, '--out', out], ENV);
    report = readJson<Report>(join(out, 'report.json'));
    md = readFrontmatter(readFileSync(join(out, 'report.md'), 'utf8')).content;
    html = htmlText(readFileSync(join(out, 'report.html'), 'utf8'));
    pdf = (await inspectPdf(readFileSync(join(out, 'report.pdf')))).pages.map((p) => p.text).join(' ');
  }, 300_000);
  const item = (id: string) => report.checklist!.items.find((i) => i.id === id)!;
  const itemRow = (id: string) => sectionTables(parseMarkdown(md), 'Checklist')[0]!.rows.find((r) => r[0] === id)!;

  it('builds', () => expect(run.exit, run.stderr).toBe(0));

  it('N/A is its own status, never pass: json, md, html, pdf', () => {
    expect(item('smtp-configured')).toMatchObject({ status: 'not-applicable', basis: 'attested' });
    expect(itemRow('smtp-configured')[2]).toBe('N/A');
    const passCount = report.checklist!.items.filter((i) => i.status === 'pass').length;
    const naCount = report.checklist!.items.filter((i) => i.status === 'not-applicable').length;
    expect(naCount).toBe(1);
    // The checklist status chart counts them apart, each its own bar, in every rendering: a
    // sentence in Markdown, the figure's description and bar labels in HTML and PDF.
    expect(md).toContain(`Checklist items by status: PASS ${passCount}, N/A ${naCount}, FAIL`);
    expect(html).toContain(`PASS: ${passCount}; N/A: ${naCount}; FAIL:`);
    expect(pdf).toContain(`Checklist items by status PASS ${passCount} N/A ${naCount} FAIL`);
    const htmlRow = readFileSync(join(out, 'report.html'), 'utf8').split('<tr').find((r) => r.includes('>smtp-configured<'))!;
    expect(htmlRow).toContain('>N/A<');
    expect(htmlRow).not.toContain('>PASS<');
  });

  it('stale and partial evidence never gives PASS: checklist items and OWASP rows in json and md', () => {
    // bandit.json is over a year old and skipped 15 files; pip-audit skipped 5 packages and has no time.
    expect(report.runs.map((r) => [r.tool, r.freshness, r.notScanned.length])).toEqual([['bandit', 'stale', 15], ['pip-audit', 'undated', 5]]);
    const automatic = report.checklist!.items.filter((i) => i.basis === 'automatic');
    expect(automatic.filter((i) => i.status === 'pass')).toEqual([]);
    for (const id of ['debug-disabled', 'xss-protection', 'no-insecure-deserialization', 'no-insecure-random']) {
      expect(item(id).status, id).toBe('stale');
      expect(itemRow(id)[2], id).toBe('stale');
    }
    for (const row of report.owasp.rows) {
      if (row.coverage === 'stale' || row.coverage === 'partial') expect(row.status, row.id).not.toBe('PASS');
      if (row.status === 'PASS') expect(['scanned', 'attested'], row.id).toContain(row.coverage);
    }
    const a08 = report.owasp.rows.find((r) => r.id === 'A08:2021')!;
    expect(a08).toMatchObject({ status: 'WARN', coverage: 'stale' });
    const owaspRow = sectionTables(parseMarkdown(md), 'OWASP Top 10:2021', 3)[0]!.rows.find((r) => r[0] === 'A08:2021')!;
    expect(owaspRow.slice(2, 4)).toEqual(['WARN', 'stale']);
    expect(owaspRow[6]).toContain(`bandit (stale: ${banditAge} days old, partial: 15 items not scanned)`);
    expect(readFileSync(summary, 'utf8')).toContain('Stale (old attestation or old scan): 5 checklist items: debug-disabled, xss-protection, no-insecure-deserialization, no-insecure-random, tls-certificate.');
  });

  it('a category covered only by an attestation is shown as attested, with who and when', () => {
    const a05 = report.owasp.rows.find((r) => r.id === 'A05:2021')!;
    expect(a05).toMatchObject({ status: 'PASS', coverage: 'attested', attestations: [{ item: 'env-file-not-committed', status: 'pass', by: 'A. Maintainer <maintainer@example.org>', at: '2026-10-20' }] });
    const row = sectionTables(parseMarkdown(md), 'OWASP Top 10:2021', 3)[0]!.rows.find((r) => r[0] === 'A05:2021')!;
    expect(row.slice(2, 4)).toEqual(['PASS', 'attested']);
    expect(row[6]).toBe('env-file-not-committed attested pass by A. Maintainer <maintainer@example.org> on 2026-10-20');
  });

  it('SARIF carries findings only, none of them claimed as a pass', () => {
    const sarif = readJson<{ runs: Array<{ results: Array<{ kind?: string }> }> }>(join(out, 'report.sarif'));
    const results = sarif.runs.flatMap((r) => r.results);
    expect(results).toHaveLength(report.findings.length);
    expect(results.filter((r) => r.kind !== undefined && r.kind !== 'fail')).toEqual([]);
  });

  it('every automatic rule is shown in full with what it counted, also the open findings its threshold left out (B311)', () => {
    const random = item('no-insecure-random');
    expect(random.rule).toEqual({ tools: ['bandit', 'semgrep'], cwe: ['CWE-330', 'CWE-338'], severityAtLeast: 'medium', maxCount: 0 });
    const b311 = report.findings.filter((f) => f.ruleId === 'B311' && f.status === 'open').map((f) => f.fingerprint).sort();
    expect(b311).toHaveLength(2);
    expect([...random.evaluation!.belowThreshold].sort()).toEqual(b311);
    const tree = parseMarkdown(md);
    const rules = sectionTables(tree, 'Automatic rules', 3)[0]!;
    expect(rules.header).toEqual(['Item', 'Rule', 'Counted runs', 'Counted', 'Status']);
    const withRule = report.checklist!.items.filter((i) => i.rule);
    expect(rules.rows.map((r) => r[0])).toEqual(withRule.map((i) => i.id));
    const row = rules.rows.find((r) => r[0] === 'no-insecure-random')!;
    expect(row[1]).toBe('tools: bandit, semgrep; CWE: CWE-330, CWE-338; severity at least medium (unknown counts); at most 0 open findings');
    expect(row[2]).toBe(`bandit (stale: ${banditAge} days old, partial: 15 items not scanned)`);
    expect(row[3]).toBe('0 of at most 0; 2 more open below the severity threshold');
    const below = sectionTables(tree, 'no-insecure-random: findings behind its status', 4)[0]!;
    expect(below.rows.map((r) => r[6]).sort()).toEqual(b311);
    expect(below.rows.every((r) => r[2] === 'B311')).toBe(true);
    expect(mdText(md)).toContain('Open but below the rule\'s threshold (severity at least medium), so not counted: 2 findings (bandit B311, low: 2).');
    // Items that counted findings tally all of them by rule and list them (the first 25).
    const byId = new Map(report.findings.map((f) => [f.fingerprint, f]));
    for (const i of withRule.filter((x) => x.findings.length > 0)) {
      const t = sectionTables(tree, `${i.id}: findings behind its status`, 4)[0]!;
      expect(t.rows.map((r) => r[6]), i.id).toEqual(i.findings.slice(0, 25));
      const tally = new Map<string, number>();
      for (const fp of i.findings) tally.set(`${byId.get(fp)!.tool} ${byId.get(fp)!.ruleId}`, (tally.get(`${byId.get(fp)!.tool} ${byId.get(fp)!.ruleId}`) ?? 0) + 1);
      const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      for (const [rule, n] of tally) expect(mdText(md), `${i.id}: ${rule}`).toMatch(new RegExp(`${escape(rule)}, [a-z]+: ${n}\\b`));
      if (i.findings.length > 25) expect(md).toContain(`: ${i.findings.length} findings (`);
    }
    // PDF text breaks table cells inside words; compare without whitespace there.
    const squash = (t: string) => t.replace(/\s+/g, '');
    for (const [name, text] of [['html', html], ['pdf', squash(pdf)]] as const) {
      const want = (t: string) => (name === 'pdf' ? squash(t) : t);
      expect(text, name).toContain(want('tools: bandit, semgrep; CWE: CWE-330, CWE-338; severity at least medium (unknown counts); at most 0 open findings'));
      expect(text, name).toContain(want('2 more open below the severity threshold'));
    }
  });

  it('attestation evidence is shown in md, html and pdf: statement, link, file with sha256 and whether it matches, expiry, note', () => {
    const backup = item('backup-automation').attestation!;
    const fileSha = sha256(readFileSync(join(REPO_ROOT, 'examples/evidence/backup-restore-test.txt')));
    expect(backup.evidence).toEqual([{ file: 'evidence/backup-restore-test.txt', sha256: fileSha, check: { state: 'matches', sha256: fileSha } }]);
    const expected = [
      'pass attested by ops-team on 2026-10-21, expires 2027-04-21',
      `file evidence/backup-restore-test.txt, recorded sha256 ${fileSha}: matches the file now`,
      'link: https://example.org/change/CHG-1042',
      'statement: `git ls-files .env` prints nothing; .gitignore lists .env',
      'Note: The service sends no e-mail.',
      'not applicable attested by ops-team on 2026-10-21, no expiry',
    ];
    const shown = mdText(md);
    // PDF text breaks long tokens across lines; compare without whitespace there.
    const squash = (s: string) => s.replace(/\s+/g, '');
    for (const e of expected) {
      expect(shown, `md: ${e}`).toContain(e);
      expect(html, `html: ${e}`).toContain(e);
      expect(squash(pdf), `pdf: ${e}`).toContain(squash(e));
    }
  });

  it('a changed evidence file voids its attestation, and every output says why', async () => {
    const dir = join(work, 'state');
    mkdirSync(join(dir, 'evidence'), { recursive: true });
    cpSync(join(REPO_ROOT, 'examples/checklist-state.yaml'), join(dir, 'checklist-state.yaml'));
    writeFileSync(join(dir, 'evidence', 'backup-restore-test.txt'), 'restore test FAILED\n');
    const changedOut = join(work, 'changed-evidence');
    const args = EXAMPLE.map((a) => (a === 'examples/checklist-state.yaml' ? join(dir, 'checklist-state.yaml') : a));
    expect((await runCli(['build', ...args, '--format', 'md,html,json', '--out', changedOut], ENV)).exit).toBe(0);
    const r = readJson<Report>(join(changedOut, 'report.json'));
    const backup = r.checklist!.items.find((i) => i.id === 'backup-automation')!;
    expect(backup).toMatchObject({ status: 'pending', reason: { code: 'evidence-not-accepted', args: { file: 'evidence/backup-restore-test.txt', problem: 'changed' } } });
    const now = sha256('restore test FAILED\n');
    for (const text of [mdText(readFileSync(join(changedOut, 'report.md'), 'utf8')), htmlText(readFileSync(join(changedOut, 'report.html'), 'utf8'))]) {
      expect(text).toContain(`does not match, the file now hashes to ${now}`);
      expect(text).toContain('not accepted: evidence file evidence/backup-restore-test.txt is changed since the attestation');
    }
  });
});

describe('diff bundles list both inputs with their hashes', () => {
  it('two report.json: each side with its sha256 and document id', async () => {
    const a = join(work, 'side-a');
    const b = join(work, 'side-b');
    expect((await runCli(['build', ...EXAMPLE, '--format', 'json', '--out', a], ENV)).exit).toBe(0);
    expect((await runCli(['build', '--config', 'examples/auditmark.config.yaml', '--scan', 'examples/scans/bandit.json', '--format', 'json', '--out', b], ENV)).exit).toBe(0);
    const d = join(work, 'diff-reports');
    const run = await runCli(['diff', join(a, 'report.json'), join(b, 'report.json'), '--format', 'md,json', '--out', d], ENV);
    expect(run.exit, run.stderr).toBe(0);
    const manifest = readJson<{ inputs: Array<{ path: string; sha256: string; bytes: number; kind: string; documentId?: string }> }>(join(d, 'manifest.json'));
    const byKind = Object.fromEntries(manifest.inputs.map((i) => [i.kind, i]));
    expect(Object.keys(byKind).sort()).toEqual(['baseline-report', 'current-report']);
    for (const [kind, dir] of [['baseline-report', a], ['current-report', b]] as const) {
      const bytes = readFileSync(join(dir, 'report.json'));
      expect(byKind[kind]).toMatchObject({ sha256: sha256(bytes), bytes: bytes.length, documentId: readJson<Report>(join(dir, 'report.json')).metadata.documentId });
    }
    expect(byKind['baseline-report']!.documentId).not.toBe(byKind['current-report']!.documentId);
  });

  it('two scan files: each side\'s file with its sha256', async () => {
    const older = 'tests/golden/ingest/bandit--bandit-1.8.3-stderr-log-preamble-NOT-JSON/input.json';
    const newer = 'tests/golden/ingest/bandit--bandit-1.8.x-errors-15-syntax/input.json';
    const d = join(work, 'diff-scans');
    const run = await runCli(['diff', older, newer, '--format', 'json', '--out', d], ENV);
    expect(run.exit, run.stderr).toBe(0);
    const manifest = readJson<{ inputs: Array<{ path: string; sha256: string; kind: string }> }>(join(d, 'manifest.json'));
    expect(manifest.inputs.map((i) => [i.kind, i.path, i.sha256]).sort()).toEqual([
      ['baseline-scan', older, sha256(readFileSync(join(REPO_ROOT, older)))],
      ['current-scan', newer, sha256(readFileSync(join(REPO_ROOT, newer)))],
    ]);
  });
});
