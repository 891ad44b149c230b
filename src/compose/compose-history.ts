/**
 * The history document's view: what `history` templates see, its frontmatter and its document
 * facts, all computed from `history.json` (ReportHistory). Pure.
 */
import { releaseLabel, type ReportHistory } from '../model/history.ts';
import { derivedFrontmatter, derivedMetadata } from './compose-diff.ts';
import type { ReportMetadata } from '../model/report.ts';
import { SEVERITIES } from '../model/severity.ts';

/**
 * The variables `history` templates see: the history plus display-ready rows, so the template
 * only loops (no counting, no severity logic). `hasSlaBreaches` is false for a release whose
 * breaches nobody can count (`slaBreaches: null`).
 */
export function historyContext(h: ReportHistory) {
  const releases = h.releases.map((r) => ({ ...r, label: releaseLabel(r), hasSlaBreaches: r.slaBreaches !== null }));
  return {
    meta: h.metadata,
    summary: h.summary,
    releases,
    toolChanges: releases.filter((r) => r.toolsNotRun.length > 0),
    sla: SEVERITIES.flatMap((severity) => (h.summary.sla[severity] !== undefined ? [{ severity, days: h.summary.sla[severity]! }] : [])),
  };
}

/** Frontmatter of `history.md`, keys in a fixed order, optional keys only when set. */
export function historyFrontmatter(h: ReportHistory, file = 'history.md'): Record<string, unknown> {
  const fm = derivedFrontmatter(h.metadata, file);
  fm.releases = h.releases.map((r) => ({ document_id: r.documentId, ...(r.appVersion ? { application_version: r.appVersion } : {}), created: r.created, status: r.status }));
  return fm;
}

/**
 * The history document's own facts (its id, date and title, for the cover, running header and
 * PDF metadata), with the project facts of the series. Never a release's document id or date.
 */
export function historyMetadata(h: ReportHistory, template: { id: string; version: string }): ReportMetadata {
  return derivedMetadata(h.metadata, template, {
    purpose: `Security evidence over ${h.releases.length} release${h.releases.length === 1 ? '' : 's'}`,
    description: 'Open findings by severity, new and fixed counts, status, SLA breaches and time to remediate per release.',
  });
}
