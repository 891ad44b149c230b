/**
 * YAML frontmatter of a document, as data: the keys in their fixed order. Written by
 * `stringifyFrontmatter` (src/render/markdown.ts, every string quoted so `yes`, `null` or
 * `2024-01-01` stay strings in any YAML reader); read back, only ever as YAML, by
 * src/settings/frontmatter.ts.
 */
import type { Report } from '../model/report.ts';

/** The frontmatter of a report, in the order it is written. */
export interface ReportFrontmatter {
  title: string;
  purpose: string;
  description: string;
  file: string;
  project: string;
  repository?: string;
  created: string;
  /**
   * Git facts of the scanned sources (`recorded: true`), or `recorded: false` with the reason
   * code (see `GitUnrecorded`): never a commit of another repository.
   */
  git:
    | { recorded: true; commit: string; date: string; basis: string; dirty: boolean; changed_files: number; changed_paths: string[] }
    | { recorded: false; reason: string };
  distributed_by?: string;
  author?: string;
  application_version?: string;
  document_version: string;
  'SPDX-License-Identifier'?: string;
  copyright?: string;
  status: { document: string; audit: string };
  classification: string;
  language: string;
  template: { id: string; version: string };
  auditmark_version: string;
  document_id: string;
  inputs: Array<{ path: string; kind: string; sha256: string }>;
  /** The sign-off block: who prepared, reviewed and approved (a role without name is unsigned). */
  sign_off?: Array<{ role: string; name?: string; title?: string; date?: string }>;
}

/**
 * The frontmatter object of a report, keys in their fixed order, optional keys only when the
 * report has a value (never a placeholder such as "TBD").
 */
export function reportFrontmatter(report: Report, file = 'report.md'): ReportFrontmatter {
  const m = report.metadata;
  const fm: Record<string, unknown> = {
    title: m.title,
    purpose: m.purpose,
    description: m.description,
    file,
    project: m.project,
  };
  const opt = (key: string, value: unknown): void => {
    if (value !== undefined && value !== null && value !== '') fm[key] = value;
  };
  opt('repository', m.repository);
  fm.created = m.created;
  fm.git = m.git
    ? { recorded: true, commit: m.git.commit, date: m.git.date, basis: m.git.basis, dirty: m.git.dirty, changed_files: m.git.changed.count, changed_paths: [...m.git.changed.paths] }
    : { recorded: false, reason: m.gitUnrecorded?.code ?? 'not-collected' };
  opt('distributed_by', m.distributedBy);
  opt('author', m.author);
  opt('application_version', m.appVersion);
  fm.document_version = m.documentVersion;
  opt('SPDX-License-Identifier', m.license);
  opt('copyright', m.copyright);
  fm.status = { document: m.documentStatus, audit: report.status.overall };
  fm.classification = m.classification;
  fm.language = m.language;
  fm.template = { id: m.template.id, version: m.template.version };
  fm.auditmark_version = m.auditmarkVersion;
  fm.document_id = m.documentId;
  fm.inputs = report.inputs.map((i) => ({ path: i.path, kind: i.kind, sha256: i.sha256 }));
  if (report.signOff) fm.sign_off = report.signOff.map((e) => ({ role: e.role, ...(e.name ? { name: e.name } : {}), ...(e.title ? { title: e.title } : {}), ...(e.date ? { date: e.date } : {}) }));
  return fm as unknown as ReportFrontmatter;
}
