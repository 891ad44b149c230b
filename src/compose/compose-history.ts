/**
 * The history document's view: what `history` templates see, its frontmatter and its document
 * facts, all computed from `history.json` (ReportHistory). Pure.
 */
import { releaseLabel, type ReportHistory } from '../model/history.ts';
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
  const m = h.metadata;
  const fm: Record<string, unknown> = { title: m.title, file, project: m.project };
  if (m.repository) fm.repository = m.repository;
  fm.created = m.created;
  if (m.distributedBy) fm.distributed_by = m.distributedBy;
  if (m.author) fm.author = m.author;
  if (m.license) fm['SPDX-License-Identifier'] = m.license;
  if (m.copyright) fm.copyright = m.copyright;
  fm.classification = m.classification;
  fm.language = m.language;
  if (m.template) fm.template = { id: m.template.id, version: m.template.version };
  fm.auditmark_version = m.auditmarkVersion;
  fm.document_id = m.documentId;
  fm.releases = h.releases.map((r) => ({ document_id: r.documentId, ...(r.appVersion ? { application_version: r.appVersion } : {}), created: r.created, status: r.status }));
  return fm;
}

/**
 * The history document's own facts (its id, date and title, for the cover, running header and
 * PDF metadata), with the project facts of the series. Never a release's document id or date.
 */
export function historyMetadata(h: ReportHistory, template: { id: string; version: string }): ReportMetadata {
  const m = h.metadata;
  const meta: ReportMetadata = {
    title: m.title,
    purpose: `Security evidence over ${h.releases.length} release${h.releases.length === 1 ? '' : 's'}`,
    description: 'Open findings by severity, new and fixed counts, status, SLA breaches and time to remediate per release.',
    project: m.project,
    documentVersion: '1',
    documentStatus: 'generated',
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
