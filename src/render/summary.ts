import { cellMarkdown as tableCell, inlineMarkdown as escapeMarkdown } from './markdown.ts';
import type { DiffFinding, ReportDiff } from '../model/diff.ts';
import type { Report, ReportFinding } from '../model/report.ts';
import { sanitizeForTerminal } from '../model/sanitize-terminal.ts';
import { SEVERITIES, severityRank } from '../model/severity.ts';
import { statusReasonText } from './reason-text.ts';

export { statusReasonText } from './reason-text.ts';

/** GitHub's limit for one step summary: 1,024 KiB. */
export const STEP_SUMMARY_MAX_BYTES = 1024 * 1024;

/** Options for {@link toStepSummary}; all optional. */
export interface StepSummaryOptions {
  /** Byte cap of the whole summary (default just under GitHub's 1,024 KiB). */
  maxBytes?: number;
  /** Most findings listed (default 50). */
  maxRows?: number;
  /** Longest text kept per cell, in characters (default 200). */
  maxCellChars?: number;
}

/** Shown when rows were left out, so nobody takes a cut list for the whole story. */
export const TRUNCATION_MARKER = '**Summary truncated by auditmark**';

const isDiff = (x: Report | ReportDiff): x is ReportDiff => (x as ReportDiff).kind === 'diff';

/**
 * Make one untrusted value safe for the summary: terminal controls and bidi overrides escaped,
 * shortened, then escaped as inline Markdown (so `# `, `|`, `](`, backticks and HTML are text).
 */
function text(value: string, max: number, cell = true): string {
  let t = sanitizeForTerminal(value).replace(/\s+/g, ' ').trim();
  if (t.length > max) t = `${t.slice(0, max)}…`;
  return cell ? tableCell(t) : escapeMarkdown(t);
}

/**
 * GitHub executes `::command::` lines only from a step's stdout, not from the summary file, but
 * the summary is also printed to logs by some wrappers: escape a leading `::` on every line anyway.
 */
function neutraliseCommands(markdown: string): string {
  return markdown.replace(/^(\s*):(?=:)/gm, '$1\\:');
}

/** Cut at a line boundary below `max` bytes and say so. */
function cap(markdown: string, max: number): string {
  if (Buffer.byteLength(markdown, 'utf8') <= max) return markdown;
  const marker = `\n\n${TRUNCATION_MARKER}: the GitHub step summary limit is 1,024 KiB; see the full report in the build artifacts.\n`;
  const room = max - Buffer.byteLength(marker, 'utf8');
  const cut = Buffer.from(markdown, 'utf8').subarray(0, Math.max(0, room)).toString('utf8').replace(/\uFFFD$/, '');
  const lastLine = cut.lastIndexOf('\n');
  return (lastLine > 0 ? cut.slice(0, lastLine) : '') + marker;
}

function countsTable(rows: Array<[string, ...number[]]>, header: string[]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...rows.map(([label, ...n]) => `| ${label} | ${n.join(' | ')} |`),
  ];
}

function findingRow(f: ReportFinding | DiffFinding, maxCell: number): string {
  const snap = 'state' in f ? (f.current ?? f.baseline)! : f;
  const where = 'state' in f
    ? (f.current?.path ?? f.baseline?.path ?? (f.current?.package ? `${f.current.package.name} ${f.current.package.version ?? ''}` : '')) + ((f.current?.startLine ?? f.baseline?.startLine) ? `:${f.current?.startLine ?? f.baseline?.startLine}` : '')
    : f.location ? `${f.location.path}${f.location.startLine ? `:${f.location.startLine}` : ''}` : f.package ? `${f.package.name} ${f.package.version ?? ''}` : '';
  return `| ${snap.severity} | ${text(snap.tool, 40)} | ${text(snap.ruleId, 80)} | ${text(where.trim(), maxCell)} | ${text(snap.title || snap.message, maxCell)} |`;
}

const FINDING_HEADER = ['| Severity | Tool | Rule | Location | Title |', '| --- | --- | --- | --- | --- |'];

/**
 * Compact Markdown for `$GITHUB_STEP_SUMMARY`: overall status, counts, and the most severe new
 * (diff) or open (report) findings. Every value from scan data is sanitised and escaped; the
 * result never exceeds `maxBytes` and ends with {@link TRUNCATION_MARKER} when anything was left out.
 */
export function toStepSummary(input: Report | ReportDiff, options: StepSummaryOptions = {}): string {
  const maxBytes = Math.min(options.maxBytes ?? STEP_SUMMARY_MAX_BYTES - 1024, STEP_SUMMARY_MAX_BYTES);
  const maxRows = options.maxRows ?? 50;
  const maxCell = options.maxCellChars ?? 200;
  const lines: string[] = [];
  let listed: Array<ReportFinding | DiffFinding>;
  let total: number;

  if (isDiff(input)) {
    const s = input.summary;
    lines.push(`## auditmark diff: ${text(input.metadata.project, 120, false)}`, '');
    lines.push(`Baseline ${text(input.baseline.appVersion ?? input.baseline.documentVersion, 60, false)} (${input.baseline.status}) → current ${text(input.current.appVersion ?? input.current.documentVersion, 60, false)} (**${input.current.status}**)`, '');
    lines.push(...countsTable([['new', s.new], ['absent (fixed)', s.absent], ['updated', s.updated], ['unchanged', s.unchanged], ['not assessed', s.notAssessed]], ['State', 'Findings']), '');
    if (input.coverage.toolsNotRun.length) lines.push(`Tools that did not run this time: ${input.coverage.toolsNotRun.map((t) => text(t, 40, false)).join(', ')}; their ${s.notAssessed} baseline finding(s) are not assessed, not fixed.`, '');
    const news = input.findings.filter((f) => f.state === 'new').sort((a, b) => severityRank(a.severity) - severityRank(b.severity));
    listed = news;
    total = news.length;
    lines.push(`### New findings (${news.length})`, '');
  } else {
    const r = input;
    lines.push(`## auditmark: ${text(r.metadata.project, 120, false)}`, '');
    lines.push(`Overall status: **${r.status.overall}**`, '');
    for (const reason of r.status.reasons.slice(0, 10)) lines.push(`- ${text(statusReasonText(reason), 300, false)}`);
    if (r.status.reasons.length) lines.push('');
    lines.push(...countsTable(SEVERITIES.map((sev) => [sev, r.summary.openBySeverity[sev], r.summary.bySeverity[sev]] as [string, number, number]), ['Severity', 'Open', 'All']), '');
    lines.push(`${r.summary.total} finding(s): ${r.summary.open} open, ${r.summary.waived} waived, ${r.summary.suppressed} suppressed.`, '');
    const open = r.findings.filter((f) => f.status === 'open').sort((a, b) => severityRank(a.severity) - severityRank(b.severity));
    listed = open;
    total = open.length;
    lines.push(`### Open findings (${open.length})`, '');
  }

  if (total > 0) {
    lines.push(...FINDING_HEADER);
    let bytes = Buffer.byteLength(lines.join('\n'), 'utf8');
    let shown = 0;
    for (const f of listed.slice(0, maxRows)) {
      const row = findingRow(f, maxCell);
      bytes += Buffer.byteLength(row, 'utf8') + 1;
      if (bytes > maxBytes - 512) break;
      lines.push(row);
      shown++;
    }
    if (shown < total) lines.push('', `${TRUNCATION_MARKER}: ${shown} of ${total} shown; the full list is in the report.`);
  }
  return cap(neutraliseCommands(lines.join('\n') + '\n'), maxBytes);
}
