/**
 * The stages composed, in one place. `build` and `diff` are the whole product: the CLI parses
 * argv into their options and prints what they return; library users call them directly.
 *
 *   read (bundle) ──▶ plan (pure: ingest → settings → enrich → compose) ──▶ render ──▶ bundle ──▶ write ──▶ gates
 *
 * Composing (nunjucks, the Markdown parser) and the renderers load on first use (`import()`):
 * a build that writes only report.json, SARIF or OSCAL composes no document and loads neither.
 *
 * Chromium is started at the beginning of a build that prints a PDF, while the inputs are read
 * and planned, and closed at the end unless the caller passed its own browser.
 */
import { assembleBundle } from './bundle/bundle.ts';
import { DEFAULT_OUT, prepareBuild, prepareDiff, prepareHistory, type BuildOptions, type DiffOptions, type HistoryCommandOptions } from './bundle/prepare.ts';
import { reportProvenance } from './bundle/manifest.ts';
import { writeOutputs, writeStepSummary, type OutputFile } from './bundle/write.ts';
import { diffReports } from './diff/diff.ts';
import { diag, hasErrors, type Diagnostic } from './model/diagnostics.ts';
import type { ReportDiff } from './model/diff.ts';
import type { ComposedDocument } from './compose/compose.ts';
import type { Limits } from './model/limits.ts';
import type { Report } from './model/report.ts';
import { assembleReport, checkReportJson, isReportJson, type AssembleInput } from './plan/assemble-report.ts';
import type { ReportHistory } from './model/history.ts';
import type { HistoryInput } from './diff/history.ts';
import { exitCode } from './policy/exit-code.ts';
import { evaluateGates, type GateResult } from './policy/gates.ts';
import type { BrowserResource } from './render/pdf/browser.ts';
import { openBrowser } from './render/pdf-stack.ts';
import { renderDocument, renderReport, type RenderResources } from './render/render.ts';
import { AUDITMARK_VERSION } from './bundle/version.ts';
import type { ReadSide } from './bundle/side.ts';
import type { EarlierReport } from './diff/first-seen.ts';

export type { BuildOptions, DiffOptions, HistoryCommandOptions } from './bundle/prepare.ts';

/** The formats that are renderings of the composed document (json, sarif and oscal come from the Report). */
const DOCUMENT_FORMATS: readonly string[] = ['md', 'html', 'pdf'];

/** What a caller may lend the pipeline. */
export interface PipelineResources {
  /** A browser the caller owns (reused across builds, closed by the caller). Default: one is opened and closed per call. */
  browser?: BrowserResource;
  /** PDF progress: parts printed so far and in all. */
  onProgress?: (done: number, total: number) => void;
}

/** What `build` and `diff` return: the exit code the CLI would use, every diagnostic, and what was written. */
export interface PipelineResult<T> {
  exitCode: number;
  diagnostics: Diagnostic[];
  /** The report or diff (also when a gate failed); absent when the inputs were unusable. */
  value?: T;
  /** The files written into `out`, manifest included. */
  files: OutputFile[];
}

/** `auditmark build`: scans + checklist + config → a verifiable bundle of audit documents. */
export async function build(options: BuildOptions, resources: PipelineResources = {}): Promise<PipelineResult<Report>> {
  const prep = prepareBuild(options);
  if (!prep.ready) return finish(prep.diagnostics);
  const browser = lazyBrowser(prep.formats.includes('pdf'), options, resources, prep.ready.limits.renderTimeoutMs);
  await browser.started;
  try {
    const diagnostics = [...prep.diagnostics];
    const baseline = prep.ready.baseline ? sideReport(prep.ready.baseline, prep.ready.assemble, prep.ready.limits, diagnostics) : undefined;
    const earlier = earlierReports(prep.ready.baseline, baseline, prep.ready.history, prep.ready.limits, diagnostics);
    if (hasErrors(diagnostics)) return finish(diagnostics);
    const assembled = assembleReport({ ...prep.ready.assemble, earlier });
    diagnostics.push(...assembled.diagnostics);
    if (!assembled.assembled || hasErrors(diagnostics)) return finish(diagnostics);
    const { report, settings } = assembled.assembled;
    // Only md, html and pdf render the composed document; report.json, SARIF, OSCAL, the step
    // summary and the manifest are made from the Report. So a build without them does not
    // compose: the template's id@version is recorded all the same (assembleReport selected it),
    // but problems found only while composing it (template syntax, lint) are not reported then.
    let document: ComposedDocument | undefined;
    if (DOCUMENT_FORMATS.some((f) => prep.formats.includes(f))) {
      const composed = (await import('./plan.ts')).composeBuild(assembled.assembled, prep.ready.assemble.templates);
      diagnostics.push(...composed.diagnostics);
      if (!composed.document || hasErrors(diagnostics)) return finish(diagnostics);
      document = composed.document;
    }
    const inputs = report.inputs.map((i) => ({ ...i, bytes: prep.ready!.inputBytes.get(i.path) ?? 0 }));
    const signing = prep.ready.pdfSigning && { ...prep.ready.pdfSigning, signingTime: new Date(), reason: `Approval of audit record ${report.metadata.documentId}` };
    const doc = { base: 'report' as const, document, twin: report, inputs, paper: settings.paper, limits: settings.limits, pdfParts: options.pdfOnePart ? 'one' as const : 'auto' as const, ...(signing ? { signing } : {}) };
    const rendered = await renderReport(doc, prep.formats, browser.resources(resources), baseline && diffReports(baseline, report, { created: report.metadata.created }));
    // Gates only need the report: decided before bundling so the attestation carries the verdicts;
    // the exit code still follows from them after writing (deliver).
    const verdicts = evaluateGates(prep.gates, report);
    const bundle = assembleBundle({ kind: 'report', metadata: report.metadata, provenance: reportProvenance(report), inputs, outputs: rendered.files, chromium: rendered.chromium, verdict: { status: report.status, gates: verdicts }, signingKey: prep.ready.signingKey });
    return await deliver(diagnostics, [rendered.diagnostics, bundle.diagnostics], bundle.files, options, report, verdicts, async () => (await import('./render/summary.ts')).toStepSummary(report));
  } finally {
    await browser.close();
  }
}

/** `auditmark diff <baseline> <current>`: what changed, as data first, then documents and gates. */
export async function diff(options: DiffOptions, resources: PipelineResources = {}): Promise<PipelineResult<ReportDiff>> {
  const prep = prepareDiff(options);
  if (!prep.ready) return finish(prep.diagnostics);
  const browser = lazyBrowser(prep.formats.includes('pdf'), options, resources, prep.ready.limits.renderTimeoutMs);
  await browser.started;
  try {
    const diagnostics = [...prep.diagnostics];
    const base = sideReport(prep.ready.baseline, prep.ready.assemble, prep.ready.limits, diagnostics);
    const cur = sideReport(prep.ready.current, prep.ready.assemble, prep.ready.limits, diagnostics);
    if (!base || !cur || hasErrors(diagnostics)) return finish(diagnostics);
    const planned = (await import('./plan.ts')).planDiff(base, cur, prep.ready.assemble.templates, prep.ready.settings, prep.ready.assemble.now);
    diagnostics.push(...planned.diagnostics);
    if (!planned.plan) return finish(diagnostics);
    const { diff: result, settings, document } = planned.plan;
    const inputs = [...sideInputs('baseline', prep.ready.baseline, base), ...sideInputs('current', prep.ready.current, cur)];
    const doc = { base: 'diff' as const, document, twin: result, inputs, paper: settings.paper, limits: settings.limits };
    const rendered = await renderDocument(doc, prep.formats, browser.resources(resources));
    const verdicts = evaluateGates(prep.gates, result);
    const bundle = assembleBundle({ kind: 'diff', metadata: document.meta, provenance: reportProvenance(cur), inputs, outputs: rendered.files, chromium: rendered.chromium, verdict: { status: cur.status, gates: verdicts } });
    return await deliver(diagnostics, [rendered.diagnostics, bundle.diagnostics], bundle.files, options, result, verdicts, async () => (await import('./render/summary.ts')).toStepSummary(result));
  } finally {
    await browser.close();
  }
}

/**
 * `auditmark history <report…>`: release reports → history.md|html|pdf|json, the trend chart
 * drawn in the document itself. Every input must be a report.json (or a build directory holding
 * one) this auditmark wrote.
 */
export async function history(options: HistoryCommandOptions, resources: PipelineResources = {}): Promise<PipelineResult<ReportHistory>> {
  const prep = prepareHistory(options);
  if (!prep.ready) return finish(prep.diagnostics);
  const ready = prep.ready;
  const browser = lazyBrowser(prep.formats.includes('pdf'), options, resources, ready.limits.renderTimeoutMs);
  await browser.started;
  try {
    const diagnostics = [...prep.diagnostics];
    const inputs: HistoryInput[] = [];
    for (const side of ready.sides) {
      if (side.kind !== 'json' || !isReportJson(side.value)) {
        diagnostics.push(diag('history/not-a-report', 'error', 'not a report.json written by auditmark build', {
          ...(side.kind === 'json' ? { file: side.file } : side.scans[0] ? { file: side.scans[0].file } : {}), expected: 'a report.json or a build output directory', fix: 'pass each release\'s build directory or its report.json',
        }));
        continue;
      }
      const problems = checkReportJson(side.value, side.file, ready.limits);
      diagnostics.push(...problems);
      if (!hasErrors(problems)) inputs.push({ report: side.value, file: side.file, sha256: side.sha256 });
    }
    if (hasErrors(diagnostics)) return finish(diagnostics);
    const planned = (await import('./plan.ts')).planHistory(inputs, ready.templates, ready.settings, ready.now, AUDITMARK_VERSION);
    diagnostics.push(...planned.diagnostics);
    if (!planned.plan) return finish(diagnostics);
    const { history: h, document } = planned.plan;
    const sizes = new Map(ready.sides.flatMap((s) => (s.kind === 'json' ? [[s.file, s.bytes] as const] : [])));
    const bundleInputs = [
      ...inputs.map((i) => ({ path: i.file, sha256: i.sha256, bytes: sizes.get(i.file) ?? 0, kind: 'history-report', documentId: i.report.metadata.documentId })),
      ...(ready.config ? [{ path: ready.config.file, sha256: ready.config.sha256, bytes: ready.config.bytes, kind: 'config' }] : []),
    ];
    const doc = { base: 'history' as const, document, twin: h, inputs: bundleInputs, paper: ready.settings.paper, limits: ready.settings.limits };
    const rendered = await renderDocument(doc, prep.formats, browser.resources(resources));
    // The series is as good as its last release: the attestation carries that release's status.
    const lastId = h.releases.at(-1)?.documentId;
    const last = inputs.find((i) => i.report.metadata.documentId === lastId)?.report;
    const verdict = { status: { overall: last?.status.overall ?? 'REMEDIATION REQUIRED' as const, reasons: [...(last?.status.reasons ?? [])] }, gates: [] };
    const bundle = assembleBundle({ kind: 'history', metadata: document.meta, provenance: last ? reportProvenance(last) : { mappingData: [], tools: [] }, inputs: bundleInputs, outputs: rendered.files, chromium: rendered.chromium, verdict });
    diagnostics.push(...rendered.diagnostics, ...bundle.diagnostics);
    if (hasErrors(diagnostics)) return finish(diagnostics);
    const written = await writeOutputs(options.out ?? DEFAULT_OUT.history, bundle.files, { allowSymlinks: options.allowSymlinks === true });
    diagnostics.push(...written.diagnostics);
    if (hasErrors(written.diagnostics)) return finish(diagnostics);
    return { exitCode: exitCode(diagnostics), diagnostics, value: h, files: bundle.files };
  } finally {
    await browser.close();
  }
}

/** Render/bundle problems end the run; otherwise write, append the step summary, and decide gates. */
async function deliver<T extends Report | ReportDiff>(
  diagnostics: Diagnostic[], later: Diagnostic[][], files: OutputFile[], options: { out?: string; summary?: string; allowSymlinks?: boolean; env?: Readonly<Record<string, string | undefined>> },
  value: T, verdicts: readonly GateResult[], summary: () => Promise<string>,
): Promise<PipelineResult<T>> {
  for (const d of later) diagnostics.push(...d);
  if (hasErrors(diagnostics)) return finish(diagnostics);
  const written = await writeOutputs(options.out ?? DEFAULT_OUT[isDiff(value) ? 'diff' : 'build'], files, { allowSymlinks: options.allowSymlinks === true });
  diagnostics.push(...written.diagnostics);
  if (hasErrors(written.diagnostics)) return finish(diagnostics);
  diagnostics.push(...(await writeStepSummary(summary, options.summary, options.env ?? process.env, { allowSymlinks: options.allowSymlinks === true })));
  for (const g of verdicts.filter((r) => r.failed)) {
    diagnostics.push(diag('gate/failed', 'error', `${g.gate}: ${g.reason}`, { fix: 'resolve what the gate names, or change the --fail-on policy' }));
  }
  return { exitCode: exitCode(diagnostics), diagnostics, value, files };
}

function finish<T>(diagnostics: Diagnostic[]): PipelineResult<T> {
  return { exitCode: exitCode(diagnostics), diagnostics, files: [] };
}

const isDiff = (x: Report | ReportDiff): x is ReportDiff => (x as ReportDiff).kind === 'diff';

/** A side as a Report: a checked report.json, or its scans assembled with the same settings as the other side. */
function sideReport(side: ReadSide, assemble: AssembleInput, limits: Limits, diagnostics: Diagnostic[]): Report | undefined {
  if (side.kind === 'json' && isReportJson(side.value)) {
    const problems = checkReportJson(side.value, side.file, limits);
    diagnostics.push(...problems);
    return hasErrors(problems) ? undefined : side.value;
  }
  const a = assembleReport({ ...assemble, scans: side.scans, git: undefined });
  diagnostics.push(...a.diagnostics);
  return a.assembled?.report;
}

/**
 * The reports that date first-seen: a `--baseline` given as a report.json (a baseline assembled
 * from scan files has no date of its own) and every `--history` report, which must be one.
 */
function earlierReports(baselineSide: ReadSide | undefined, baseline: Report | undefined, history: readonly ReadSide[], limits: Limits, diagnostics: Diagnostic[]): EarlierReport[] {
  const out: EarlierReport[] = [];
  if (baselineSide?.kind === 'json' && baseline) out.push({ report: baseline, from: 'baseline', file: baselineSide.file, sha256: baselineSide.sha256 });
  for (const h of history) {
    if (h.kind !== 'json' || !isReportJson(h.value)) {
      diagnostics.push(diag('history/not-a-report', 'error', '--history takes a report.json or a build directory, not scanner output', {
        ...(h.kind === 'json' ? { file: h.file } : h.scans[0] ? { file: h.scans[0].file } : {}), expected: 'a report.json written by auditmark build', fix: 'pass the earlier build\'s output directory or its report.json',
      }));
      continue;
    }
    const problems = checkReportJson(h.value, h.file, limits);
    diagnostics.push(...problems);
    if (!hasErrors(problems)) out.push({ report: h.value, from: 'history', file: h.file, sha256: h.sha256 });
  }
  return out;
}

/** A diff side in the manifest: the report.json (with its document id) or each scan file. */
function sideInputs(which: 'baseline' | 'current', side: ReadSide, report: Report) {
  if (side.kind === 'json' && isReportJson(side.value)) return [{ path: side.file, sha256: side.sha256, bytes: side.bytes, kind: `${which}-report`, documentId: report.metadata.documentId }];
  const bytes = new Map(side.scans.map((s) => [s.file, s.bytes.byteLength]));
  return report.inputs.map((i) => ({ path: i.path, sha256: i.sha256, bytes: bytes.get(i.path) ?? 0, kind: `${which}-${i.kind}` }));
}

/**
 * The browser of one run: the caller's, or one launched now (in the background, while the
 * inputs are read and planned) when a PDF will be printed, and closed by `close()`.
 */
function lazyBrowser(needed: boolean, options: { chrome?: string; env?: Readonly<Record<string, string | undefined>> }, resources: PipelineResources, renderTimeoutMs: number) {
  let launched = (): void => undefined;
  const started = new Promise<void>((resolve) => (launched = resolve));
  const own = !resources.browser && needed ? openBrowser({ explicitPath: options.chrome, env: options.env ?? process.env, protocolTimeoutMs: renderTimeoutMs + 10_000, onLaunch: () => launched() }) : undefined;
  // Both ways, and never a second rejection: `own` itself is awaited (and its failure reported) later.
  if (own) void own.then(launched, launched);
  else launched();
  return {
    /**
     * Resolves once Chromium's process runs (at once when none is opened). Planning and HTML are
     * synchronous: awaited before them, Chromium boots on the other core meanwhile instead of
     * starting only when the first await after them lets the launch proceed.
     */
    started,
    resources: (r: PipelineResources): RenderResources => ({
      browser: async () => r.browser ?? (await own) ?? diag('pdf/no-browser', 'error', 'no browser was started for this render', { fix: 'include pdf in the formats' }),
      signal: AbortSignal.timeout(renderTimeoutMs),
      onProgress: r.onProgress,
    }),
    close: async () => {
      const b = await own;
      if (b && !('code' in b)) await b.close();
    },
  };
}
