/**
 * The three documents auditmark composes: a report from a Report, a diff from a ReportDiff, a
 * history from a ReportHistory. Each builds its template's view, frontmatter and document facts
 * from the model.
 */
import type { ReportDiff } from '../model/diff.ts';
import type { Report, ReportMetadata } from '../model/report.ts';
import type { ReportHistory } from '../model/history.ts';
import { diffCharts, historyCharts, reportCharts } from './charts.ts';
import { derivedMetadata, diffContext, diffFrontmatter } from './compose-diff.ts';
import { historyContext, historyFrontmatter, historyMetadata } from './compose-history.ts';
import { composeFor, type ComposeOptions, type ComposedDocument } from './compose.ts';
import { reportFrontmatter } from './frontmatter.ts';
import { reportContext, type FindingGroup } from './report-context.ts';
import { severityRank } from '../model/severity.ts';
import type { LoadedTemplate } from './template-registry.ts';
import type { Diagnostic } from '../model/diagnostics.ts';

/**
 * Each finding group and checklist item gets `filter`: the data attributes the HTML filters read,
 * computed from the model. Finding states are tokens (`waiver expired` is one state,
 * `waiver-expired`); a checklist item has exactly one status, matched whole (`not-applicable` is
 * one status, never `not` and `applicable`).
 */
function withFilters<C extends ReturnType<typeof reportContext>>(context: C): C {
  const filter = (g: FindingGroup) => ({
    severity: g.severity,
    'severity-rank': String(severityRank(g.severity)),
    tool: g.tool,
    owasp: g.owasp.length ? g.owasp : ['unmapped'],
    state: (Object.keys(g.states) as Array<keyof FindingGroup['states']>).filter((s) => g.states[s] > 0).map((s) => s.replace(/\s+/g, '-')),
  });
  const groups = context.groups.map((g) => ({ ...g, filter: filter(g) }));
  const checklistItems = context.checklistItems.map((v) => ({ ...v, filter: { status: v.item.status, basis: v.item.basis } }));
  return { ...context, groups, checklistItems };
}

/** Compose `report.md`'s tree: the template over `reportContext(report)` plus the charts (see docs/templates.md). */
export function composeReport(report: Report, template: LoadedTemplate, options: ComposeOptions = {}): { document?: ComposedDocument; diagnostics: Diagnostic[] } {
  return composeFor('report', report, template, (shown) => ({
    context: withFilters({ ...reportContext(shown), charts: reportCharts(shown) }),
    frontmatter: reportFrontmatter(shown) as unknown as Record<string, unknown>,
    meta: shown.metadata,
  }), options);
}

/** The diff document's own facts (see {@link derivedMetadata}). */
export function diffMetadata(diff: ReportDiff, template: { id: string; version: string }): ReportMetadata {
  return derivedMetadata(diff.metadata, template, {
    purpose: `Changes between ${diff.baseline.project} (document ${diff.baseline.documentId}) and ${diff.current.project} (document ${diff.current.documentId})`,
    description: 'What changed between two audit reports.',
  });
}

/** Compose `diff.md`'s tree from a diff with a template of kind `diff` (e.g. `scan-diff@1.0.0`). Pure. */
export function composeDiff(diff: ReportDiff, template: LoadedTemplate, options: ComposeOptions = {}): { document?: ComposedDocument; diagnostics: Diagnostic[] } {
  return composeFor('diff', diff, template, (shown) => {
    const d: ReportDiff = { ...shown, metadata: { ...shown.metadata, template: { id: template.id, version: template.version } } };
    return { context: { ...diffContext(d), charts: diffCharts(d) }, frontmatter: diffFrontmatter(d), meta: diffMetadata(d, { id: template.id, version: template.version }) };
  }, options);
}

/**
 * Compose `history.md`'s tree from a history with a template of kind `history` (e.g.
 * `history@1.0.0`): the template over `historyContext(history)` plus its charts (the trend). Pure.
 */
export function composeHistory(history: ReportHistory, template: LoadedTemplate, options: ComposeOptions = {}): { document?: ComposedDocument; diagnostics: Diagnostic[] } {
  return composeFor('history', history, template, (shown) => {
    const h: ReportHistory = { ...shown, metadata: { ...shown.metadata, template: { id: template.id, version: template.version } } };
    return { context: { ...historyContext(h), charts: historyCharts(h) }, frontmatter: historyFrontmatter(h), meta: historyMetadata(h, { id: template.id, version: template.version }) };
  }, options);
}
