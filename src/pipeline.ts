/**
 * The stages composed, in one place. `build` and `diff` are the whole product: the CLI parses
 * argv into their options and prints what they return; library users call them directly.
 *
 *   read (bundle) ──▶ plan (pure: ingest → settings → enrich → compose) ──▶ render ──▶ bundle ──▶ write ──▶ gates
 *
 * Chromium is started at the beginning of a build that prints a PDF, while the inputs are read
 * and planned, and closed at the end unless the caller passed its own browser.
 */
import { assembleBundle } from './bundle/bundle.ts';
import { prepareBuild, prepareDiff, prepareHistory, type BuildOptions, type DiffOptions, type HistoryCommandOptions } from './bundle/prepare.ts';
import { reportProvenance } from './bundle/manifest.ts';
import { writeOutputs, writeStepSummary, type OutputFile } from './bundle/write.ts';
import { diffReports } from './diff/diff.ts';
import { diag, hasErrors, type Diagnostic } from './model/diagnostics.ts';
import type { ReportDiff } from './model/diff.ts';
import type { Limits } from './model/limits.ts';
import type { Report } from './model/report.ts';
import { assembleReport, planBuild, planDiff, planHistory, checkReportJson, isReportJson, type AssembleInput } from './plan.ts';
import type { ReportHistory } from './model/history.ts';
import { historyTrendSvg } from './render/trend-chart.ts';
import type { HistoryInput } from './diff/history.ts';
import { exitCode } from './policy/exit-code.ts';
import { evaluateGates, type Gate } from './policy/gates.ts';
import { openBrowser, type BrowserResource } from './render/pdf/browser.ts';
import { diffMetadata, renderDocument, renderReport, type RenderResources } from './render/render.ts';
import { AUDITMARK_VERSION } from './bundle/version.ts';
import { toStepSummary } from './render/summary.ts';
import type { ReadSide } from './bundle/side.ts';
import type { EarlierReport } from './diff/first-seen.ts';

export type { BuildOptions, DiffOptions, HistoryCommandOptions } from './bundle/prepare.ts';

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
  try {
    const diagnostics = [...prep.diagnostics];
    const baseline = prep.ready.baseline ? sideReport(prep.ready.baseline, prep.ready.assemble, prep.ready.limits, diagnostics) : undefined;
    const earlier = earlierReports(prep.ready.baseline, baseline, prep.ready.history, prep.ready.limits, diagnostics);
    if (hasErrors(diagnostics)) return finish(diagnostics);
    const planned = planBuild({ ...prep.ready.assemble, earlier });
    diagnostics.push(...planned.diagnostics);
    if (!planned.plan || hasErrors(diagnostics)) return finish(diagnostics);
    const { report, settings } = planned.plan;
    const doc = { base: 'report' as const, markdown: planned.plan.markdown, twin: report, metadata: report.metadata, report, paper: settings.paper, limits: settings.limits };
    const rendered = await renderReport(doc, prep.formats, browser.resources(resources), baseline && diffReports(baseline, report, { created: report.metadata.created }));
    const inputs = report.inputs.map((i) => ({ ...i, bytes: prep.ready!.inputBytes.get(i.path) ?? 0 }));
    const bundle = assembleBundle({ kind: 'report', metadata: report.metadata, provenance: reportProvenance(report), inputs, outputs: rendered.files, chromium: rendered.chromium, signingKey: prep.ready.signingKey });
    return await deliver(diagnostics, [rendered.diagnostics, bundle.diagnostics], bundle.files, options, report, prep.gates, () => toStepSummary(report));
  } finally {
    await browser.close();
  }
}

/** `auditmark diff <baseline> <current>`: what changed, as data first, then documents and gates. */
export async function diff(options: DiffOptions, resources: PipelineResources = {}): Promise<PipelineResult<ReportDiff>> {
  const prep = prepareDiff(options);
  if (!prep.ready) return finish(prep.diagnostics);
  const browser = lazyBrowser(prep.formats.includes('pdf'), options, resources, prep.ready.limits.renderTimeoutMs);
  try {
    const diagnostics = [...prep.diagnostics];
    const base = sideReport(prep.ready.baseline, prep.ready.assemble, prep.ready.limits, diagnostics);
    const cur = sideReport(prep.ready.current, prep.ready.assemble, prep.ready.limits, diagnostics);
    if (!base || !cur || hasErrors(diagnostics)) return finish(diagnostics);
    const planned = planDiff(base, cur, prep.ready.assemble.templates, prep.ready.settings, prep.ready.assemble.now);
    diagnostics.push(...planned.diagnostics);
    if (!planned.plan) return finish(diagnostics);
    const { diff: result, template, settings } = planned.plan;
    const metadata = diffMetadata(result, cur.metadata, template);
    const doc = { base: 'diff' as const, markdown: planned.plan.markdown, twin: result, metadata, paper: settings.paper, limits: settings.limits };
    const rendered = await renderDocument(doc, prep.formats, browser.resources(resources));
    const inputs = [...sideInputs('baseline', prep.ready.baseline, base), ...sideInputs('current', prep.ready.current, cur)];
    const bundle = assembleBundle({ kind: 'diff', metadata, provenance: reportProvenance(cur), inputs, outputs: rendered.files, chromium: rendered.chromium });
    return await deliver(diagnostics, [rendered.diagnostics, bundle.diagnostics], bundle.files, options, result, prep.gates, () => toStepSummary(result));
  } finally {
    await browser.close();
  }
}

/** The trend chart file written beside history.md. */
const HISTORY_CHART = 'history-trend.svg';

/**
 * `auditmark history <report…>`: release reports → history.md|html|pdf|json and a trend chart.
 * Every input must be a report.json (or a build directory holding one) this auditmark wrote.
 */
export async function history(options: HistoryCommandOptions, resources: PipelineResources = {}): Promise<PipelineResult<ReportHistory>> {
  const prep = prepareHistory(options);
  if (!prep.ready) return finish(prep.diagnostics);
  const ready = prep.ready;
  const browser = lazyBrowser(prep.formats.includes('pdf'), options, resources, ready.limits.renderTimeoutMs);
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
    const planned = planHistory(inputs, ready.templates, ready.settings, ready.now, AUDITMARK_VERSION, HISTORY_CHART);
    diagnostics.push(...planned.diagnostics);
    if (!planned.plan) return finish(diagnostics);
    const h = planned.plan.history;
    const metadata = historyMetadata(h, planned.plan.template);
    // renderDocument names files after its base; a history is rendered as a diff-like document and renamed.
    const doc = { base: 'diff' as const, markdown: planned.plan.markdown, twin: h, metadata, paper: ready.settings.paper, limits: ready.settings.limits };
    const rendered = await renderDocument(doc, prep.formats, browser.resources(resources));
    const outputs = [
      ...rendered.files.map((f) => ({ ...f, name: f.name.replace(/^diff\./, 'history.') })),
      ...(rendered.diagnostics.some((d) => d.level === 'error') ? [] : [{ name: HISTORY_CHART, bytes: Buffer.from(historyTrendSvg(h), 'utf8') }]),
    ];
    const sizes = new Map(ready.sides.flatMap((s) => (s.kind === 'json' ? [[s.file, s.bytes] as const] : [])));
    const bundleInputs = [
      ...inputs.map((i) => ({ path: i.file, sha256: i.sha256, bytes: sizes.get(i.file) ?? 0, kind: 'history-report', documentId: i.report.metadata.documentId })),
      ...(ready.config ? [{ path: ready.config.file, sha256: ready.config.sha256, bytes: ready.config.bytes, kind: 'config' }] : []),
    ];
    const last = inputs.at(-1)?.report;
    const bundle = assembleBundle({ kind: 'history', metadata, provenance: last ? reportProvenance(last) : { mappingData: [], tools: [] }, inputs: bundleInputs, outputs, chromium: rendered.chromium });
    diagnostics.push(...rendered.diagnostics, ...bundle.diagnostics);
    if (hasErrors(diagnostics)) return finish(diagnostics);
    const written = await writeOutputs(options.out ?? 'audit-history', bundle.files, { allowSymlinks: options.allowSymlinks === true });
    diagnostics.push(...written.diagnostics);
    if (hasErrors(written.diagnostics)) return finish(diagnostics);
    return { exitCode: exitCode(diagnostics), diagnostics, value: h, files: bundle.files };
  } finally {
    await browser.close();
  }
}

/** The history document's own metadata (its id, date and title), with the project facts of the series. */
function historyMetadata(h: ReportHistory, template: { id: string; version: string }): Report['metadata'] {
  const m = h.metadata;
  const meta: Report['metadata'] = {
    title: m.title,
    purpose: `Security evidence over ${h.releases.length} releases`,
    description: 'Open findings by severity, new and fixed counts, status, SLA breaches and time to remediate per release.',
    project: m.project,
    documentVersion: '1.0',
    documentStatus: 'final',
    classification: m.classification,
    language: m.language,
    created: m.created,
    template: { id: template.id, version: template.version },
    auditmarkVersion: m.auditmarkVersion,
    documentId: m.documentId,
  };
  for (const k of ['license', 'copyright', 'author', 'distributedBy', 'repository'] as const) if (m[k] !== undefined) meta[k] = m[k];
  return meta;
}

/** Render/bundle problems end the run; otherwise write, append the step summary, and decide gates. */
async function deliver<T extends Report | ReportDiff>(
  diagnostics: Diagnostic[], later: Diagnostic[][], files: OutputFile[], options: { out?: string; summary?: string; allowSymlinks?: boolean; env?: Readonly<Record<string, string | undefined>> },
  value: T, gates: readonly Gate[], summary: () => string,
): Promise<PipelineResult<T>> {
  for (const d of later) diagnostics.push(...d);
  if (hasErrors(diagnostics)) return finish(diagnostics);
  const written = await writeOutputs(options.out ?? (isDiff(value) ? 'audit-diff' : 'audit-report'), files, { allowSymlinks: options.allowSymlinks === true });
  diagnostics.push(...written.diagnostics);
  if (hasErrors(written.diagnostics)) return finish(diagnostics);
  diagnostics.push(...(await writeStepSummary(summary(), options.summary, options.env ?? process.env)));
  for (const g of evaluateGates(gates, value).filter((r) => r.failed)) {
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
  const own = !resources.browser && needed ? openBrowser({ explicitPath: options.chrome, env: options.env ?? process.env, protocolTimeoutMs: renderTimeoutMs + 10_000 }) : undefined;
  return {
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
