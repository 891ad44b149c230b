import { readFileSync } from 'node:fs';
import { evaluateGates, parseGates, type GateResult } from '../diff/gates.ts';
import { exitCode, type Phase } from '../diff/exit-code.ts';
import { diffReports } from '../diff/diff.ts';
import { closeBrowser } from '../emit/browser.ts';
import { buildManifest, reportProvenance, serializeManifest } from '../emit/manifest.ts';
import { SIGNATURE_FILE, signManifest } from '../emit/sign.ts';
import type { OutputFile } from '../emit/write-output.ts';
import { writeOutputs } from '../emit/write-output.ts';
import type { ConfigOptions } from '../model/config.ts';
import { diag, hasErrors, type Diagnostic } from '../model/diagnostics.ts';
import type { ReportDiff } from '../model/diff.ts';
import type { Report } from '../model/report.ts';
import { planBuild, renderOutputs, type BuildPlan } from '../pipeline.ts';
import { parse, parseFormats } from './args.ts';
import { resolveClock, gitInfo } from './clock.ts';
import { checklistDefinitionPath, evidenceHasher, loadAllTemplates, loadConfig, missing, readScans, readText, resolveLimits } from './context.ts';
import { loadSide } from './load-side.ts';
import type { CommandResult } from './main.ts';
import type { Io } from './print.ts';
import { progressPrinter } from './progress.ts';
import { writeSummary } from './write.ts';
import { AUDITMARK_VERSION } from './version.ts';

const BUILD_FORMATS = ['md', 'html', 'pdf', 'json', 'sarif'] as const;

/** `auditmark build`: scans + checklist + config → a verifiable bundle of audit documents. */
export async function build(argv: string[], io: Io): Promise<CommandResult> {
  const p = parse('build', argv, {
    scan: { type: 'string', multiple: true },
    checklist: { type: 'string' },
    config: { type: 'string' },
    template: { type: 'string' },
    'templates-dir': { type: 'string' },
    format: { type: 'string' },
    'format-in': { type: 'string' },
    out: { type: 'string' },
    baseline: { type: 'string' },
    'fail-on': { type: 'string', multiple: true },
    summary: { type: 'string' },
    sign: { type: 'string' },
    chrome: { type: 'string' },
    paper: { type: 'string' },
    project: { type: 'string' },
    'app-version': { type: 'string' },
    classification: { type: 'string' },
    'allow-symlinks': { type: 'boolean' },
  });
  if (!p.ok) return { diagnostics: [p.diagnostic], exitCode: 2 };
  const v = p.values;
  const diagnostics: Diagnostic[] = [];
  let phase: Phase = 'prepare';
  const done = (gateResults: GateResult[] = []): CommandResult => ({ diagnostics, exitCode: exitCode({ diagnostics, gateResults, phase }) });

  if (p.positionals.length) diagnostics.push(diag('usage/invalid', 'error', `build: unexpected argument "${p.positionals[0]}"`, { fix: 'pass scanner files with --scan <file>' }));
  if (!v.scan?.length) diagnostics.push(missing('build', 'no --scan file given', 'auditmark build --scan bandit.json --out report/'));
  const formats = parseFormats(v.format, BUILD_FORMATS, ['md', 'html', 'pdf', 'json']);
  diagnostics.push(...formats.diagnostics);
  if (v.paper && v.paper !== 'A4' && v.paper !== 'Letter') diagnostics.push(diag('usage/invalid', 'error', `--paper ${v.paper}`, { expected: 'A4 or Letter', fix: '--paper A4' }));
  const { gates, diagnostics: gateProblems } = parseGates(v['fail-on'], 'build');
  diagnostics.push(...gateProblems);
  const clock = resolveClock(process.env);
  diagnostics.push(...clock.diagnostics);
  const cfg = loadConfig(v.config);
  diagnostics.push(...cfg.diagnostics);
  const lim = resolveLimits(cfg.config, v.limit);
  diagnostics.push(...lim.diagnostics);
  // The signing key is read and checked before anything is rendered: a wrong or missing key is
  // bad input (exit 2), reported at once rather than after printing the PDF.
  let signingKey: string | undefined;
  if (v.sign) {
    const key = readKey(v.sign);
    if ('diagnostic' in key) diagnostics.push(key.diagnostic);
    else {
      diagnostics.push(...signManifest(new Uint8Array(), key.pem).diagnostics.map((d) => ({ ...d, file: v.sign })));
      signingKey = key.pem;
    }
  }
  if (hasErrors(diagnostics)) return done();

  const scans = readScans(v.scan ?? [], lim.limits);
  const state = readText(v.checklist, lim.limits);
  const definition = readText(checklistDefinitionPath(cfg.config), lim.limits);
  diagnostics.push(...scans.diagnostics, ...state.diagnostics, ...definition.diagnostics);
  const templates = loadAllTemplates(v['templates-dir'] ?? cfg.config?.options.templatesDir);
  diagnostics.push(...templates.diagnostics);
  if (hasErrors(diagnostics)) return done();

  const overrides: ConfigOptions = {
    ...(v.project ? { project: v.project } : {}),
    ...(v['app-version'] ? { version: v['app-version'] } : {}),
    ...(v.classification ? { classification: v.classification } : {}),
    ...(v.template ? { template: v.template } : {}),
    ...(v.paper ? { paper: v.paper as 'A4' | 'Letter' } : {}),
    limits: lim.limits,
  };
  const planned = planBuild({
    scans: scans.scans,
    readerFormat: v['format-in'],
    config: cfg.config,
    overrides,
    checklistState: state.input,
    checklistDefinition: definition.input,
    templates: templates.templates,
    now: clock.now,
    auditmarkVersion: AUDITMARK_VERSION,
    git: v.scan?.[0] ? gitInfo(v.scan[0]) : undefined,
    hashEvidence: evidenceHasher(v.checklist),
  });
  diagnostics.push(...planned.diagnostics);
  if (!planned.plan || hasErrors(diagnostics)) return done();
  const plan = planned.plan;

  let baselineDiff: ReportDiff | undefined;
  if (v.baseline) {
    const side = loadSide(v.baseline, lim.limits, { templates: templates.templates, config: cfg.config, now: clock.now });
    diagnostics.push(...side.diagnostics);
    if (!side.report) return done();
    baselineDiff = diffReports(side.report, plan.report, { created: plan.report.metadata.created });
  }

  phase = 'render';
  try {
    const rendered = await renderOutputs(plan, formats.formats, {
      chromePath: v.chrome, env: process.env, baseline: baselineDiff,
      onProgress: progressPrinter(io, v.quiet === true || v.json === true, 'printing PDF'),
    });
    diagnostics.push(...rendered.diagnostics);
    if (hasErrors(rendered.diagnostics)) return done();
    const sizes = new Map<string, number>(scans.scans.map((s) => [s.file, s.bytes.byteLength]));
    if (cfg.config) sizes.set(cfg.config.file, cfg.config.bytes);
    if (state.input) sizes.set(state.input.file, Buffer.byteLength(state.input.text, 'utf8'));
    const files = bundleFiles(plan, rendered.files, rendered.chromium, sizes);
    if (signingKey !== undefined) {
      const manifest = files.find((f) => f.name === 'manifest.json')!;
      const s = signManifest(manifest.bytes, signingKey);
      diagnostics.push(...s.diagnostics);
      if (!s.signature) return done();
      files.push({ name: SIGNATURE_FILE, bytes: Buffer.from(s.signature, 'utf8') });
    }
    phase = 'write';
    const written = await writeOutputs(v.out ?? 'audit-report', files, { allowSymlinks: v['allow-symlinks'] === true });
    diagnostics.push(...written.diagnostics);
    if (hasErrors(written.diagnostics)) return done();
    diagnostics.push(...(await writeSummary(plan.report, v.summary, process.env)));
  } finally {
    await closeBrowser();
  }
  phase = 'done';
  const gateResults = evaluateGates(gates, plan.report);
  for (const g of gateResults.filter((r) => r.failed)) diagnostics.push(diag('gate/failed', 'error', `${g.gate}: ${g.reason}`, { fix: 'resolve what the gate names, or change the --fail-on policy' }));
  return { diagnostics, exitCode: exitCode({ diagnostics, gateResults, phase }) };
}

/** The output set of a build: documents plus `manifest.json` hashing every output and input. */
function bundleFiles(plan: BuildPlan, outputs: OutputFile[], chromium: string | undefined, inputSizes: ReadonlyMap<string, number>): OutputFile[] {
  const report: Report = plan.report;
  const manifest = buildManifest({
    kind: 'report',
    metadata: report.metadata,
    chromium,
    ...reportProvenance(report),
    inputs: report.inputs.map((i) => ({ path: i.path, sha256: i.sha256, bytes: inputSizes.get(i.path) ?? 0, kind: i.kind })),
    outputs,
  });
  return [...outputs, { name: 'manifest.json', bytes: serializeManifest(manifest) }];
}

function readKey(path: string): { pem: string } | { diagnostic: Diagnostic } {
  try {
    return { pem: readFileSync(path, 'utf8') };
  } catch (e) {
    return { diagnostic: diag('usage/key-unreadable', 'error', `cannot read signing key: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: path, fix: 'generate one with `openssl genpkey -algorithm ed25519 -out key.pem`' }) };
  }
}
