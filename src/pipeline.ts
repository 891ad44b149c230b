/**
 * The stages composed, in one place:
 *
 *   raw scanner files ──ingest──▶ ScanRun[]
 *   config, checklist ──load────▶ Settings, ChecklistDefinition, ChecklistState
 *                     ──enrich──▶ Report          (assembleReport)
 *                     ──compose─▶ Markdown        (planBuild)
 *                     ──emit────▶ md/html/pdf/json/sarif bytes (renderOutputs; browser here only)
 *   two Reports       ──diff────▶ ReportDiff ──compose/emit──▶ diff.* (planDiff, renderDiffOutputs)
 *
 * Everything but `renderOutputs`/`renderDiffOutputs` is pure: file bytes, the clock, git facts
 * and evidence hashes arrive as data or injected functions. Writing files is the caller's job
 * (`writeOutputs`), so planning can never leave a half-written report behind.
 */
import { createHash } from 'node:crypto';
import semver from 'semver';
import { composeReport } from './compose/compose.ts';
import { selectTemplate, type LoadedTemplate } from './compose/template-registry.ts';
import { parseChecklistDefinition, parseChecklistState, type ChecklistDefinition, type ChecklistState } from './enrich/checklist.ts';
import { resolveSettings } from './enrich/config.ts';
import { enrich } from './enrich/enrich.ts';
import { diffReports } from './diff/diff.ts';
import { ingest, type RawInput } from './ingest/ingest.ts';
import { diag, hasErrors, type Diagnostic } from './model/diagnostics.ts';
import type { ConfigOptions, Settings } from './model/config.ts';
import type { ReportDiff } from './model/diff.ts';
import type { InputRecord, Report } from './model/report.ts';
import { REPORT_SCHEMA_VERSION } from './model/report.ts';
import { renderHtmlWithin } from './emit/render-html-bounded.ts';
import { toPdf } from './emit/to-pdf.ts';
import { toSarif } from './emit/to-sarif.ts';
import type { OutputFile } from './emit/write-output.ts';
import { composeDiff } from './diff/compose-diff.ts';

/** A text input with its path as given. */
export interface TextInput {
  file: string;
  text: string;
}

/** Everything a build needs, as data. */
export interface BuildInput {
  scans: RawInput[];
  /** Reader id for every scan file, or `auto`. */
  readerFormat?: string;
  /** The configuration file, already parsed (the CLI needs its limits before reading inputs). */
  config?: { file: string; sha256: string; options: ConfigOptions };
  /** CLI flags: the last and strongest configuration layer. */
  overrides?: ConfigOptions;
  checklistState?: TextInput;
  /** A checklist definition file (config `checklist:` naming a path); default: the template's own. */
  checklistDefinition?: TextInput;
  /** Every loaded template (shipped + project-local); the selector picks one. */
  templates: readonly LoadedTemplate[];
  /** The injected clock. */
  now: Date;
  auditmarkVersion: string;
  git?: { commit: string; date: string };
  /** Current sha256 of an evidence file named in the checklist state, or null when missing. Injected effect. */
  hashEvidence?: (path: string) => string | null;
}

/** A report assembled from evidence, before any document is composed. */
export interface AssembledReport {
  settings: Settings;
  template: LoadedTemplate;
  report: Report;
}

/** A build whose content is decided: the report and its Markdown document. */
export interface BuildPlan extends AssembledReport {
  markdown: string;
}

const sha256 = (text: string | Uint8Array) => createHash('sha256').update(text).digest('hex');

/**
 * ingest + load + enrich: raw inputs to a Report. Returns diagnostics for every problem of
 * every input; `report` is absent when any error makes the report untrustworthy.
 */
export function assembleReport(input: BuildInput): { assembled?: AssembledReport; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const settings = resolveSettings(input.config?.options ?? {}, input.overrides ?? {});
  const ingested = ingest(input.scans, { format: input.readerFormat ?? 'auto', limits: settings.limits });
  diagnostics.push(...ingested.diagnostics);

  const reportTemplates = input.templates.filter((t) => t.manifest.kind === 'report');
  const selected = selectTemplate(reportTemplates, settings.template);
  diagnostics.push(...selected.diagnostics);
  const template = selected.template;

  // The checklist definition: a file named by config `checklist:` (read by the caller), else the
  // one shipped with the template; a config selector `id@range` must match that one.
  let definition: ChecklistDefinition | undefined;
  const shipped = template?.manifest.checklist;
  const source = input.checklistDefinition ?? (shipped && template?.files[shipped] !== undefined ? { file: `${template.dir}/${shipped}`, text: template.files[shipped]! } : undefined);
  if (source) {
    const d = parseChecklistDefinition(source.text, source.file, settings.limits);
    if (d.ok) definition = d.value;
    else diagnostics.push(...d.diagnostics);
  }
  if (definition && settings.checklist && !input.checklistDefinition) {
    const [id, range = '*'] = settings.checklist.split('@');
    if (id !== definition.id || !semver.satisfies(definition.version, range)) {
      diagnostics.push(diag('config/checklist-not-found', 'error', `config checklist "${settings.checklist}" does not match the available definition ${definition.id}@${definition.version}`, {
        file: input.config?.file, pointer: '/checklist', expected: `${definition.id}@<range matching ${definition.version}>, or the path of a checklist definition file`,
        fix: 'name a definition file (e.g. checklist: ./checklist.yaml) or a selector that matches the template\'s checklist',
      }));
    }
  }
  let state: ChecklistState | undefined;
  if (input.checklistState) {
    const s = parseChecklistState(input.checklistState.text, input.checklistState.file, settings.limits);
    if (s.ok) state = s.value;
    else diagnostics.push(...s.diagnostics);
  }
  if (hasErrors(diagnostics) || !template) return { diagnostics };

  const evidenceHashes: Record<string, string | null> = {};
  for (const a of state?.attestations ?? []) {
    for (const e of a.evidence ?? []) {
      if (e.file && input.hashEvidence && !(e.file in evidenceHashes)) evidenceHashes[e.file] = input.hashEvidence(e.file);
    }
  }
  const inputs: InputRecord[] = [
    ...ingested.runs.map((r) => ({ path: r.source.path, sha256: r.source.sha256, kind: 'scan' as const })),
    ...(input.checklistState ? [{ path: input.checklistState.file, sha256: sha256(input.checklistState.text), kind: 'checklist' as const }] : []),
    ...(input.config ? [{ path: input.config.file, sha256: input.config.sha256, kind: 'config' as const }] : []),
  ];
  // A multi-run SARIF file yields several runs from one input: record each file once.
  const uniqueInputs = inputs.filter((r, i) => inputs.findIndex((o) => o.path === r.path && o.kind === r.kind) === i);
  const enriched = enrich({
    runs: ingested.runs,
    settings,
    now: input.now,
    inputs: uniqueInputs,
    template: { id: template.id, version: template.version },
    auditmarkVersion: input.auditmarkVersion,
    checklist: definition || state ? { definition, state, file: input.checklistState?.file } : undefined,
    evidenceHashes,
    git: input.git,
  });
  diagnostics.push(...enriched.diagnostics);
  if (hasErrors(diagnostics)) return { diagnostics };
  return { assembled: { settings, template, report: enriched.report }, diagnostics };
}

/** assembleReport + compose: the whole content of a build, decided without side effects. */
export function planBuild(input: BuildInput): { plan?: BuildPlan; diagnostics: Diagnostic[] } {
  const a = assembleReport(input);
  if (!a.assembled) return { diagnostics: a.diagnostics };
  const { report, template, settings } = a.assembled;
  const composed = composeReport(report, template, { library: input.templates, limits: settings.limits });
  const diagnostics = [...a.diagnostics, ...composed.diagnostics];
  if (hasErrors(composed.diagnostics)) return { diagnostics };
  return { plan: { ...a.assembled, markdown: composed.markdown }, diagnostics };
}

/** Output formats of a build. */
export type BuildFormat = 'md' | 'html' | 'pdf' | 'json' | 'sarif';

/** Options of the rendering step (the only one that may start a browser). */
export interface RenderOptions {
  chromePath?: string;
  env?: Readonly<Record<string, string | undefined>>;
  onProgress?: (done: number, total: number) => void;
  /** For SARIF `baselineState`: a diff whose current side is this report. */
  baseline?: ReportDiff;
}

/** Stable JSON bytes for report.json and diff.json. */
export function jsonBytes(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value, null, 2) + '\n', 'utf8');
}

/**
 * Render a document's formats from its Markdown (the single source of content). HTML and PDF
 * are produced from one `renderHtml` call, so their content cannot drift apart.
 */
async function renderDocument(
  base: 'report' | 'diff',
  markdown: string,
  twin: unknown,
  metadata: Report['metadata'],
  report: Report | undefined,
  formats: readonly string[],
  settings: Settings,
  options: RenderOptions,
): Promise<{ files: OutputFile[]; chromium?: string; diagnostics: Diagnostic[] }> {
  const files: OutputFile[] = [];
  const diagnostics: Diagnostic[] = [];
  let chromium: string | undefined;
  if (formats.includes('md')) files.push({ name: `${base}.md`, bytes: Buffer.from(markdown, 'utf8') });
  if (formats.includes('json')) files.push({ name: `${base}.json`, bytes: jsonBytes(twin) });
  if (formats.includes('html') || formats.includes('pdf')) {
    // renderTimeoutMs bounds the whole render: the HTML step (in a worker, so it can be stopped)
    // and then Chromium's printing with whatever time is left.
    const started = Date.now();
    const doc = await renderHtmlWithin(markdown, { metadata, report, interactive: true, limits: settings.limits, printParts: formats.includes('pdf') }, settings.limits.renderTimeoutMs, `${base}.${formats.includes('html') ? 'html' : 'pdf'}`);
    diagnostics.push(...doc.diagnostics);
    if (hasErrors(doc.diagnostics)) return { files: [], diagnostics };
    if (formats.includes('html')) files.push({ name: `${base}.html`, bytes: Buffer.from(doc.html, 'utf8') });
    if (formats.includes('pdf')) {
      const pdf = await toPdf(doc.parts ?? [doc.html], {
        metadata, paper: settings.paper, limits: { ...settings.limits, renderTimeoutMs: Math.max(1, settings.limits.renderTimeoutMs - (Date.now() - started)) },
        onProgress: options.onProgress, chromePath: options.chromePath, env: options.env,
      });
      diagnostics.push(...pdf.diagnostics);
      if (!pdf.pdf) return { files: [], diagnostics: diagnostics.length ? diagnostics : [diag('pdf/failed', 'error', 'PDF rendering produced no document', { file: `${base}.pdf`, fix: 'run again with AUDITMARK_DEBUG=1 and report the output; the previous outputs are intact' })] };
      chromium = pdf.chromium;
      files.push({ name: `${base}.pdf`, bytes: pdf.pdf });
    }
  }
  return { files, chromium, diagnostics };
}

/** Render a planned build into output files (md, html, pdf, json, sarif). */
export async function renderOutputs(plan: BuildPlan, formats: readonly string[], options: RenderOptions = {}): Promise<{ files: OutputFile[]; chromium?: string; diagnostics: Diagnostic[] }> {
  const r = await renderDocument('report', plan.markdown, plan.report, plan.report.metadata, plan.report, formats, plan.settings, options);
  if (hasErrors(r.diagnostics)) return r;
  if (formats.includes('sarif')) {
    const s = toSarif(plan.report, { baseline: options.baseline });
    r.diagnostics.push(...s.diagnostics);
    if (hasErrors(s.diagnostics)) return { files: [], diagnostics: r.diagnostics };
    r.files.push(...s.files.map((f) => ({ name: f.name, bytes: Buffer.from(f.json, 'utf8') })));
  }
  return r;
}

/** A diff whose content is decided. */
export interface DiffPlan {
  diff: ReportDiff;
  markdown: string;
  template: LoadedTemplate;
  settings: Settings;
  current: Report;
}

/** Is this parsed JSON a report.json (rather than scanner output)? */
export function isReportJson(value: unknown): value is Report {
  return typeof value === 'object' && value !== null && 'findings' in value && 'metadata' in value && 'summary' in value && 'schemaVersion' in value;
}

/** Check a loaded report.json's version: a newer or missing one is refused clearly. */
export function checkReportVersion(value: Report, file: string): Diagnostic[] {
  if (value.schemaVersion === REPORT_SCHEMA_VERSION) return [];
  return [diag('input/report-version', 'error', value.schemaVersion === undefined ? 'report.json has no schemaVersion' : `report.json schemaVersion "${String(value.schemaVersion)}" is not "${REPORT_SCHEMA_VERSION}"`, {
    file, pointer: '/schemaVersion', expected: `"${REPORT_SCHEMA_VERSION}"`, fix: 'rebuild the baseline with this auditmark version, or diff the original scanner files instead',
  })];
}

/** diff + compose: two Reports to a diff document. Pure. */
export function planDiff(baseline: Report, current: Report, templates: readonly LoadedTemplate[], settings: Settings, now: Date): { plan?: DiffPlan; diagnostics: Diagnostic[] } {
  const selected = selectTemplate(templates.filter((t) => t.manifest.kind === 'diff'), 'scan-diff@^1');
  if (!selected.template) return { diagnostics: selected.diagnostics };
  const template = selected.template;
  const diff = diffReports(baseline, current, { created: now.toISOString(), template: { id: template.id, version: template.version } });
  const composed = composeDiff(diff, template, { library: templates, limits: settings.limits });
  if (hasErrors(composed.diagnostics)) return { diagnostics: composed.diagnostics };
  return { plan: { diff, markdown: composed.markdown, template, settings, current }, diagnostics: composed.diagnostics };
}

/** Render a planned diff into diff.md/html/pdf/json. */
export async function renderDiffOutputs(plan: DiffPlan, formats: readonly string[], options: RenderOptions = {}) {
  const metadata = { ...plan.current.metadata, title: `Changes — ${plan.current.metadata.project}`, template: { id: plan.template.id, version: plan.template.version } };
  return renderDocument('diff', plan.markdown, plan.diff, metadata, undefined, formats, plan.settings, options);
}
