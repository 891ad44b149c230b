/**
 * The pure half of the pipeline: inputs already read into memory become a Report (ingest →
 * settings → enrich, in `plan/assemble-report.ts`, re-exported here) and a composed document
 * (compose), or a ReportDiff and its document. No fs, no clock (injected), no browser;
 * `pipeline.ts` composes this with reading, rendering and writing. This module loads the
 * template engine and the Markdown stack: `pipeline.ts` imports it only when a document is
 * composed.
 */
import type { ComposedDocument } from './compose/compose.ts';
import { composeDiff, composeHistory, composeReport } from './compose/documents.ts';
import { buildHistory, orderReleases, type HistoryInput } from './diff/history.ts';
import type { ReportHistory } from './model/history.ts';
import { selectTemplate, type LoadedTemplate } from './compose/template-registry.ts';
import { diffReports } from './diff/diff.ts';
import { diag, hasErrors, type Diagnostic } from './model/diagnostics.ts';
import type { ReportDiff } from './model/diff.ts';
import type { Report } from './model/report.ts';
import type { Settings } from './model/config.ts';
import { assembleReport, type AssembleInput, type AssembledReport } from './plan/assemble-report.ts';

export { assembleReport, checkReportJson, isReportJson, type AssembleInput, type AssembledReport, type TextInput } from './plan/assemble-report.ts';

/** A build whose content is decided: the report and its document. */
export interface BuildPlan extends AssembledReport {
  document: ComposedDocument;
}

/** A diff whose content is decided. */
export interface DiffPlan {
  diff: ReportDiff;
  document: ComposedDocument;
  template: LoadedTemplate;
  settings: Settings;
}

/**
 * Compose an assembled report's document with its template (`library`: every loaded template,
 * for includes). Only md, html and pdf are renderings of this document; report.json, SARIF,
 * OSCAL, the step summary and the manifest are made from the Report alone, so a build writing
 * only those never calls this, and template problems found while composing (syntax, lint) are
 * then not reported: they surface in the first build that renders a document.
 */
export function composeBuild(assembled: AssembledReport, library: readonly LoadedTemplate[]): { document?: ComposedDocument; diagnostics: Diagnostic[] } {
  const { report, template, settings } = assembled;
  const composed = composeReport(report, template, { library, limits: settings.limits });
  return hasErrors(composed.diagnostics) ? { diagnostics: composed.diagnostics } : composed;
}

/** assembleReport + compose: the whole content of a build, decided without side effects. */
export function planBuild(input: AssembleInput): { plan?: BuildPlan; diagnostics: Diagnostic[] } {
  const a = assembleReport(input);
  if (!a.assembled) return { diagnostics: a.diagnostics };
  const composed = composeBuild(a.assembled, input.templates);
  const diagnostics = [...a.diagnostics, ...composed.diagnostics];
  if (!composed.document) return { diagnostics };
  return { plan: { ...a.assembled, document: composed.document }, diagnostics };
}

/** diff + compose: two Reports to a diff document. Pure. */
export function planDiff(baseline: Report, current: Report, templates: readonly LoadedTemplate[], settings: Settings, now: Date): { plan?: DiffPlan; diagnostics: Diagnostic[] } {
  const selected = selectTemplate(templates.filter((t) => t.manifest.kind === 'diff'), 'scan-diff@^1');
  if (!selected.template) return { diagnostics: selected.diagnostics };
  const template = selected.template;
  const diff = diffReports(baseline, current, { created: now.toISOString(), template: { id: template.id, version: template.version } });
  const composed = composeDiff(diff, template, { library: templates, limits: settings.limits });
  if (!composed.document || hasErrors(composed.diagnostics)) return { diagnostics: composed.diagnostics };
  return { plan: { diff, document: composed.document, template, settings }, diagnostics: composed.diagnostics };
}

/** A history whose content is decided. */
export interface HistoryPlan {
  history: ReportHistory;
  document: ComposedDocument;
  template: LoadedTemplate;
}

/**
 * history + compose: release reports (checked report.json values) to a history document. The
 * reports are ordered by creation time; the settings give metadata, classification and
 * policy.sla. Pure.
 */
export function planHistory(inputs: readonly HistoryInput[], templates: readonly LoadedTemplate[], settings: Settings, now: Date, auditmarkVersion: string): { plan?: HistoryPlan; diagnostics: Diagnostic[] } {
  const selected = selectTemplate(templates.filter((t) => t.manifest.kind === 'history'), 'history@^1');
  if (!selected.template) return { diagnostics: selected.diagnostics };
  const template = selected.template;
  const diagnostics: Diagnostic[] = [];
  const ordered = orderReleases(inputs);
  if (ordered.some((x, i) => x !== inputs[i])) {
    diagnostics.push(diag('history/reordered', 'info', `reports ordered by creation time: ${ordered.map((x) => x.file).join(', ')}`, { fix: 'pass them oldest first' }));
  }
  const seen = new Map<string, string>();
  const unique = ordered.filter((x) => {
    const first = seen.get(x.report.metadata.documentId);
    if (first !== undefined) {
      diagnostics.push(diag('history/same-report', 'warning', `${x.file} is the same document as ${first} (${x.report.metadata.documentId}); counted once`, { file: x.file, fix: 'pass each release once' }));
      return false;
    }
    seen.set(x.report.metadata.documentId, x.file);
    return true;
  });
  const metadata: NonNullable<Parameters<typeof buildHistory>[1]['metadata']> = { project: settings.project, classification: settings.classification, language: settings.language };
  if (settings.project === 'Untitled project') delete metadata.project;
  for (const k of ['license', 'author', 'distributedBy', 'repository'] as const) if (settings[k] !== undefined) metadata[k] = settings[k];
  if (settings.copyright) metadata.copyright = `Copyright (c) ${settings.copyright.years ? `${settings.copyright.years} ` : ''}${settings.copyright.holder}`;
  const history = buildHistory(unique, { created: now.toISOString(), sla: settings.policy.sla, template: { id: template.id, version: template.version }, auditmarkVersion, metadata });
  const composed = composeHistory(history, template, { library: templates, limits: settings.limits });
  diagnostics.push(...composed.diagnostics);
  if (!composed.document || hasErrors(composed.diagnostics)) return { diagnostics };
  return { plan: { history, document: composed.document, template }, diagnostics };
}
