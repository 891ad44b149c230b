/**
 * The hostile-input corpus: one harness for every folder under `tests/corpus/`.
 *
 * Each case runs the real, compiled CLI (`bin/auditmark.js` → `dist/`, through `tests/helpers/run-with-rss.mjs`) as a
 * child process in a fresh temp directory whose output directory already holds a "previous build",
 * with a canary HTTP server and a canary file that the payloads point at. See `docs/security.md`
 * ("The bad-input corpus") for the case format and for what each check proves.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync, chmodSync,
} from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createCanaryFile, startCanaryServer, substituteCanaries, type CanaryFile, type CanaryServer } from './helpers/canary.ts';
import { processesWithMarker } from './helpers/processes.ts';

const ROOT = resolve(import.meta.dirname, '..');
const CORPUS = join(ROOT, 'tests', 'corpus');
const WRAPPER = join(ROOT, 'tests', 'helpers', 'run-with-rss.mjs');

/** The seven bad-input classes of `/work/shared/reference/security.md`. */
export const CLASSES = [
  'scanner-json', 'frontmatter-metadata', 'template-data', 'markdown-content', 'browser-pdf', 'file-system', 'state-diff-determinism',
] as const;
type CaseClass = (typeof CLASSES)[number];

/** What must not happen; every case checks all of them unless its `mustNot` lists fewer. */
const ALL_CHECKS = ['connect', 'read-canary', 'pollute', 'leave-temp', 'touch-previous', 'leave-chromium', 'write-outside'] as const;
type Check = (typeof ALL_CHECKS)[number];

interface FilePattern { file: string; pattern: string; flags?: string }

/** Steps run in the case directory after the inputs are copied and the previous build is laid down. */
type Prepare =
  | { fifo: string }
  /** In the run's private TMPDIR (`{{UID}}` is the uid): what another user or a killed run left there. */
  | { tmpFile: string; content: string; mode?: string }
  | { tmpDir: string; mode?: string }
  | { symlink: string; target: string }
  | { file: string; content: string }
  | { mkdir: string }
  | { chmod: string; mode: string };

/** One `case.json`. */
interface CaseSpec {
  description: string;
  class: CaseClass;
  args: string[];
  /** One exit code, or the acceptable ones. */
  expectExit: number | number[];
  /** Codes that must appear among the diagnostics; `prefix/*` matches any code under the prefix. */
  expectCodes?: string[];
  /** Codes that must not appear (e.g. `input/*` when a BOM must be accepted silently). */
  forbidCodes?: string[];
  /** The matched diagnostics must carry a JSON pointer or line:col. */
  expectLocation?: boolean;
  mustNot?: Check[];
  timeoutMs?: number;
  maxRssMb?: number;
  env?: Record<string, string>;
  prepare?: Prepare[];
  /** false: do not lay down a previous build (e.g. the output path cannot exist). */
  previous?: boolean;
  outputMustMatch?: FilePattern[];
  outputMustNotMatch?: FilePattern[];
  /** Text of the PDF (extracted with pdfjs) must / must not match. */
  pdfTextMustMatch?: FilePattern[];
  pdfTextMustNotMatch?: FilePattern[];
  /**
   * Run a second time in the same directory path (wiped and re-copied), optionally with other
   * args/env or with files replaced, and compare the listed outputs byte for byte (or the JSON
   * value at `pointer`).
   */
  /**
   * Start this many copies of the command at once in the same directory (two builds racing for
   * one output directory). Every copy must exit with an expected code, at least one must succeed,
   * and the result must be one complete build.
   */
  parallel?: number;
  twin?: {
    args?: string[];
    env?: Record<string, string>;
    /** `{ "input.json": "input-nobom.json" }`: copy the second over the first before the twin run. */
    replace?: Record<string, string>;
    compare: Array<{ file: string; pointer?: string }>;
  };
}

interface CaseRun {
  exit: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  report?: { exitCode: number; maxRssKb: number; polluted: boolean; addedPrototypeKeys: string[] };
  leftoverChromium: number[];
  /** Entries the run left in its private TMPDIR. */
  leftoverTmp: string[];
  before: Map<string, Entry>;
  after: Map<string, Entry>;
  /** The other copies of a `parallel` case. */
  others: Array<{ exit: number | null; stderr: string; leftoverChromium: number[]; leftoverTmp: string[]; polluted: boolean }>;
  /** Contents of the compared files (for twins). */
  files: Map<string, Buffer>;
}

interface Entry { kind: 'file' | 'dir' | 'link' | 'other'; hash?: string; size?: number; target?: string }

/** Files a previous build left in the output directory; the bytes are known, so any change is seen. */
const PREVIOUS_FILES = [
  'report.md', 'report.html', 'report.json', 'report.pdf', 'report.sarif', 'manifest.json', 'diff.md', 'diff.html', 'diff.json', 'diff.pdf',
];

/**
 * The per-user folder auditmark unpacks the bundled Chromium into (`<TMPDIR>/auditmark-<uid>`)
 * and deliberately keeps as its cache. Not a leftover; inside it only complete
 * `chromium-<version>` folders may remain (no half-done `.unpack-*`).
 */
const BROWSER_CACHE = /^auditmark-\d+$/;
const BROWSER_CACHE_ENTRY = /^chromium-[\w.-]+$/;
const uidText = (t: string) => t.split('{{UID}}').join(String(process.getuid?.() ?? 0));

/** Problems that are not about one input file (usage, the browser) need not name a file. */
const FILELESS_CODES = /^(usage|pdf|internal)\//;

function listCases(): string[] {
  if (!existsSync(CORPUS)) return [];
  return readdirSync(CORPUS, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
}

function loadCase(name: string): CaseSpec {
  return JSON.parse(readFileSync(join(CORPUS, name, 'case.json'), 'utf8')) as CaseSpec;
}

/** Value of `--out` / `-o` in args. */
function argValue(args: readonly string[], ...names: string[]): string | undefined {
  for (let i = 0; i < args.length - 1; i++) if (names.includes(args[i] ?? '')) return args[i + 1];
  return undefined;
}

/** The output files a successful run must (re)write, derived from the command line. */
function expectedOutputs(args: readonly string[]): string[] {
  const out = argValue(args, '--out');
  if (!out) return [];
  const formats = (argValue(args, '--format') ?? 'md,html,pdf,json').split(',').map((f) => f.trim());
  const stem = args[0] === 'diff' ? 'diff' : 'report';
  return formats.filter((f) => ['md', 'html', 'pdf', 'json'].includes(f)).map((f) => join(out, `${stem}.${f}`));
}

/** Recursive snapshot of a directory: kind, size and sha256 of every entry, symlinks not followed. */
function snapshot(dir: string): Map<string, Entry> {
  const out = new Map<string, Entry>();
  const walk = (d: string): void => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(d, n);
      const rel = relative(dir, p);
      const st = lstatSync(p);
      if (st.isSymbolicLink()) out.set(rel, { kind: 'link', target: readlinkSync(p) });
      else if (st.isDirectory()) {
        out.set(rel, { kind: 'dir' });
        walk(p);
      } else if (st.isFile()) {
        out.set(rel, { kind: 'file', size: st.size, hash: createHash('sha256').update(readFileSync(p)).digest('hex') });
      } else out.set(rel, { kind: 'other' });
    }
  };
  walk(dir);
  return out;
}

function sameEntry(a: Entry | undefined, b: Entry | undefined): boolean {
  return !!a && !!b && a.kind === b.kind && a.hash === b.hash && a.target === b.target;
}

/** Entries that are new or changed between two snapshots. */
function changed(before: Map<string, Entry>, after: Map<string, Entry>): string[] {
  return [...after.keys()].filter((k) => !sameEntry(before.get(k), after.get(k)) && after.get(k)?.kind !== 'dir');
}

/** Extract all text of a PDF with pdfjs (text streams are compressed, so a byte search misses it). */
async function pdfText(bytes: Buffer): Promise<string> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, disableFontFace: true }).promise;
  const parts: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    parts.push(content.items.map((it) => ('str' in it ? it.str : '')).join(' '));
  }
  const meta = await doc.getMetadata();
  parts.push(JSON.stringify(meta.info));
  await doc.destroy();
  return parts.join('\n');
}

function copyCase(name: string, work: string, server: CanaryServer, canary: CanaryFile): void {
  cpSync(join(CORPUS, name), work, { recursive: true });
  // Placeholders are a harness convention in *input data*; auditmark itself sees literal text.
  for (const [rel, e] of snapshot(work)) {
    if (e.kind !== 'file' || rel === 'gen.ts' || (e.size ?? 0) > 4 * 1024 * 1024) continue;
    const p = join(work, rel);
    const text = readFileSync(p, 'latin1');
    if (text.includes('{{CANARY_')) writeFileSync(p, substituteCanaries(text, server, canary), 'latin1');
  }
}

async function runCli(spec: CaseSpec, args: string[], env: Record<string, string>, root: string, work: string, copy = 0): Promise<Omit<CaseRun, 'before' | 'after' | 'files' | 'others'>> {
  const reportFile = join(root, `run-report-${copy}.json`);
  rmSync(reportFile, { force: true });
  const marker = `AUDITMARK_CORPUS_MARK=${randomBytes(8).toString('hex')}`;
  // A private TMPDIR: whatever the run leaves there (a Chromium profile, a spool file) is seen.
  const tmp = join(root, `tmp-${copy}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  for (const step of spec.prepare ?? []) {
    if ('tmpDir' in step) {
      mkdirSync(join(tmp, uidText(step.tmpDir)), { recursive: true });
      if (step.mode) chmodSync(join(tmp, uidText(step.tmpDir)), Number.parseInt(step.mode, 8));
    } else if ('tmpFile' in step) {
      const p = join(tmp, uidText(step.tmpFile));
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, step.content);
      chmodSync(p, Number.parseInt(step.mode ?? '644', 8));
    }
  }
  const tmpBefore = new Set(snapshot(tmp).keys());
  const child = spawn(process.execPath, [WRAPPER, ...args], {
    cwd: work,
    // A fresh process group, so a hang is killed with everything it started.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: join(root, 'home'),
      LANG: 'C.UTF-8',
      TMPDIR: tmp,
      AUDITMARK_RUN_REPORT: reportFile,
      [marker.split('=')[0] as string]: marker.split('=')[1] as string,
      ...env,
    },
  });
  const out: Buffer[] = [], err: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => out.push(c));
  child.stderr.on('data', (c: Buffer) => err.push(c));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }, spec.timeoutMs ?? 60_000);
  const [exit, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((res) => child.on('close', (c, s) => res([c, s])));
  clearTimeout(timer);
  // Chromium children may still be on their way out when the CLI returns; give them a moment
  // before calling them leftovers.
  let leftover = processesWithMarker(marker);
  for (let i = 0; i < 10 && leftover.length > 0; i++) {
    await new Promise((r) => setTimeout(r, 200));
    leftover = processesWithMarker(marker);
  }
  for (const pid of leftover) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  const report = existsSync(reportFile) ? JSON.parse(readFileSync(reportFile, 'utf8')) : undefined;
  const leftoverTmp = readdirSync(tmp).filter((n) => !BROWSER_CACHE.test(n) && !tmpBefore.has(n));
  for (const cache of readdirSync(tmp).filter((n) => BROWSER_CACHE.test(n))) {
    for (const n of readdirSync(join(tmp, cache))) if (!BROWSER_CACHE_ENTRY.test(n)) leftoverTmp.push(`${cache}/${n}`);
  }
  return { exit, signal, timedOut, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), report, leftoverChromium: leftover, leftoverTmp };
}

/** Lay out one run: copy, generate, previous build, prepare steps; then run and snapshot. */
async function execute(name: string, spec: CaseSpec, root: string, server: CanaryServer, canary: CanaryFile, variant?: CaseSpec['twin']): Promise<CaseRun> {
  const work = join(root, 'work');
  rmSync(work, { recursive: true, force: true });
  copyCase(name, work, server, canary);
  for (const [to, from] of Object.entries(variant?.replace ?? {})) cpSync(join(work, from), join(work, to));
  const home = join(root, 'home');
  mkdirSync(join(home, '.ssh'), { recursive: true });
  // `~/.ssh/id_rsa` in a payload resolves here and holds the canary token, never a real key.
  cpSync(canary.path, join(home, '.ssh', 'id_rsa'));
  const genFile = join(CORPUS, name, 'gen.ts');
  if (existsSync(genFile)) {
    const gen = (await import(pathToFileURL(genFile).href)) as { default: (dir: string) => void | Promise<void> };
    await gen.default(work);
  }
  const args = (variant?.args ?? spec.args).map((a) => substituteCanaries(a, server, canary));
  const outDir = argValue(args, '--out');
  if (outDir && spec.previous !== false) {
    mkdirSync(join(work, outDir), { recursive: true });
    for (const f of PREVIOUS_FILES) writeFileSync(join(work, outDir, f), `previous build ${f} ${randomBytes(8).toString('hex')}\n`);
  }
  for (const step of spec.prepare ?? []) {
    if ('tmpFile' in step || 'tmpDir' in step) continue; // laid down in runCli, in the run's TMPDIR
    if ('fifo' in step) {
      // git keeps no empty folder, so the FIFO's folder may not exist in a fresh checkout.
      mkdirSync(dirname(join(work, step.fifo)), { recursive: true });
      execFileSync('mkfifo', [join(work, step.fifo)]);
    }
    else if ('symlink' in step) {
      const p = join(work, step.symlink);
      mkdirSync(dirname(p), { recursive: true });
      rmSync(p, { force: true });
      execFileSync('ln', ['-s', substituteCanaries(step.target, server, canary), p]);
    } else if ('mkdir' in step) mkdirSync(join(work, step.mkdir), { recursive: true });
    else if ('chmod' in step) chmodSync(join(work, step.chmod), Number.parseInt(step.mode, 8));
    else {
      mkdirSync(dirname(join(work, step.file)), { recursive: true });
      writeFileSync(join(work, step.file), substituteCanaries(step.content, server, canary));
    }
  }
  const before = snapshot(work);
  const env = { ...spec.env, ...variant?.env };
  const [run, ...rest] = await Promise.all(Array.from({ length: spec.parallel ?? 1 }, (_, i) => runCli(spec, args, env, root, work, i)));
  const others = rest.map((r) => ({ exit: r.exit, stderr: r.stderr, leftoverChromium: r.leftoverChromium, leftoverTmp: r.leftoverTmp, polluted: r.report?.polluted ?? false }));
  const after = snapshot(work);
  const files = new Map<string, Buffer>();
  for (const c of spec.twin?.compare ?? []) {
    const p = join(work, c.file);
    // Only what this run wrote counts; a file still holding the previous build is "missing".
    if (existsSync(p) && !sameEntry(before.get(c.file), after.get(c.file))) files.set(c.file, readFileSync(p));
  }
  return { ...run!, before, after, files, others };
}

interface ParsedDiagnostic { code: string; level: string; file?: string; pointer?: string; line?: number }

/** Diagnostics from stderr: the one JSON document under `--json`, else `file:line:col: level code:` lines. */
function diagnosticsOf(args: readonly string[], stderr: string): { diagnostics: ParsedDiagnostic[]; exitCode?: number; problem?: string } {
  if (args.includes('--json')) {
    try {
      const doc = JSON.parse(stderr) as { diagnostics?: ParsedDiagnostic[]; exitCode?: number };
      if (!Array.isArray(doc.diagnostics)) return { diagnostics: [], problem: 'stderr JSON has no diagnostics array' };
      return { diagnostics: doc.diagnostics, exitCode: doc.exitCode };
    } catch {
      return { diagnostics: [], problem: `--json stderr is not one JSON document: ${JSON.stringify(stderr.slice(0, 400))}` };
    }
  }
  const diagnostics: ParsedDiagnostic[] = [];
  for (const m of stderr.matchAll(/^(.*?):\s*(?:[^ ]*:\s*)?(error|warning|info) ([a-z0-9-]+\/[a-z0-9-]+):/gm)) {
    diagnostics.push({ file: m[1], level: m[2] as string, code: m[3] as string });
  }
  return { diagnostics };
}

/** `a|b` lists alternatives (where the contract leaves the exact code open); `prefix/*` matches a family. */
function codeMatches(code: string, pattern: string): boolean {
  return pattern.split('|').some((p) => (p.endsWith('/*') ? code.startsWith(p.slice(0, -1)) : code === p));
}

function jsonAt(buf: Buffer | undefined, pointer: string): unknown {
  if (!buf) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(buf.toString('utf8'));
  } catch {
    return `<<not JSON: ${buf.subarray(0, 60).toString('utf8')}>>`;
  }
  for (const tok of pointer.split('/').slice(1)) {
    const key = tok.replace(/~1/g, '/').replace(/~0/g, '~');
    v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  }
  return v;
}

/**
 * Pure library entry points run in this process on the case's inputs, to look at Object.prototype
 * afterwards (the CLI child reports its own). They must return diagnostics, never throw, except
 * `readFrontmatter`, whose contract is to throw a DiagnosticError.
 */
async function probeLibraryInProcess(work: string): Promise<string[]> {
  const problems: string[] = [];
  const { ingest } = await import('../src/ingest/ingest.ts');
  const { parseConfig } = await import('../src/settings/config.ts');
  const { parseChecklistState } = await import('../src/settings/checklist.ts');
  const { readFrontmatter } = await import('../src/settings/frontmatter.ts');
  const { DiagnosticError } = await import('../src/model/diagnostics.ts');
  const attempt = (what: string, fn: () => unknown, mayThrowDiagnostic = false): void => {
    try {
      fn();
    } catch (e) {
      if (!(mayThrowDiagnostic && e instanceof DiagnosticError)) problems.push(`${what} threw in-process: ${String(e)}`);
    }
  };
  for (const [rel, e] of snapshot(work)) {
    if (e.kind !== 'file' || (e.size ?? 0) > 8 * 1024 * 1024 || rel === 'case.json' || rel.startsWith('out')) continue;
    const bytes = readFileSync(join(work, rel));
    if (/\.(json|sarif)$/.test(rel)) attempt(`ingest(${rel})`, () => ingest([{ file: rel, bytes }]));
    if (/\.(ya?ml|md|njk)$/.test(rel)) {
      const text = bytes.toString('utf8');
      attempt(`readFrontmatter(${rel})`, () => readFrontmatter(text, rel), true);
      if (/config/.test(rel)) attempt(`parseConfig(${rel})`, () => parseConfig(text, rel));
      if (/checklist/.test(rel)) attempt(`parseChecklistState(${rel})`, () => parseChecklistState(text, rel));
    }
  }
  return problems;
}

/** All the checks of one run; returns the problems found (empty = pass). */
async function verify(name: string, spec: CaseSpec, run: CaseRun, args: string[], work: string, server: CanaryServer, canary: CanaryFile): Promise<string[]> {
  const problems: string[] = [];
  const checks = new Set<Check>(spec.mustNot ?? ALL_CHECKS);
  const expectExit = Array.isArray(spec.expectExit) ? spec.expectExit : [spec.expectExit];
  const tail = `\n  stdout: ${JSON.stringify(run.stdout.slice(0, 600))}\n  stderr: ${JSON.stringify(run.stderr.slice(0, 1200))}`;

  if (run.timedOut) problems.push(`did not finish within timeoutMs=${spec.timeoutMs ?? 60_000} (killed)`);
  else if (!expectExit.includes(run.exit ?? -1)) problems.push(`exit ${run.exit ?? run.signal}, expected ${expectExit.join(' or ')}${tail}`);
  if (!run.timedOut && run.report === undefined) problems.push(`the CLI process did not exit normally (signal ${run.signal})`);
  if (run.report && run.report.maxRssKb / 1024 > (spec.maxRssMb ?? 1024)) {
    problems.push(`peak RSS ${(run.report.maxRssKb / 1024).toFixed(0)} MB over maxRssMb=${spec.maxRssMb ?? 1024}`);
  }

  const parsed = diagnosticsOf(args, run.stderr);
  if (parsed.problem && !run.timedOut) problems.push(parsed.problem);
  if (parsed.exitCode !== undefined && parsed.exitCode !== run.exit) problems.push(`--json exitCode ${parsed.exitCode} differs from the process exit ${run.exit}`);
  for (const d of parsed.diagnostics) {
    if (typeof d.code !== 'string' || !/^[a-z0-9-]+\/[a-z0-9-]+$/.test(d.code) || !['error', 'warning', 'info'].includes(d.level)) {
      problems.push(`malformed diagnostic ${JSON.stringify(d)}`);
    }
  }
  const codes = parsed.diagnostics.map((d) => d.code);
  for (const want of spec.expectCodes ?? []) {
    const hits = parsed.diagnostics.filter((d) => codeMatches(d.code, want));
    if (hits.length === 0) problems.push(`expected diagnostic ${want}; got [${codes.join(', ')}]${parsed.problem ? '' : tail}`);
    for (const h of hits) {
      if (!h.file && !FILELESS_CODES.test(h.code)) problems.push(`diagnostic ${h.code} does not name a file`);
      if (spec.expectLocation && h.pointer === undefined && h.line === undefined) problems.push(`diagnostic ${h.code} has neither a JSON pointer nor line:col`);
    }
  }
  for (const bad of spec.forbidCodes ?? []) {
    const hit = codes.find((c) => codeMatches(c, bad));
    if (hit) problems.push(`diagnostic ${hit} must not appear`);
  }
  {
    // Terminal output (text or --json): data must not smuggle escape sequences, C0/C1 controls,
    // line separators or bidi controls. Only the layout characters TAB and LF may appear raw.
    // normalize's stdout is the scan document itself (data, not terminal text), so it is exempt.
    const printed = run.stderr + (args[0] === 'normalize' ? '' : run.stdout);
    // eslint-disable-next-line no-control-regex
    const bad = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.exec(printed);
    if (bad) problems.push(`terminal output carries control character U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0')}`);
  }

  const changedFiles = changed(run.before, run.after);
  const outDir = argValue(args, '--out');
  const outFile = argValue(args, '-o', '--output');

  if (checks.has('connect') && server.connections() > 0) {
    problems.push(`${server.connections()} connection(s) reached the canary server: ${server.firstBytes().join(' | ')}`);
  }
  if (checks.has('read-canary')) {
    const leaks: string[] = [];
    // The secret itself, or its digest (a hash printed is an oracle that confirms a guess).
    const secret = (text: string | Buffer): boolean => text.includes(canary.token) || text.includes(canary.digest);
    if (secret(run.stdout)) leaks.push('stdout');
    if (secret(run.stderr)) leaks.push('stderr');
    for (const rel of changedFiles) {
      const p = join(work, rel);
      if (run.after.get(rel)?.kind !== 'file') continue;
      const bytes = readFileSync(p);
      if (secret(bytes)) leaks.push(rel);
      else if (rel.endsWith('.pdf') && bytes.subarray(0, 5).toString('latin1') === '%PDF-') {
        const text = await pdfText(bytes).catch(() => '');
        if (secret(text)) leaks.push(`${rel} (text)`);
      }
    }
    if (leaks.length > 0) problems.push(`canary file content leaked into: ${leaks.join(', ')}`);
  }
  if (checks.has('write-outside')) {
    const inside = (rel: string): boolean => {
      if (outDir && (rel === outDir || rel.startsWith(outDir.replace(/\/$/, '') + sep))) return true;
      if (outFile && rel === outFile) return true;
      return false;
    };
    const outside = changedFiles.filter((rel) => !inside(rel));
    if (outside.length > 0) problems.push(`wrote outside the output: ${outside.join(', ')}`);
    if (readFileSync(canary.path, 'utf8').indexOf(canary.token) !== 0) problems.push('the canary file was modified');
  }
  if (checks.has('leave-temp')) {
    const temps = [...run.after.keys()].filter((k) => /\.auditmark-tmp-/.test(k));
    if (temps.length > 0) problems.push(`temp files left: ${temps.join(', ')}`);
    if (run.leftoverTmp.length > 0) problems.push(`left in TMPDIR: ${run.leftoverTmp.join(', ')}`);
  }
  if (checks.has('touch-previous') && outDir && spec.previous !== false) {
    const prefix = outDir.replace(/\/$/, '') + sep;
    const inOut = (m: Map<string, Entry>): string[] => [...m.keys()].filter((k) => k.startsWith(prefix)).sort();
    // Exit 2 and 3 write nothing; exit 1 (a policy gate failed) writes the bundle, then fails.
    if (run.exit !== 0 && run.exit !== 1) {
      const diff = [...new Set([...inOut(run.before), ...inOut(run.after)])].filter((k) => !sameEntry(run.before.get(k), run.after.get(k)));
      if (diff.length > 0) problems.push(`failed run changed the previous build: ${diff.join(', ')}`);
    } else {
      const stale = expectedOutputs(args).filter((f) => sameEntry(run.before.get(f), run.after.get(f)));
      if (stale.length > 0) problems.push(`successful run left previous-build files in place: ${stale.join(', ')}`);
    }
  }
  for (const [i, o] of run.others.entries()) {
    if (!expectExit.includes(o.exit ?? -1)) problems.push(`parallel copy ${i + 2}: exit ${o.exit}, expected ${expectExit.join(' or ')}: ${o.stderr.slice(0, 400)}`);
    if (o.leftoverChromium.length > 0 || o.leftoverTmp.length > 0 || o.polluted) problems.push(`parallel copy ${i + 2} left processes/temp files or polluted the prototype`);
  }
  if (run.others.length > 0 && ![run.exit, ...run.others.map((o) => o.exit)].includes(0)) problems.push('no parallel copy succeeded');
  // One complete build, never a mix: every output the manifest lists has exactly the listed bytes.
  const manifestRel = outDir ? join(outDir, 'manifest.json') : undefined;
  if (manifestRel && !sameEntry(run.before.get(manifestRel), run.after.get(manifestRel)) && run.after.get(manifestRel)?.kind === 'file') {
    try {
      const manifest = JSON.parse(readFileSync(join(work, manifestRel), 'utf8')) as { outputs?: Array<{ path: string; sha256: string }> };
      for (const o of manifest.outputs ?? []) {
        const entry = run.after.get(join(outDir!, o.path));
        if (entry?.hash !== o.sha256) problems.push(`manifest.json lists ${o.path} with sha256 ${o.sha256.slice(0, 12)}…, the file on disk ${entry ? `has ${entry.hash?.slice(0, 12)}…` : 'is missing'} (a mixed build)`);
      }
    } catch (e) {
      problems.push(`manifest.json is not readable JSON: ${String(e)}`);
    }
  }
  if (checks.has('leave-chromium') && run.leftoverChromium.length > 0) problems.push(`browser processes left running: ${run.leftoverChromium.join(', ')}`);
  if (checks.has('pollute')) {
    if (run.report?.polluted) problems.push(`Object.prototype polluted in the CLI process: ${run.report.addedPrototypeKeys.join(', ')}`);
    problems.push(...(await probeLibraryInProcess(work).catch((e: unknown) => [`library probe failed: ${String(e)}`])));
    if (({} as Record<string, unknown>).polluted !== undefined) problems.push('Object.prototype polluted in-process by the library');
  }

  const readOut = (file: string): string | undefined => {
    const p = join(work, file);
    return existsSync(p) ? readFileSync(p, 'utf8') : undefined;
  };
  for (const m of spec.outputMustMatch ?? []) {
    const text = m.file === 'stdout' ? run.stdout : m.file === 'stderr' ? run.stderr : readOut(m.file);
    if (text === undefined) problems.push(`${m.file} was not written`);
    else if (!new RegExp(m.pattern, m.flags).test(text)) problems.push(`${m.file} does not match /${m.pattern}/${m.flags ?? ''}`);
  }
  for (const m of spec.outputMustNotMatch ?? []) {
    const text = m.file === 'stdout' ? run.stdout : m.file === 'stderr' ? run.stderr : readOut(m.file);
    const hit = text === undefined ? null : new RegExp(m.pattern, m.flags).exec(text);
    if (hit) problems.push(`${m.file} matches /${m.pattern}/: ${JSON.stringify(text!.slice(Math.max(0, hit.index - 80), hit.index + 120))}`);
  }
  for (const [list, want] of [[spec.pdfTextMustMatch, true], [spec.pdfTextMustNotMatch, false]] as const) {
    for (const m of list ?? []) {
      const p = join(work, m.file);
      if (!existsSync(p)) {
        if (want) problems.push(`${m.file} was not written`);
        continue;
      }
      const text = await pdfText(readFileSync(p)).catch((e: unknown) => `<<pdf unreadable: ${String(e)}>>`);
      if (new RegExp(m.pattern, m.flags).test(text) !== want) problems.push(`PDF text of ${m.file} ${want ? 'does not match' : 'matches'} /${m.pattern}/`);
    }
  }
  void name;
  return problems;
}

const cases = listCases();

describe('corpus layout', () => {
  test('at least 60 cases covering all seven classes, each well-formed', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
    const perClass = new Map<string, number>();
    for (const name of cases) {
      const spec = loadCase(name);
      expect(CLASSES, name).toContain(spec.class);
      expect(name.startsWith(`${spec.class}--`), `${name} is named <class>--<case>`).toBe(true);
      expect(spec.description.length, name).toBeGreaterThan(10);
      expect(Array.isArray(spec.args) && spec.args.length > 0, name).toBe(true);
      for (const c of spec.mustNot ?? []) expect(ALL_CHECKS, name).toContain(c);
      perClass.set(spec.class, (perClass.get(spec.class) ?? 0) + 1);
    }
    for (const c of CLASSES) expect(perClass.get(c) ?? 0, c).toBeGreaterThanOrEqual(4);
  });
});

describe.concurrent('hostile input corpus', () => {
  let canary: CanaryFile;
  beforeAll(() => {
    canary = createCanaryFile();
  });
  afterAll(() => canary.remove());

  // The harness enforces each case's own timeoutMs (twice for twins); this outer bound only has to be larger.
  const outer = Math.max(...cases.map((c) => loadCase(c).timeoutMs ?? 60_000)) * 2 + 60_000;
  test.each(cases)('%s', async (name) => {
    const spec = loadCase(name);
    // One canary server per case: cases run concurrently and every connection must be attributable.
    const own = await startCanaryServer();
    const root = mkdtempSync(join(tmpdir(), `auditmark-corpus-${name.slice(0, 40)}-`));
    try {
      const first = await execute(name, spec, root, own, canary);
      const problems = await verify(name, spec, first, spec.args.map((a) => substituteCanaries(a, own, canary)), join(root, 'work'), own, canary);
      if (spec.twin) {
        const second = await execute(name, spec, root, own, canary, spec.twin);
        const args2 = (spec.twin.args ?? spec.args).map((a) => substituteCanaries(a, own, canary));
        problems.push(...(await verify(name, spec, second, args2, join(root, 'work'), own, canary)).map((p) => `twin run: ${p}`));
        for (const c of spec.twin.compare) {
          const a = first.files.get(c.file), b = second.files.get(c.file);
          if (!a || !b) problems.push(`twin compare: ${c.file} missing in ${!a ? 'first' : 'second'} run`);
          else if (c.pointer !== undefined) {
            if (JSON.stringify(jsonAt(a, c.pointer)) !== JSON.stringify(jsonAt(b, c.pointer))) problems.push(`twin compare: ${c.file}#${c.pointer} differs`);
          } else if (!a.equals(b)) problems.push(`twin compare: ${c.file} differs between the two runs`);
        }
      }
      expect(problems, `${name}: ${spec.description}`).toEqual([]);
    } finally {
      await own.close();
      rmSync(root, { recursive: true, force: true });
    }
  }, outer);
});
