/**
 * Chart data, computed from the model (never read back from rendered text). A template places a
 * chart with `{{ charts.severity | chart("Findings by severity") }}`: the HTML and PDF draw it
 * as an SVG figure, the Markdown rendering states the same numbers as a sentence.
 */
import type { ReportDiff } from '../model/diff.ts';
import { releaseLabel, type ReportHistory } from '../model/history.ts';
import type { ChecklistStatus, OwaspStatus, Report } from '../model/report.ts';
import { SEVERITIES } from '../model/severity.ts';

declare module 'mdast' {
  interface ParagraphData {
    /** Set on the paragraph a `chart` value becomes: the HTML renderer draws it as a figure. */
    chart?: { title: string; spec: ChartSpec };
  }
}

/** One bar: its label, value, and a tone the renderer maps to a colour (never the only signal). */
export interface ChartBar {
  label: string;
  value: number;
  /** A severity word (statuses borrow the colour of the severity they resemble), or `neutral`. */
  tone: string;
  /**
   * A stacked bar's parts, in drawing order; their values add up to `value`. Each part's label
   * and number are written out wherever the chart is (the SVG's description and legend, the
   * Markdown sentence), so the colours are never the only way to read them.
   */
  segments?: ChartSegment[];
}

/** One part of a stacked bar. */
export interface ChartSegment {
  label: string;
  value: number;
  /** A severity word, or `neutral`. */
  tone: string;
}

/** A bar chart's data. */
export interface ChartSpec {
  /** Stable id (used for SVG element ids). */
  id: string;
  bars: ChartBar[];
}

function severityChart(id: string, counts: Readonly<Record<string, number>>): ChartSpec {
  const bars = SEVERITIES.filter((s) => s !== 'unknown' || (counts[s] ?? 0) > 0).map((s) => ({ label: s, value: counts[s] ?? 0, tone: s }));
  return { id, bars };
}

/** Open findings per OWASP category of one edition, labelled `A01 Broken Access Control`. */
function owaspChart(report: Report, edition: string): ChartSpec {
  const rows = report.owasp.rows.filter((r) => r.edition === edition);
  return {
    id: `owasp-${edition}`,
    bars: rows.map((r) => ({ label: `${r.id.split(':')[0]} ${r.name}`, value: Object.values(r.open).reduce((a, b) => a + b, 0), tone: 'neutral' })),
  };
}

/**
 * Checklist items per status, every status its own bar (zero bars included, so an absent N/A is
 * visibly 0): only PASS is a pass, N/A, stale and partial are never merged into it. The labels
 * are the document's status words.
 */
const CHECKLIST_BARS: ReadonlyArray<{ status: ChecklistStatus; label: string; tone: string }> = [
  { status: 'pass', label: 'PASS', tone: 'neutral' },
  { status: 'not-applicable', label: 'N/A', tone: 'info' },
  { status: 'fail', label: 'FAIL', tone: 'high' },
  { status: 'contradicted', label: 'contradicted', tone: 'critical' },
  { status: 'stale', label: 'stale', tone: 'medium' },
  { status: 'partial', label: 'partial', tone: 'medium' },
  { status: 'expired', label: 'expired', tone: 'medium' },
  { status: 'pending', label: 'pending', tone: 'unknown' },
];

function checklistChart(report: Report): ChartSpec {
  const items = report.checklist?.items ?? [];
  return { id: 'checklist', bars: CHECKLIST_BARS.map((b) => ({ label: b.label, value: items.filter((i) => i.status === b.status).length, tone: b.tone })) };
}

/** OWASP categories of one edition per status, worst first; N/A and NOT ASSESSED are their own bars, never PASS. */
const OWASP_STATUS_BARS: ReadonlyArray<{ status: OwaspStatus; tone: string }> = [
  { status: 'FAIL', tone: 'high' },
  { status: 'WARN', tone: 'medium' },
  { status: 'PASS', tone: 'neutral' },
  { status: 'N/A', tone: 'info' },
  { status: 'NOT ASSESSED', tone: 'unknown' },
];

function owaspStatusChart(report: Report, edition: string): ChartSpec {
  const rows = report.owasp.rows.filter((r) => r.edition === edition);
  return { id: `owasp-status-${edition}`, bars: OWASP_STATUS_BARS.map((b) => ({ label: b.status, value: rows.filter((r) => r.status === b.status).length, tone: b.tone })) };
}

/** The charts a report template can place. */
export function reportCharts(report: Report): Record<string, ChartSpec> {
  const charts: Record<string, ChartSpec> = {
    severity: severityChart('severity', report.summary.bySeverity),
    openSeverity: severityChart('open-severity', report.summary.openBySeverity),
    checklist: checklistChart(report),
  };
  for (const edition of report.owasp.editions) {
    charts[`owasp${edition}`] = owaspChart(report, edition);
    charts[`owaspStatus${edition}`] = owaspStatusChart(report, edition);
  }
  return charts;
}

/** The charts a diff template can place. */
export function diffCharts(diff: ReportDiff): Record<string, ChartSpec> {
  return {
    newOpen: severityChart('new-open', diff.summary.newOpenBySeverity),
    absent: severityChart('absent', diff.summary.absentBySeverity),
    states: {
      id: 'states',
      bars: [
        ...(['new', 'absent', 'updated', 'unchanged'] as const).map((s): ChartBar => ({ label: s, value: diff.summary[s], tone: 'neutral' })),
        { label: 'not assessed', value: diff.summary.notAssessed, tone: 'neutral' },
      ],
    },
  };
}

/**
 * The charts a history template can place. `trend`: one bar per release, oldest first, its
 * length the open findings of that release, stacked by severity (the parts with a count only).
 */
export function historyCharts(history: ReportHistory): Record<string, ChartSpec> {
  return {
    trend: {
      id: 'trend',
      bars: history.releases.map((r) => ({
        label: releaseLabel(r),
        value: r.open,
        tone: 'neutral',
        segments: SEVERITIES.filter((s) => r.openBySeverity[s] > 0).map((s) => ({ label: s, value: r.openBySeverity[s], tone: s })),
      })),
    },
  };
}
