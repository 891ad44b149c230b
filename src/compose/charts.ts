/**
 * Chart data, computed from the model (never read back from rendered text). A template places a
 * chart with `{{ charts.severity | chart("Findings by severity") }}`: the HTML and PDF draw it
 * as an SVG figure, the Markdown rendering states the same numbers as a sentence.
 */
import type { ReportDiff } from '../model/diff.ts';
import { releaseLabel, type ReportHistory } from '../model/history.ts';
import type { Report } from '../model/report.ts';
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
  /** A severity word, or `neutral`. */
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

/** The charts a report template can place. */
export function reportCharts(report: Report): Record<string, ChartSpec> {
  const charts: Record<string, ChartSpec> = {
    severity: severityChart('severity', report.summary.bySeverity),
    openSeverity: severityChart('open-severity', report.summary.openBySeverity),
  };
  for (const edition of report.owasp.editions) charts[`owasp${edition}`] = owaspChart(report, edition);
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
