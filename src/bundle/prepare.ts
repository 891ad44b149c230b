/**
 * From options to in-memory inputs: every check that needs no rendering (formats, paper, gates,
 * the clock, the config, limits, the signing key) and every read (scans, checklist state and
 * definition, templates, diff sides). Nothing is rendered before all of it succeeded.
 */
import { resolve } from 'node:path';
import type { ConfigOptions, Settings } from '../model/config.ts';
import { diag, hasErrors, type Diagnostic } from '../model/diagnostics.ts';
import type { Limits } from '../model/limits.ts';
import type { AssembleInput } from '../plan.ts';
import type { LoadedTemplate } from '../compose/template-registry.ts';
import { parseGates, type Gate } from '../policy/gates.ts';
import { resolveClock } from '../settings/clock.ts';
import { resolveSettings } from '../settings/config.ts';
import { resolveLimits } from '../settings/limits.ts';
import { parseFormats } from '../settings/formats.ts';
import { checklistDefinitionPath, evidenceHasher, loadAllTemplates, loadConfig, readKey, readScans, readText } from './inputs.ts';
import { probeOutputDir, probeOutputFile } from './output-dir.ts';
import { inspectP12 } from './p12.ts';
import { sourceProvenance } from './provenance.ts';
import { readInputFile } from './read-input.ts';
import { readSide, type ReadSide } from './side.ts';
import { readRiskInputs } from './risk-inputs.ts';
import { loadSigningKey } from './sign.ts';
import { AUDITMARK_VERSION } from './version.ts';

/** Options shared by build and diff (user input, all optional). */
export interface CommonOptions {
  /** Output directory (default `audit-report` / `audit-diff`). */
  out?: string;
  /** Output formats; default md,html,pdf,json for build, md,json for diff. */
  formats?: readonly string[];
  /** `--fail-on` rules. */
  failOn?: readonly string[];
  config?: string;
  checklist?: string;
  templatesDir?: string;
  /** Chrome/Chromium executable (`--chrome`). */
  chrome?: string;
  /** Step summary file (`--summary`); default: append to `$GITHUB_STEP_SUMMARY` when set. */
  summary?: string;
  allowSymlinks?: boolean;
  /** Limit overrides (`--limit`), the strongest layer. */
  limits?: Partial<Limits>;
  /** Environment: `SOURCE_DATE_EPOCH`, browser variables, `GITHUB_STEP_SUMMARY`. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** The clock; default `SOURCE_DATE_EPOCH` from `env`, else now. */
  now?: Date;
  /** VEX documents (`--vex`), added to the config's `vex`. */
  vex?: readonly string[];
  /** CISA KEV catalog snapshot (`--kev`), replacing the config's `kev`. */
  kev?: string;
  /** FIRST EPSS scores snapshot (`--epss`), replacing the config's `epss`. */
  epss?: string;
  /** OSV advisory exports (`--osv`), added to the config's `osv`. */
  osv?: readonly string[];
}

/** Options of `build`. */
export interface BuildOptions extends CommonOptions {
  /** Scanner output files or normalised scan JSON. */
  scans: readonly string[];
  template?: string;
  /** Reader id forced for every scan (`--format-in`), or `auto`. */
  formatIn?: string;
  /**
   * The git work tree holding the scanned sources (`--source`; config `source`). Without it the
   * working directory is used only when one of its remotes is the configured `repository`.
   */
  source?: string;
  /** A report.json or build directory to mark SARIF `baselineState` against; it also dates first-seen. */
  baseline?: string;
  /** Earlier report.json files or build directories that date when findings were first seen (`--history`). */
  history?: readonly string[];
  /** An ed25519 private key (PEM file) to sign `manifest.json` with. */
  sign?: string;
  /** A PKCS#12 key store to sign report.pdf with (PAdES); its password comes from `AUDITMARK_P12_PASSWORD`. */
  signPdf?: string;
  /** Print the PDF as one part (tagged) whatever its size. */
  pdfOnePart?: boolean;
  paper?: string;
  project?: string;
  appVersion?: string;
  classification?: string;
}

/** Options of `diff`. */
export interface DiffOptions extends CommonOptions {
  /** A scanner file (several: comma-separated), normalised scan JSON, a report.json or a build directory. */
  baseline: string;
  current: string;
}

/** Everything `build` needs once the checks passed. */
export interface PreparedBuild {
  assemble: AssembleInput;
  limits: Limits;
  /** Input sizes by recorded path, for the manifest. */
  inputBytes: Map<string, number>;
  baseline?: ReadSide;
  /** `--history` reports as read (each a report.json). */
  history: ReadSide[];
  signingKey?: string;
  /** The `--sign-pdf` key store, checked, with the certificate's subject. */
  pdfSigning?: { p12: Uint8Array; passphrase: string; signer: string };
}

/** Everything `diff` needs once the checks passed. */
export interface PreparedDiff {
  assemble: AssembleInput;
  settings: Settings;
  limits: Limits;
  baseline: ReadSide;
  current: ReadSide;
}

/** What preparation gives: the parsed formats and gates always, the inputs when nothing failed. */
export interface Prepared<T> {
  ready?: T;
  formats: string[];
  gates: Gate[];
  diagnostics: Diagnostic[];
}

const BUILD_FORMATS = ['md', 'html', 'pdf', 'json', 'sarif', 'oscal'];
const DIFF_FORMATS = ['md', 'html', 'pdf', 'json'];

/** The output directory each command writes to when `--out` is not given. */
export const DEFAULT_OUT = { build: 'audit-report', diff: 'audit-diff', history: 'audit-history' } as const;

/**
 * Where the run will write, checked before anything is read or rendered (so before Chromium
 * starts): the output directory (walked without following symlinks, created and removed again if
 * missing, one probe file created and removed) and the existing outputs in it, and the
 * `--summary` file's directory. An unusable place is an `output/*` error, exit 3 — the same code
 * and exit as when the writer itself meets it, so a script sees one answer for one problem.
 */
function probeOutputs(options: { out?: string; summary?: string; allowSymlinks?: boolean }, kind: 'build' | 'diff' | 'history', formats: readonly string[]): Diagnostic[] {
  const stem = kind === 'build' ? 'report' : kind;
  const names = [...formats.map((f) => `${stem}.${f}`), 'manifest.json'];
  const allowSymlinks = options.allowSymlinks === true;
  const problems = probeOutputDir(options.out ?? DEFAULT_OUT[kind], { allowSymlinks, names });
  if (options.summary) problems.push(...probeOutputFile(options.summary, { allowSymlinks }));
  return problems;
}

/** The checks and reads common to both commands. */
function common(options: CommonOptions, kind: 'build' | 'diff') {
  const diagnostics: Diagnostic[] = [];
  const formats = parseFormats(options.formats, kind === 'build' ? BUILD_FORMATS : DIFF_FORMATS, kind === 'build' ? ['md', 'html', 'pdf', 'json'] : ['md', 'json']);
  const gates = parseGates(options.failOn, kind);
  const env = options.env ?? process.env;
  const clock = options.now ? { now: options.now, diagnostics: [] } : resolveClock(env, () => new Date());
  const cfg = loadConfig(options.config);
  diagnostics.push(...formats.diagnostics, ...gates.diagnostics, ...clock.diagnostics, ...cfg.diagnostics);
  if (!hasErrors(formats.diagnostics)) diagnostics.push(...probeOutputs(options, kind, formats.formats));
  const limits = resolveLimits(cfg.config?.options.limits, options.limits);
  return { diagnostics, formats: formats.formats, gates: gates.gates, now: clock.now, cfg, limits };
}

/** The risk input files: the config's, plus the flags' (VEX and OSV add up; KEV and EPSS flags replace). */
function riskFiles(options: CommonOptions, c: ReturnType<typeof common>) {
  const o = c.cfg.config?.options;
  return readRiskInputs({
    vex: [...(o?.vex ?? []), ...(options.vex ?? [])],
    kev: options.kev ?? o?.kev,
    epss: options.epss ?? o?.epss,
    osv: [...(o?.osv ?? []), ...(options.osv ?? [])],
  }, c.limits);
}

/** Checks and reads of `build`. */
export function prepareBuild(options: BuildOptions): Prepared<PreparedBuild> {
  const c = common(options, 'build');
  const { diagnostics, limits } = c;
  const out = (): Prepared<PreparedBuild> => ({ formats: c.formats, gates: c.gates, diagnostics });
  if (!options.scans.length) diagnostics.push(diag('usage/missing-input', 'error', 'build: no --scan file given', { fix: 'auditmark build --scan bandit.json --out report/' }));
  if (options.paper !== undefined && options.paper !== 'A4' && options.paper !== 'Letter') diagnostics.push(diag('usage/invalid', 'error', `--paper ${options.paper}`, { expected: 'A4 or Letter', fix: '--paper A4' }));
  let signingKey: string | undefined;
  if (options.sign) {
    const key = readKey(options.sign);
    diagnostics.push(...key.diagnostics);
    if (key.pem !== undefined) {
      diagnostics.push(...loadSigningKey(key.pem).diagnostics.map((d) => ({ ...d, file: options.sign })));
      signingKey = key.pem;
    }
  }
  let pdfSigning: PreparedBuild['pdfSigning'];
  if (options.signPdf) {
    if (!c.formats.includes('pdf')) diagnostics.push(diag('usage/invalid', 'error', '--sign-pdf signs report.pdf, but pdf is not among the formats', { fix: 'add pdf to --format, or leave --sign-pdf out' }));
    const read = readInputFile(options.signPdf, 1024 * 1024);
    if (!read.ok) diagnostics.push(read.diagnostic);
    else {
      const passphrase = (options.env ?? process.env).AUDITMARK_P12_PASSWORD ?? '';
      const checked = inspectP12(read.bytes, passphrase, options.signPdf);
      diagnostics.push(...checked.diagnostics);
      if (checked.subject !== undefined) pdfSigning = { p12: read.bytes, passphrase, signer: checked.subject };
    }
  }
  if (hasErrors(diagnostics)) return out();

  const scans = readScans(options.scans, limits);
  const state = readText(options.checklist, limits);
  const definition = readText(checklistDefinitionPath(c.cfg.config), limits);
  const templates = loadAllTemplates(options.templatesDir ?? c.cfg.config?.options.templatesDir);
  const baseline = options.baseline ? readSide(options.baseline, limits) : undefined;
  const provenance = sourceProvenance({
    source: options.source ?? c.cfg.config?.options.source,
    origin: options.source !== undefined ? '--source' : `config source (${c.cfg.config?.file ?? ''})`,
    repository: c.cfg.config?.options.repository,
  });
  const history = (options.history ?? []).map((h) => readSide(h, limits));
  const risk = riskFiles(options, c);
  diagnostics.push(...scans.diagnostics, ...state.diagnostics, ...definition.diagnostics, ...templates.diagnostics, ...(baseline?.diagnostics ?? []), ...history.flatMap((h) => h.diagnostics), ...risk.diagnostics, ...provenance.diagnostics);
  if (hasErrors(diagnostics)) return out();

  const overrides: ConfigOptions = {
    ...(options.project ? { project: options.project } : {}),
    ...(options.appVersion ? { version: options.appVersion } : {}),
    ...(options.classification ? { classification: options.classification } : {}),
    ...(options.template ? { template: options.template } : {}),
    ...(options.paper ? { paper: options.paper as 'A4' | 'Letter' } : {}),
    limits,
  };
  const inputBytes = new Map<string, number>(scans.scans.map((s) => [s.file, s.bytes.byteLength]));
  if (c.cfg.config) inputBytes.set(c.cfg.config.file, c.cfg.config.bytes);
  if (state.input) inputBytes.set(state.input.file, Buffer.byteLength(state.input.text, 'utf8'));
  for (const [f, n] of risk.bytes) inputBytes.set(f, n);
  for (const h of history) if (h.side?.kind === 'json') inputBytes.set(h.side.file, h.side.bytes);
  if (baseline?.side?.kind === 'json') inputBytes.set(baseline.side.file, baseline.side.bytes);
  const assemble: AssembleInput = {
    scans: scans.scans,
    readerFormat: options.formatIn,
    config: c.cfg.config,
    overrides,
    checklistState: state.input,
    checklistDefinition: definition.input,
    templates: templates.templates,
    now: c.now,
    auditmarkVersion: AUDITMARK_VERSION,
    git: provenance.git,
    hashEvidence: evidenceHasher(options.checklist, limits),
    risk: risk.raw,
  };
  return { ready: { assemble, limits, inputBytes, baseline: baseline?.side, history: history.map((h) => h.side!), signingKey, pdfSigning }, formats: c.formats, gates: c.gates, diagnostics };
}

/** Checks and reads of `diff`. */
export function prepareDiff(options: DiffOptions): Prepared<PreparedDiff> {
  const c = common(options, 'diff');
  const { diagnostics, limits } = c;
  const out = (): Prepared<PreparedDiff> => ({ formats: c.formats, gates: c.gates, diagnostics });
  const dir = options.out ?? DEFAULT_OUT.diff;
  // A baseline inside the output directory would be replaced by the very diff it feeds.
  for (const spec of [options.baseline, options.current]) {
    for (const f of spec.split(',')) {
      if (f && c.formats.some((fmt) => sameFile(f, `${dir}/diff.${fmt}`))) {
        diagnostics.push(diag('usage/input-is-output', 'error', `input ${f} is also an output of this diff`, { file: f, fix: 'choose another --out directory' }));
      }
    }
  }
  if (hasErrors(diagnostics)) return out();
  const templates = loadAllTemplates(options.templatesDir ?? c.cfg.config?.options.templatesDir);
  const state = readText(options.checklist, limits);
  const risk = riskFiles(options, c);
  diagnostics.push(...templates.diagnostics, ...state.diagnostics, ...risk.diagnostics);
  if (hasErrors(diagnostics)) return out();
  const baseline = readSide(options.baseline, limits);
  const current = readSide(options.current, limits);
  diagnostics.push(...baseline.diagnostics, ...current.diagnostics);
  if (!baseline.side || !current.side || hasErrors(diagnostics)) return out();
  const assemble: AssembleInput = {
    scans: [], config: c.cfg.config, overrides: { limits }, checklistState: state.input, templates: templates.templates, now: c.now, auditmarkVersion: AUDITMARK_VERSION, risk: risk.raw,
  };
  const settings = resolveSettings(c.cfg.config?.options ?? {}, { limits });
  return { ready: { assemble, settings, limits, baseline: baseline.side, current: current.side }, formats: c.formats, gates: c.gates, diagnostics };
}

function sameFile(a: string, b: string): boolean {
  return resolve(a) === resolve(b);
}

/** Options of `history`. */
export interface HistoryCommandOptions {
  /** report.json files or build directories, one per release. */
  inputs: readonly string[];
  out?: string;
  formats?: readonly string[];
  config?: string;
  templatesDir?: string;
  chrome?: string;
  allowSymlinks?: boolean;
  limits?: Partial<Limits>;
  env?: Readonly<Record<string, string | undefined>>;
  now?: Date;
}

/** Everything `history` needs once the checks passed. */
export interface PreparedHistory {
  settings: Settings;
  limits: Limits;
  now: Date;
  templates: LoadedTemplate[];
  sides: ReadSide[];
  config?: { file: string; sha256: string; bytes: number };
}

/** Checks and reads of `history`. */
export function prepareHistory(options: HistoryCommandOptions): Prepared<PreparedHistory> {
  const diagnostics: Diagnostic[] = [];
  const formats = parseFormats(options.formats, DIFF_FORMATS, ['md', 'json']);
  const env = options.env ?? process.env;
  const clock = options.now ? { now: options.now, diagnostics: [] } : resolveClock(env, () => new Date());
  const cfg = loadConfig(options.config);
  diagnostics.push(...formats.diagnostics, ...clock.diagnostics, ...cfg.diagnostics);
  if (!hasErrors(formats.diagnostics)) diagnostics.push(...probeOutputs(options, 'history', formats.formats));
  const out = (): Prepared<PreparedHistory> => ({ formats: formats.formats, gates: [], diagnostics });
  if (options.inputs.length === 0) diagnostics.push(diag('history/too-few', 'error', 'history: no report given', { fix: 'auditmark history release-1/ release-2/ --out history/' }));
  if (hasErrors(diagnostics)) return out();
  const limits = resolveLimits(cfg.config?.options.limits, options.limits);
  const templates = loadAllTemplates(options.templatesDir ?? cfg.config?.options.templatesDir);
  const read = options.inputs.map((i) => readSide(i, limits));
  diagnostics.push(...templates.diagnostics, ...read.flatMap((r) => r.diagnostics));
  if (hasErrors(diagnostics)) return out();
  const settings = resolveSettings(cfg.config?.options ?? {}, { limits });
  const ready: PreparedHistory = { settings, limits, now: clock.now, templates: templates.templates, sides: read.map((r) => r.side!) };
  if (cfg.config) ready.config = { file: cfg.config.file, sha256: cfg.config.sha256, bytes: cfg.config.bytes };
  return { ready, formats: formats.formats, gates: [], diagnostics };
}
