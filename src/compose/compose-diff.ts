import { templateKey } from './template-registry.ts';
import type { DerivedDocumentMetadata, DiffFinding, DiffSide, FindingChange, FindingSnapshot, MatchStrategy, ReportDiff } from '../model/diff.ts';
import type { OverallStatus, ReportMetadata } from '../model/report.ts';

/** One row of a findings table in the diff document: display strings only. */
interface Row {
  severity: string;
  tool: string;
  ruleId: string;
  where: string;
  title: string;
  status: string;
  short: string;
  changeText: string;
  strategy: string;
}

const where = (s: FindingSnapshot) =>
  s.path ? `${s.path}${s.startLine ? `:${s.startLine}` : ''}` : s.package ? `${s.package.name} ${s.package.version ?? ''}`.trim() : '';

const changeText = (cs: readonly FindingChange[] = []) => cs.map((c) => (c.field === 'message' ? 'message reworded' : `${c.field} ${c.from} → ${c.to}`)).join('; ');

const short = (fp: string) => fp.replace(/^(v\d+:)([0-9a-f]{12})[0-9a-f]*/, '$1$2');

function row(f: DiffFinding): Row {
  const s = (f.current ?? f.baseline)!;
  return {
    severity: f.severity, tool: f.tool, ruleId: f.ruleId, where: where(s), title: s.title, status: s.status, short: short(f.fingerprint),
    changeText: changeText(f.changes), strategy: f.match?.strategy ?? '',
  };
}

const label = (s: DiffSide) => (s.appVersion ? `${s.project} ${s.appVersion}` : `${s.project}, document version ${s.documentVersion}`);

/**
 * The variables `scan-diff` templates see: the diff's own fields plus display-ready rows, so the
 * template only loops (no counting, no severity logic).
 */
export function diffContext(diff: ReportDiff) {
  const by = (state: DiffFinding['state']) => diff.findings.filter((f) => f.state === state).map(row);
  const waiverRows = [
    ...diff.waivers.added.map((w) => ({ change: 'added', ...w })),
    ...diff.waivers.removed.map((w) => ({ change: 'removed', ...w })),
    ...diff.waivers.expired.map((w) => ({ change: 'expired', ...w })),
  ].map((w) => ({ ...w, expiresText: w.expires ?? 'no expiry' }));
  return {
    meta: { ...diff.metadata, templateKey: diff.metadata.template ? templateKey(diff.metadata.template) : 'none' },
    baseline: { ...diff.baseline, label: label(diff.baseline) },
    current: { ...diff.current, label: label(diff.current) },
    summary: diff.summary,
    coverage: diff.coverage,
    newFindings: by('new'),
    absentFindings: by('absent'),
    updatedFindings: by('updated'),
    notAssessed: diff.notAssessed.map((s) => ({ severity: s.severity, tool: s.tool, ruleId: s.ruleId, where: where(s), title: s.title })),
    // Status words (N/A, stale, partial, "not in baseline") are the template's: see _partials/words.njk.
    checklist: diff.checklist,
    waiverRows,
    owasp: diff.owasp,
    strategies: (Object.entries(diff.summary.byStrategy) as Array<[MatchStrategy, number]>).map(([name, count]) => ({ name, count })),
    fingerprintVersions: { baseline: diff.fingerprintVersions.baseline.join(', ') || 'none', current: diff.fingerprintVersions.current.join(', ') || 'none' },
  };
}

/**
 * The facts of a document derived from reports (diff, history) as the cover, running header
 * and PDF metadata show them: its own id, date and title, with the reports' project facts.
 * Never a source report's document id or date: the derived document is another document.
 */
export function derivedMetadata(m: DerivedDocumentMetadata, template: { id: string; version: string }, words: { purpose: string; description: string }): ReportMetadata {
  const meta: ReportMetadata = {
    title: m.title,
    ...words,
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

/**
 * The frontmatter of a document derived from reports (diff, history), keys in a fixed order,
 * optional keys only when set; `status` (the audit status it states) when it has one.
 */
export function derivedFrontmatter(m: DerivedDocumentMetadata, file: string, status?: OverallStatus): Record<string, unknown> {
  const fm: Record<string, unknown> = { title: m.title, file, project: m.project };
  if (m.repository) fm.repository = m.repository;
  fm.created = m.created;
  if (m.distributedBy) fm.distributed_by = m.distributedBy;
  if (m.author) fm.author = m.author;
  if (m.license) fm['SPDX-License-Identifier'] = m.license;
  if (m.copyright) fm.copyright = m.copyright;
  if (status !== undefined) fm.status = { audit: status };
  fm.classification = m.classification;
  fm.language = m.language;
  if (m.template) fm.template = { id: m.template.id, version: m.template.version };
  fm.auditmark_version = m.auditmarkVersion;
  fm.document_id = m.documentId;
  return fm;
}

/** Frontmatter of `diff.md`: the derived document's keys, then both sides. */
export function diffFrontmatter(diff: ReportDiff, file = 'diff.md'): Record<string, unknown> {
  const fm = derivedFrontmatter(diff.metadata, file, diff.current.status);
  const side = (s: DiffSide) => ({ document_id: s.documentId, ...(s.appVersion ? { application_version: s.appVersion } : {}), created: s.created, status: s.status });
  fm.baseline = side(diff.baseline);
  fm.current = side(diff.current);
  return fm;
}
