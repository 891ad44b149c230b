/**
 * The package as its users get it: `npm pack` the built tree, lint the tarball (publint,
 * arethetypeswrong), install it into an empty project (offline, from the npm cache `npm ci`
 * filled, no install scripts), run the CLI from there, import the API under plain Node (and
 * prove what it does not load), and type-check a strict NodeNext consumer.
 */
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveBrowser } from '../src/render/pdf/browser.ts';
import { REPO_ROOT, tempDir } from './cli/run-cli.ts';

const HEAVY = /\/node_modules\/(puppeteer-core|pdf-lib|@pdf-lib\/fontkit|node-forge|@signpdf\/[^/]+)\//;
// What only documents (md, html, pdf) need: the template engine, the Markdown parser and
// serialiser, the HTML renderer, and auditmark's own compose and renderer modules.
const DOCUMENT_STACK = /\/node_modules\/(nunjucks|micromark[^/]*|mdast-util-[^/]+|hast-util-to-html|hast-util-sanitize)\/|\/node_modules\/auditmark\/dist\/(plan\.js|compose\/(?!template-registry\.js)|render\/(html\/|markdown\.js))/;
const MODULE_LOG = join(REPO_ROOT, 'tests/helpers/module-log.mjs');
// The HTML-to-text stack OWASP ZAP reports need (bundled into dist/html-text.cjs by the build).
const HTML_TEXT = /\/dist\/html-text\.cjs$|\/node_modules\/(parse5|hast-util-from-html|hast-util-to-text)\//;

let dir = '';
let tarball = '';
let project = '';

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 240_000 });
}

/** Run a command in the consumer project; fail with its output when it does not exit 0. */
function ok(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  const r = run(cmd, args, project, env);
  expect({ status: r.status, stderr: r.stderr, stdout: r.stdout.slice(0, 2000) }, r.stderr).toMatchObject({ status: 0 });
  return r.stdout;
}

beforeAll(() => {
  dir = tempDir('auditmark-package-');
  // dist/ is fresh (npm test builds it; vitest's global setup rebuilds a stale one): packing
  // must not run `prepare` again.
  const packed = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: REPO_ROOT, encoding: 'utf8' })) as Array<{ filename: string }>;
  tarball = join(dir, packed[0]!.filename);
  project = join(dir, 'consumer');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  const typesNode = (JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules/@types/node/package.json'), 'utf8')) as { version: string }).version;
  // Offline: every dependency is in the npm cache since `npm ci`. No scripts: nothing of
  // auditmark's needs to run at install time. No optional dependencies: the bundled Chromium
  // is not needed for what is checked here (the e2e tests print PDFs).
  ok('npm', ['install', '--offline', '--ignore-scripts', '--omit=optional', '--no-audit', '--no-fund', tarball, `@types/node@${typesNode}`]);
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('publint reports nothing, not even a suggestion', async () => {
    const tar = readFileSync(tarball);
    const { messages, pkg } = await publint({ pack: { tarball: tar.buffer.slice(tar.byteOffset, tar.byteOffset + tar.byteLength) as ArrayBuffer }, level: 'suggestion', strict: true });
    expect(messages.map((m) => formatMessage(m, pkg) ?? m.code)).toEqual([]);
  });

  it('arethetypeswrong reports no problem for an ESM-only package', () => {
    const attw = join(REPO_ROOT, 'node_modules/@arethetypeswrong/cli/dist/index.js');
    const r = run(process.execPath, [attw, tarball, '--profile', 'esm-only', '--no-definitely-typed', '--format', 'json'], dir);
    const out = JSON.parse(r.stdout) as { problems?: Record<string, Array<{ resolutionKind?: string }>> };
    // The esm-only profile leaves out exactly these two resolutions: `require('auditmark')`
    // is not offered (Node ≥ 20.11 CommonJS callers use `await import()`).
    const problems = Object.values(out.problems ?? {}).flat().filter((p) => p.resolutionKind !== 'node10' && p.resolutionKind !== 'node16-cjs');
    expect(problems).toEqual([]);
    expect(r.status).toBe(0);
  });

  it('ships what runs (compiled JS, declarations, templates, schemas, data), no sources or tests', () => {
    const root = join(project, 'node_modules/auditmark');
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).map((f) => f.split('\\').join('/'));
    expect(files).toEqual(expect.arrayContaining(['bin/auditmark.js', 'dist/index.js', 'dist/index.d.ts', 'dist/cli/main.js', 'templates/security-scan/1.0.0/manifest.json', 'schemas/scan.schema.json', 'data/bandit-rules.json']));
    expect(files.filter((f) => /^(src|tests|bench|scripts|examples)\//.test(f) || (f.endsWith('.ts') && !f.endsWith('.d.ts')))).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies)).not.toContain('tsx');
  });
});

describe('installed into an empty project', () => {
  const bin = () => join(project, 'node_modules/.bin/auditmark');

  it('runs the CLI: --help, a build, and verify of what it wrote', () => {
    expect(ok(bin(), ['--help'])).toMatch(/^auditmark — audit documents/);
    copyFileSync(join(REPO_ROOT, 'examples/scans/bandit.json'), join(project, 'bandit.json'));
    ok(bin(), ['build', '--scan', 'bandit.json', '--format', 'md,html,json,sarif', '--out', 'bundle', '--quiet']);
    expect(readdirSync(join(project, 'bundle')).sort()).toEqual(['manifest.json', 'report.html', 'report.json', 'report.md', 'report.sarif']);
    ok(bin(), ['verify', 'bundle', '--quiet']);
  });

  it('a JSON-only build loads none of the PDF stack (puppeteer-core, pdf-lib, fontkit, node-forge, @signpdf), nor the compose and document renderers', () => {
    const log = join(dir, 'modules-build.txt');
    ok(process.execPath, ['--import', MODULE_LOG, bin(), 'build', '--scan', 'bandit.json', '--format', 'json', '--out', 'json-only', '--quiet'], { AUDITMARK_MODULE_LOG: log });
    const loaded = readFileSync(log, 'utf8').split('\n');
    expect(loaded.some((u) => u.includes('/node_modules/auditmark/dist/pipeline.js')), 'the log sees the build').toBe(true);
    expect(loaded.filter((u) => HEAVY.test(u))).toEqual([]);
    expect(loaded.filter((u) => DOCUMENT_STACK.test(u))).toEqual([]);
    expect(loaded.filter((u) => HTML_TEXT.test(u)), 'the HTML-to-text stack is for ZAP reports only').toEqual([]);
    // Bandit gives no CVSS vector and no purl: the calculator and the purl parser load on first use.
    expect(loaded.filter((u) => /\/node_modules\/(ae-cvss-calculator|packageurl-js)\//.test(u))).toEqual([]);
    // The same build with a Markdown report does load them: the pattern names what composing uses.
    const mdLog = join(dir, 'modules-build-md.txt');
    ok(process.execPath, ['--import', MODULE_LOG, bin(), 'build', '--scan', 'bandit.json', '--format', 'md', '--out', 'md-only', '--quiet'], { AUDITMARK_MODULE_LOG: mdLog });
    const withMd = readFileSync(mdLog, 'utf8').split('\n');
    for (const name of ['nunjucks', 'micromark', 'mdast-util-to-markdown', 'auditmark/dist/plan.js', 'auditmark/dist/compose/documents.js', 'auditmark/dist/render/markdown.js']) {
      expect(withMd.some((u) => u.includes(`/node_modules/${name}`)), name).toBe(true);
    }
  });

  it('an unsigned PDF build loads the PDF writer (with `require`, which the log also sees) but not the signer', async () => {
    const log = join(dir, 'modules-build-pdf.txt');
    // The project is installed without optional dependencies (no bundled Chromium): it is given
    // the browser the repository resolves, by the documented variable.
    const browser = await resolveBrowser({ env: process.env });
    if ('code' in browser) throw new Error(browser.message);
    ok(process.execPath, ['--import', MODULE_LOG, bin(), 'build', '--scan', 'bandit.json', '--format', 'pdf', '--out', 'pdf-only', '--quiet'], { AUDITMARK_MODULE_LOG: log, AUDITMARK_CHROME: browser.path });
    const loaded = readFileSync(log, 'utf8').split('\n');
    for (const name of ['puppeteer-core', 'pdf-lib', '@pdf-lib/fontkit']) {
      expect(loaded.some((u) => u.includes(`/node_modules/${name}/`)), name).toBe(true);
    }
    expect(loaded.filter((u) => /\/node_modules\/(node-forge|@signpdf\/[^/]+)\//.test(u))).toEqual([]);
  }, 120_000);

  it('a ZAP report loads the bundled HTML-to-text stack, and its text comes out plain', () => {
    copyFileSync(join(REPO_ROOT, 'tests/golden/ingest/zap--zap-2.15.0-localhost-xss/input.json'), join(project, 'zap.json'));
    const log = join(dir, 'modules-zap.txt');
    ok(process.execPath, ['--import', MODULE_LOG, bin(), 'build', '--scan', 'zap.json', '--format', 'json', '--out', 'zap-json', '--quiet'], { AUDITMARK_MODULE_LOG: log });
    const loaded = readFileSync(log, 'utf8').split('\n');
    expect(loaded.some((u) => u.endsWith('/node_modules/auditmark/dist/html-text.cjs'))).toBe(true);
    // One file: none of the packages it bundles is loaded on its own.
    expect(loaded.filter((u) => /\/node_modules\/(parse5|hast-util-from-html|hast-util-to-text)\//.test(u))).toEqual([]);
    const report = JSON.parse(readFileSync(join(project, 'zap-json/report.json'), 'utf8')) as { findings: Array<{ message: string }> };
    expect(report.findings.length).toBeGreaterThan(0);
    for (const f of report.findings) expect(f.message).not.toMatch(/<\/?p>/);
  });

  it('`--help` loads only the CLI entry, its help and the diagnostics it could print', () => {
    const log = join(dir, 'modules-help.txt');
    ok(process.execPath, ['--import', MODULE_LOG, bin(), '--help'], { AUDITMARK_MODULE_LOG: log });
    const ours = readFileSync(log, 'utf8').split('\n').filter(Boolean).map((u) => u.replace(/^.*\/node_modules\/auditmark\//, ''));
    expect(ours.filter((u) => u.includes('/node_modules/'))).toEqual([]);
    expect(ours.length).toBeLessThanOrEqual(10);
  });

  it('imports the API under plain Node without loading the PDF stack, and it works', () => {
    const log = join(dir, 'modules-import.txt');
    const script = [
      "import * as am from 'auditmark';",
      "const names = ['build', 'diff', 'normalize', 'validate', 'verifyBundle', 'openBrowser'];",
      "const missing = names.filter((n) => typeof am[n] !== 'function');",
      "const n = am.normalize(['bandit.json']);",
      "const v = await am.verifyBundle('bundle');",
      'console.log(JSON.stringify({ missing, findings: n.document.runs[0].findings.length, errors: n.diagnostics.filter((d) => d.level === "error").length, verified: v.ok }));',
    ].join('\n');
    const out = JSON.parse(ok(process.execPath, ['--import', MODULE_LOG, '--input-type=module', '-e', script], { AUDITMARK_MODULE_LOG: log }));
    const bandit = JSON.parse(readFileSync(join(project, 'bandit.json'), 'utf8')) as { results: unknown[] };
    expect(out).toEqual({ missing: [], findings: bandit.results.length, errors: 0, verified: true });
    const loaded = readFileSync(log, 'utf8').split('\n');
    expect(loaded.some((u) => u.endsWith('/node_modules/auditmark/dist/index.js')), 'the log sees the import').toBe(true);
    expect(loaded.filter((u) => HEAVY.test(u))).toEqual([]);
  });

  it('type-checks a strict NodeNext consumer, with skipLibCheck and with every declaration checked', () => {
    writeFileSync(join(project, 'consumer.ts'), CONSUMER);
    const base = { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', types: ['node'], strict: true, noEmit: true, noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true, verbatimModuleSyntax: true };
    const tsc = join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
    const configs = {
      // What `tsc --init` gives: declarations of dependencies are not re-checked.
      'tsconfig.default.json': { ...base, lib: ['ES2023', 'ESNext.Disposable'], skipLibCheck: true },
      // Every .d.ts checked; puppeteer-core's own declarations (reached through
      // BrowserResource.browser) need the DOM library.
      'tsconfig.libcheck.json': { ...base, lib: ['ES2023', 'ESNext.Disposable', 'DOM'], skipLibCheck: false },
    };
    for (const [name, compilerOptions] of Object.entries(configs)) {
      writeFileSync(join(project, name), JSON.stringify({ compilerOptions, files: ['consumer.ts'] }));
      const r = run(process.execPath, [tsc, '-p', name], project);
      expect({ name, status: r.status, out: r.stdout }).toEqual({ name, status: 0, out: '' });
    }
    // Two full type-checks that include puppeteer-core's declarations: ~15 s each on an idle
    // 2-core machine, several times that when the cores are shared.
  }, 300_000);
});

/** A consumer using the whole product; `@ts-expect-error` lines prove the types are real, not `any`. */
const CONSUMER = `import { build, diff, normalize, validate, verifyBundle, openBrowser, type BuildOptions, type Diagnostic, type PipelineResult, type Report } from 'auditmark';

const options: BuildOptions = { scans: ['bandit.json'], formats: ['md', 'json'], out: 'typed' };
const result: PipelineResult<Report> = await build(options);
const problems: Diagnostic[] = result.diagnostics;
const exit: number = result.exitCode;
const status: string | undefined = result.value?.status.overall;
const changes = await diff({ baseline: 'typed', current: 'typed', formats: ['json'] });
const added: number | undefined = changes.value?.summary.new;
const scan = normalize(['bandit.json']);
const checked = validate(['bandit.json']);
const verified = await verifyBundle('typed');
const opened = await openBrowser();
if ('code' in opened) throw new Error(opened.message);
await using browser = opened;
const version: string = browser.version;

// @ts-expect-error formats is a list of format names
await build({ scans: [], formats: 'json' });
// @ts-expect-error scans is required
await build({});

console.log(problems.length, exit, status, added, scan.document?.runs.length, checked.files.length, verified.ok, version);
`;
