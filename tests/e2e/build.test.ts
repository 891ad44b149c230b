/**
 * End-to-end `auditmark build` on the real example inputs, through the CLI entry (in-process),
 * with real Chromium for the PDF. Only the two full builds print a PDF (two browser launches);
 * every other build here asks for md,json only.
 *
 * The expected counts are computed from the raw scanner files in this file, never taken from
 * auditmark's own output, and compared with report.json and with what report.md says.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFrontmatter } from '../../src/settings/frontmatter.ts';
import { REPO_ROOT, runCli, tempDir, type CliRun } from '../cli/run-cli.ts';
import { inlineCodes, parseMarkdown, sectionTables } from '../cli/report-markdown.ts';
import { inspectPdf } from '../helpers/pdf-inspect.ts';

const EPOCH = '1798675200'; // 2026-12-31T00:00:00Z
const ENV = { SOURCE_DATE_EPOCH: EPOCH };
const BANDIT = 'examples/scans/bandit.json';
const PIP_AUDIT = 'examples/scans/pip-audit.json';
const CHECKLIST = 'examples/checklist-state.yaml';
const CONFIG = 'examples/auditmark.config.yaml';
const FULL_FORMATS = ['md', 'html', 'pdf', 'json', 'sarif'];

const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
const readJson = <T,>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
const repoFile = (p: string) => join(REPO_ROOT, p);

interface ManifestFile { path: string; sha256: string; bytes: number; kind?: string }
interface Manifest { outputs: ManifestFile[]; inputs: ManifestFile[]; created: string }

interface ReportJson {
  metadata: { created: string };
  status: { overall: string };
  findings: Array<{ fingerprint: string; tool: string; ruleId: string; severity: string; status: string }>;
  summary: { total: number; open: number; waived: number; suppressed: number; bySeverity: Record<string, number>; byTool: Record<string, number> };
  inputs: Array<{ path: string; sha256: string; kind: string }>;
}

// Independent counts from the raw files: Bandit lists one result per finding; pip-audit lists
// vulnerabilities per dependency.
const rawBanditCount = (readJson<{ results: unknown[] }>(repoFile(BANDIT))).results.length;
const rawPipAuditCount = readJson<{ dependencies: Array<{ vulns?: unknown[] }> }>(repoFile(PIP_AUDIT)).dependencies.reduce((n, d) => n + (d.vulns?.length ?? 0), 0);

const work = tempDir('auditmark-e2e-build-');
const first = join(work, 'first');
const second = join(work, 'second');
let firstRun: CliRun;
let secondRun: CliRun;

const exampleArgs = (out: string, formats = FULL_FORMATS) => [
  'build', '--config', CONFIG, '--scan', BANDIT, '--scan', PIP_AUDIT, '--checklist', CHECKLIST,
  '--format', formats.join(','), '--out', out,
];

beforeAll(async () => {
  firstRun = await runCli(exampleArgs(first), ENV);
  secondRun = await runCli(exampleArgs(second), ENV);
}, 300_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('build of the example set (md, html, pdf, json, sarif)', () => {
  it('succeeds without errors', () => {
    expect(firstRun.stderr).not.toMatch(/ error /);
    expect(firstRun.exit).toBe(0);
    expect(secondRun.exit).toBe(0);
  });

  it('writes every output listed in manifest.json with the listed sha256 and size, and nothing else', () => {
    const manifest = readJson<Manifest>(join(first, 'manifest.json'));
    const listed = manifest.outputs.map((o) => o.path).sort();
    expect(listed).toEqual(FULL_FORMATS.map((f) => `report.${f}`).sort());
    for (const o of manifest.outputs) {
      const bytes = readFileSync(join(first, o.path));
      expect(sha256(bytes), o.path).toBe(o.sha256);
      expect(bytes.length, o.path).toBe(o.bytes);
    }
    expect(readdirSync(first).sort()).toEqual([...listed, 'manifest.json'].sort());
  });

  it('hashes every input in manifest.json as its bytes on disk', () => {
    const manifest = readJson<Manifest>(join(first, 'manifest.json'));
    expect(manifest.inputs.map((i) => i.path).sort()).toEqual([BANDIT, CHECKLIST, CONFIG, PIP_AUDIT].sort());
    for (const i of manifest.inputs) {
      const bytes = readFileSync(repoFile(i.path));
      expect(i.sha256, i.path).toBe(sha256(bytes));
      expect(i.bytes, i.path).toBe(bytes.length);
    }
  });

  it('report.json counts equal the raw scanner files', () => {
    expect(rawBanditCount).toBe(83);
    expect(rawPipAuditCount).toBe(15);
    const r = readJson<ReportJson>(join(first, 'report.json'));
    expect(r.findings.filter((f) => f.tool === 'bandit')).toHaveLength(rawBanditCount);
    expect(r.findings.filter((f) => f.tool === 'pip-audit')).toHaveLength(rawPipAuditCount);
    expect(r.findings).toHaveLength(rawBanditCount + rawPipAuditCount);
    expect(r.summary.total).toBe(r.findings.length);
    expect(r.summary.byTool).toEqual({ bandit: rawBanditCount, 'pip-audit': rawPipAuditCount });
    expect(Object.values(r.summary.bySeverity).reduce((a, b) => a + b, 0)).toBe(r.findings.length);
    expect(r.summary.open + r.summary.waived + r.summary.suppressed).toBe(r.findings.length);
    expect(r.metadata.created).toBe(new Date(Number(EPOCH) * 1000).toISOString());
  });

  it('report.md states the same numbers as report.json (parsed with remark)', () => {
    const r = readJson<ReportJson>(join(first, 'report.json'));
    const { content } = readFrontmatter(readFileSync(join(first, 'report.md'), 'utf8'), 'report.md');
    const tree = parseMarkdown(content);

    const [index] = sectionTables(tree, 'Findings');
    expect(index, 'the findings index table').toBeDefined();
    const countCol = index!.header.indexOf('Count');
    const toolCol = index!.header.indexOf('Tool');
    expect(countCol).toBeGreaterThanOrEqual(0);
    const counts = index!.rows.map((row) => ({ tool: row[toolCol], count: Number(row[countCol]) }));
    expect(counts.every((c) => Number.isInteger(c.count) && c.count > 0)).toBe(true);
    const sum = (tool?: string) => counts.filter((c) => !tool || c.tool === tool).reduce((a, c) => a + c.count, 0);
    expect(sum()).toBe(rawBanditCount + rawPipAuditCount);
    expect(sum('bandit')).toBe(rawBanditCount);
    expect(sum('pip-audit')).toBe(rawPipAuditCount);

    // The executive summary's totals and per-severity row.
    const summaryTables = sectionTables(tree, 'Executive summary');
    const totals = summaryTables.find((t) => t.header[0] === 'Findings');
    expect(totals).toBeDefined();
    const cell = (name: string) => Number(totals!.rows[0]![totals!.header.indexOf(name)]);
    expect(cell('Findings')).toBe(r.summary.total);
    expect(cell('Open')).toBe(r.summary.open);
    expect(cell('Waived')).toBe(r.summary.waived);
    const bySeverity = summaryTables.find((t) => t.header[0] === 'Severity');
    const all = bySeverity!.rows.find((row) => row[0] === 'All findings')!;
    for (const [i, name] of bySeverity!.header.entries()) {
      if (i === 0) continue;
      expect(Number(all[i]), name).toBe(r.summary.bySeverity[name.toLowerCase()]);
    }
  });

  it('report.md identifies every finding of report.json by its fingerprint', () => {
    const r = readJson<ReportJson>(join(first, 'report.json'));
    const { content } = readFrontmatter(readFileSync(join(first, 'report.md'), 'utf8'), 'report.md');
    // The document shows fingerprints as `v1:<first hex digits>[:n]`; each shown value must
    // name exactly one finding and every finding must be shown.
    const shown = new Set(inlineCodes(parseMarkdown(content)).filter((c) => /^v\d+:[0-9a-f]{8,}(:\d+)?$/.test(c)));
    const names = (code: string, fp: string) => {
      const [cv, ch, cn] = code.split(':');
      const [fv, fh, fn] = fp.split(':');
      return cv === fv && fh!.startsWith(ch!) && cn === fn;
    };
    const missing = r.findings.filter((f) => ![...shown].some((c) => names(c, f.fingerprint)));
    expect(missing.map((f) => f.fingerprint)).toEqual([]);
    for (const code of shown) expect(r.findings.filter((f) => names(code, f.fingerprint)), code).toHaveLength(1);
  });

  it('report.html and report.pdf show the same overall status and every fingerprint shown in report.md', async () => {
    const r = readJson<ReportJson>(join(first, 'report.json'));
    const { content } = readFrontmatter(readFileSync(join(first, 'report.md'), 'utf8'), 'report.md');
    const shown = [...new Set(inlineCodes(parseMarkdown(content)).filter((c) => /^v\d+:[0-9a-f]{8,}(:\d+)?$/.test(c)))];
    expect(shown.length).toBeGreaterThan(0);
    const pdf = await inspectPdf(readFileSync(join(first, 'report.pdf')));
    const pdfText = pdf.pages.map((p) => p.text).join(' ');
    // The HTML as a reader sees it: tags dropped, entities of the characters that matter decoded.
    const htmlText = readFileSync(join(first, 'report.html'), 'utf8').replace(/<wbr>/g, '').replace(/<[^>]*>/g, ' ').replace(/&amp;/g, '&').replace(/\s+/g, ' ');
    for (const [name, text] of [['html', htmlText], ['pdf', pdfText]] as const) {
      expect(text, name).toContain(r.status.overall);
      const missing = shown.filter((fp) => !text.includes(fp));
      expect(missing, `${name}: fingerprints shown in report.md`).toEqual([]);
    }
    expect(pdf.pages.length).toBeGreaterThan(1);
  });

  it('the report.md frontmatter records the sha256 of every input and the build date', () => {
    const { data } = readFrontmatter(readFileSync(join(first, 'report.md'), 'utf8'), 'report.md');
    const inputs = data.inputs as Array<{ path: string; kind: string; sha256: string }>;
    expect(inputs.map((i) => i.path).sort()).toEqual([BANDIT, CHECKLIST, CONFIG, PIP_AUDIT].sort());
    for (const i of inputs) expect(i.sha256, i.path).toBe(sha256(readFileSync(repoFile(i.path))));
    expect(data.created).toBe(new Date(Number(EPOCH) * 1000).toISOString());
    const r = readJson<ReportJson>(join(first, 'report.json'));
    expect((data.status as { audit: string }).audit).toBe(r.status.overall);
  });

  it('a second build with the same SOURCE_DATE_EPOCH is byte-identical', () => {
    for (const name of ['report.md', 'report.html', 'report.json', 'report.pdf', 'report.sarif', 'manifest.json']) {
      expect(sha256(readFileSync(join(second, name))), name).toBe(sha256(readFileSync(join(first, name))));
    }
  });

  it('verify passes on the bundle and fails, naming the file, after one byte of report.md changes', async () => {
    const ok = await runCli(['verify', first]);
    expect(ok.exit).toBe(0);
    // Unsigned: the hashes match, and verify says that this proves internal consistency only.
    expect(ok.stdout).toMatch(/^hashes match manifest\.json, but the bundle is unsigned: this proves internal consistency only/m);
    expect(ok.stdout).not.toContain('bundle verified');

    const copy = join(work, 'tampered');
    cpSync(first, copy, { recursive: true });
    const md = readFileSync(join(copy, 'report.md'));
    const at = md.indexOf('REMEDIATION REQUIRED');
    md[at] = 'r'.charCodeAt(0);
    writeFileSync(join(copy, 'report.md'), md);
    const bad = await runCli(['verify', copy]);
    expect(bad.exit).toBe(1);
    expect(bad.stdout).toMatch(/^changed\treport\.md$/m);
    expect(bad.stderr).toContain('verify/changed');
    expect(bad.stderr).toContain('report.md');
    expect(bad.stdout).not.toMatch(/changed\treport\.(json|html|pdf|sarif)/);
  });
});

describe('signed bundle (fresh ed25519 key)', () => {
  const dir = join(work, 'signed');
  const keys = join(work, 'keys');
  let signRun: CliRun;
  let privatePem: string;
  let privateDer: Buffer;

  beforeAll(async () => {
    const pair = generateKeyPairSync('ed25519');
    const other = generateKeyPairSync('ed25519');
    privatePem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    privateDer = pair.privateKey.export({ type: 'pkcs8', format: 'der' });
    mkdirSync(keys);
    writeFileSync(join(keys, 'key.pem'), privatePem, { mode: 0o600 });
    writeFileSync(join(keys, 'pub.pem'), pair.publicKey.export({ type: 'spki', format: 'pem' }));
    writeFileSync(join(keys, 'other.pem'), other.publicKey.export({ type: 'spki', format: 'pem' }));
    signRun = await runCli([...exampleArgs(dir, ['md', 'json']), '--sign', join(keys, 'key.pem')], ENV);
  });

  it('build --sign writes manifest.json.sig and verify --key accepts it', async () => {
    expect(signRun.exit).toBe(0);
    expect(existsSync(join(dir, 'manifest.json.sig'))).toBe(true);
    const r = await runCli(['verify', dir, '--key', join(keys, 'pub.pem')]);
    expect(r.exit).toBe(0);
    expect(existsSync(join(dir, 'manifest.intoto.jsonl'))).toBe(true);
    expect(r.stdout).toContain('signature: valid\nattestation: valid\nbundle verified');
  });

  it('verify without --key does not claim the bundle verified: the signature was not checked', async () => {
    const r = await runCli(['verify', dir]);
    expect(r.exit).toBe(0);
    expect(r.stdout).toMatch(/signature: present, NOT checked/);
    expect(r.stdout).not.toContain('bundle verified');
    expect(r.stderr).toContain('verify/signature-not-checked');
  });

  it('verify with a different public key fails with exit 1: the signature does not match this key', async () => {
    const r = await runCli(['verify', dir, '--key', join(keys, 'other.pem')]);
    expect(r.exit).toBe(1);
    expect(r.stdout).toContain('signature: does not match this key');
    expect(r.stdout).toMatch(/^signature does not match this key/m);
    expect(r.stdout).not.toContain('CHANGED');
    expect(r.stderr).toContain('verify/wrong-key');
  });

  it('a key that is not ed25519 is refused before anything is rendered or written (exit 2)', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(join(keys, 'rsa.pem'), rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    const out = join(work, 'signed-rsa');
    const r = await runCli([...exampleArgs(out, ['md', 'json']), '--sign', join(keys, 'rsa.pem')], ENV);
    expect(r.exit).toBe(2);
    expect(r.stderr).toContain('sign/bad-key');
    expect(existsSync(out)).toBe(false);
  });

  it('the private key appears in no output and no message', () => {
    const pemBody = privatePem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    // The last 32 bytes of the PKCS#8 DER are the raw ed25519 seed.
    const seed = privateDer.subarray(privateDer.length - 32);
    const texts = [signRun.stdout, signRun.stderr];
    for (const name of readdirSync(dir)) {
      const bytes = readFileSync(join(dir, name));
      expect(bytes.includes(seed), name).toBe(false);
      expect(bytes.includes(Buffer.from(pemBody)), name).toBe(false);
      expect(bytes.includes(Buffer.from(seed.toString('base64'))), name).toBe(false);
      expect(bytes.includes(Buffer.from(seed.toString('hex'))), name).toBe(false);
    }
    for (const t of texts) {
      expect(t).not.toContain(pemBody);
      expect(t).not.toContain(seed.toString('base64'));
    }
  });
});

describe('other inputs (md,json only)', () => {
  it('builds with no checklist and no config (defaults)', async () => {
    expect(existsSync(repoFile('auditmark.config.yaml')), 'a config in the repo root would be picked up').toBe(false);
    const out = join(work, 'defaults');
    const r = await runCli(['build', '--scan', BANDIT, '--format', 'md,json', '--out', out], ENV);
    expect(r.exit).toBe(0);
    const report = readJson<ReportJson>(join(out, 'report.json'));
    expect(report.findings).toHaveLength(rawBanditCount);
    expect(report.inputs.map((i) => i.kind)).toEqual(['scan']);
    const { data } = readFrontmatter(readFileSync(join(out, 'report.md'), 'utf8'));
    expect((data.inputs as unknown[]).length).toBe(1);
    expect(readdirSync(out).sort()).toEqual(['manifest.json', 'report.json', 'report.md']);
  });

  it('builds a SARIF file with several runs: one run per SARIF run, every result a finding', async () => {
    const input = 'tests/golden/ingest/sarif--sarif-multi-run-codacy-trivy-pylint-pmd-eslint.sarif/input.json';
    const raw = readJson<{ runs: Array<{ tool: { driver: { name: string } }; results?: unknown[] }> }>(repoFile(input));
    const out = join(work, 'sarif');
    const r = await runCli(['build', '--scan', input, '--format', 'md,json', '--out', out], ENV);
    expect(r.exit).toBe(0);
    const report = readJson<ReportJson & { runs: unknown[] }>(join(out, 'report.json'));
    expect(raw.runs.length).toBeGreaterThan(1);
    expect(report.runs).toHaveLength(raw.runs.length);
    expect(report.findings).toHaveLength(raw.runs.reduce((n, run) => n + (run.results?.length ?? 0), 0));
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    for (const run of raw.runs) expect(md.toLowerCase()).toContain(run.tool.driver.name.toLowerCase());
  });

  it('builds a Trivy file: one finding per vulnerability', async () => {
    const input = 'tests/golden/ingest/trivy--trivy-schema2-alpine-many-vulns/input.json';
    const raw = readJson<{ Results: Array<{ Vulnerabilities?: Array<{ VulnerabilityID: string }> }> }>(repoFile(input));
    const vulns = raw.Results.flatMap((x) => x.Vulnerabilities ?? []);
    const out = join(work, 'trivy');
    const r = await runCli(['build', '--scan', input, '--format', 'md,json', '--out', out], ENV);
    expect(r.exit).toBe(0);
    const report = readJson<ReportJson>(join(out, 'report.json'));
    expect(report.findings).toHaveLength(vulns.length);
    expect(report.findings.map((f) => f.ruleId).sort()).toEqual(vulns.map((v) => v.VulnerabilityID).sort());
    const [index] = sectionTables(parseMarkdown(readFrontmatter(readFileSync(join(out, 'report.md'), 'utf8')).content), 'Findings');
    const countCol = index!.header.indexOf('Count');
    expect(index!.rows.reduce((n, row) => n + Number(row[countCol]), 0)).toBe(vulns.length);
  });
});
