/**
 * The template context for a report: the `Report` itself plus views that group its findings
 * (by rule or advisory, by OWASP edition), so that templates only loop and never count,
 * map severities or sort.
 */
import type { OwaspEdition } from '../model/config.ts';
import { FINGERPRINT_VERSION } from '../model/fingerprint.ts';
import { severityRank } from '../model/severity.ts';
import type { Severity } from '../model/types.ts';
import type { ChecklistItemResult, ChecklistStatus, OwaspRow, Report, ReportFinding, RunFreshness } from '../model/report.ts';

/** State of one finding as a word: `open`, `waived`, `waiver expired` or `suppressed`. */
export type OccurrenceState = 'open' | 'waived' | 'waiver expired' | 'suppressed';

/** One occurrence of a rule: where and in which state. */
export interface Occurrence {
  tool: string;
  ruleId: string;
  title: string;
  fingerprint: string;
  /** File path, or `<package>@<version>` for a dependency finding, or `-`. */
  location: string;
  line?: number;
  state: OccurrenceState;
  severity: Severity;
  message: string;
  snippet?: string;
}

/** A dependency advisory hit on one package version. */
export interface PackageHit {
  name: string;
  ecosystem?: string;
  version?: string;
  fixedVersions: string[];
  state: OccurrenceState;
  fingerprint: string;
}

/** All findings of one tool for one rule or advisory: one entry in the document. */
export interface FindingGroup {
  /** Stable anchor-friendly key: `tool/ruleId`. */
  key: string;
  tool: string;
  ruleId: string;
  title: string;
  kind: ReportFinding['kind'];
  /** Highest severity among its findings. */
  severity: Severity;
  cwe: string[];
  owasp: string[];
  aliases: string[];
  references: string[];
  count: number;
  states: Record<OccurrenceState, number>;
  /** `open 3, waived 1`. */
  stateText: string;
  /** First message, as a representative description. */
  message: string;
  occurrences: Occurrence[];
  packages: PackageHit[];
}

/** The OWASP rows of one edition. */
export interface OwaspEditionView {
  edition: OwaspEdition;
  rows: OwaspRow[];
  source?: string;
  license?: string;
}

/** A run an automatic checklist rule counted, with the age and completeness of its evidence. */
export interface CountedRun {
  tool: string;
  freshness: RunFreshness;
  ageDays?: number;
  notScanned: number;
}

/** Findings of one tool and rule behind a checklist item: complete, however many were listed. */
export interface RuleTally {
  tool: string;
  ruleId: string;
  /** Highest severity among them. */
  severity: Severity;
  count: number;
}

/** Findings behind a checklist item: all of them tallied by rule, the first few listed. */
export interface ItemFindings {
  total: number;
  byRule: RuleTally[];
  /** The first {@link MAX_ITEM_FINDINGS_LISTED}, in report order; the rest are in report.json. */
  listed: Occurrence[];
}

/**
 * How many findings behind one checklist item are listed one by one. An item can count every
 * finding of a tool (`code-scanned-bandit`), and several items count the same ones: listing all
 * of them per item would repeat the findings section many times over. The tally by rule is
 * always complete, and `report.json` keeps every fingerprint (`checklist.items[].findings`).
 */
export const MAX_ITEM_FINDINGS_LISTED = 25;

/** A checklist item with the findings behind it resolved, for the rules and evidence sections. */
export interface ChecklistItemView {
  item: ChecklistItemResult;
  /** Findings the rule counted, or that contradict the attestation. */
  counted: ItemFindings;
  /** Open findings that met every condition of the rule except its severity threshold. */
  belowThreshold: ItemFindings;
  /** The runs the rule counted. */
  runs: CountedRun[];
}

/** Everything a report template sees. */
export interface ReportContext {
  report: Report;
  meta: Report['metadata'];
  groups: FindingGroup[];
  /** Groups of `kind: dependency`, for the dependency table. */
  dependencyGroups: FindingGroup[];
  owaspEditions: OwaspEditionView[];
  /** The unmapped findings resolved from their fingerprints. */
  unmapped: Occurrence[];
  /** Findings of each run by index, as groups. */
  runGroups: FindingGroup[][];
  fingerprintAlgorithm: string;
  /** True when `nextScanDue` is before the document's creation day (a stale cadence, shown as overdue). */
  nextScanOverdue: boolean;
  /** The checklist items in definition order, with their findings and counted runs resolved. */
  checklistItems: ChecklistItemView[];
  /** How many items have each status (non-zero only, in a fixed order: pass first, never merged). */
  checklistCounts: Array<{ status: ChecklistStatus; count: number }>;
}

const CHECKLIST_ORDER: readonly ChecklistStatus[] = ['pass', 'not-applicable', 'fail', 'contradicted', 'stale', 'partial', 'expired', 'pending'];

const STATE_ORDER: OccurrenceState[] = ['open', 'waived', 'waiver expired', 'suppressed'];

function stateOf(f: ReportFinding): OccurrenceState {
  if (f.status === 'suppressed') return 'suppressed';
  if (f.status === 'waived') return 'waived';
  return f.waiver?.expired ? 'waiver expired' : 'open';
}


function occurrence(f: ReportFinding): Occurrence {
  const location = f.location?.path ?? (f.package ? `${f.package.name}${f.package.version ? `@${f.package.version}` : ''}` : '-');
  const o: Occurrence = {
    tool: f.tool,
    ruleId: f.ruleId,
    title: f.title,
    fingerprint: f.fingerprint,
    location,
    state: stateOf(f),
    severity: f.severity,
    message: f.message,
  };
  if (f.location?.startLine !== undefined) o.line = f.location.startLine;
  if (f.location?.snippet !== undefined) o.snippet = f.location.snippet;
  return o;
}

const union = (lists: string[][]): string[] => [...new Set(lists.flat())].sort();

function groupFindings(findings: readonly ReportFinding[]): FindingGroup[] {
  const byKey = new Map<string, ReportFinding[]>();
  for (const f of findings) {
    const key = `${f.tool}/${f.ruleId}`;
    const list = byKey.get(key);
    if (list) list.push(f);
    else byKey.set(key, [f]);
  }
  const groups: FindingGroup[] = [];
  for (const [key, list] of byKey) {
    const first = list[0]!;
    const severity = list.reduce<Severity>((s, f) => (severityRank(f.severity) < severityRank(s) ? f.severity : s), first.severity);
    const states = { open: 0, waived: 0, 'waiver expired': 0, suppressed: 0 } as Record<OccurrenceState, number>;
    for (const f of list) states[stateOf(f)] += 1;
    groups.push({
      key,
      tool: first.tool,
      ruleId: first.ruleId,
      title: first.title,
      kind: first.kind,
      severity,
      cwe: union(list.map((f) => f.cwe)),
      owasp: union(list.map((f) => f.owasp)),
      aliases: union(list.map((f) => f.aliases)),
      references: union(list.map((f) => f.references)),
      count: list.length,
      states,
      stateText: STATE_ORDER.filter((s) => states[s] > 0).map((s) => `${s} ${states[s]}`).join(', '),
      message: first.message,
      occurrences: list.map(occurrence),
      packages: list.filter((f) => f.package).map((f) => {
        const p = f.package!;
        const hit: PackageHit = { name: p.name, fixedVersions: p.fixedVersions, state: stateOf(f), fingerprint: f.fingerprint };
        if (p.ecosystem !== undefined) hit.ecosystem = p.ecosystem;
        if (p.version !== undefined) hit.version = p.version;
        return hit;
      }),
    });
  }
  // Most severe first (rank 0 is critical); then tool and rule id for a stable order independent of input order.
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return groups.sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || cmp(a.tool, b.tool) || cmp(a.ruleId, b.ruleId));
}

function itemFindings(all: readonly Occurrence[]): ItemFindings {
  const byKey = new Map<string, RuleTally>();
  for (const o of all) {
    const key = `${o.tool}\u0000${o.ruleId}`;
    const t = byKey.get(key);
    if (!t) byKey.set(key, { tool: o.tool, ruleId: o.ruleId, severity: o.severity, count: 1 });
    else {
      t.count += 1;
      if (severityRank(o.severity) < severityRank(t.severity)) t.severity = o.severity;
    }
  }
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  const byRule = [...byKey.values()].sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || cmp(a.tool, b.tool) || cmp(a.ruleId, b.ruleId));
  return { total: all.length, byRule, listed: all.slice(0, MAX_ITEM_FINDINGS_LISTED) };
}

/** Build the template context of a report. Pure; the report is not modified. */
export function reportContext(report: Report): ReportContext {
  const groups = groupFindings(report.findings);
  const byFingerprint = new Map(report.findings.map((f) => [f.fingerprint, f]));
  const resolve = (fps: readonly string[]): Occurrence[] => fps.flatMap((fp) => {
    const f = byFingerprint.get(fp);
    return f ? [occurrence(f)] : [];
  });
  return {
    report,
    meta: report.metadata,
    groups,
    dependencyGroups: groups.filter((g) => g.kind === 'dependency'),
    owaspEditions: report.owasp.editions.map((edition) => {
      const data = report.owasp.data.find((d) => d.edition === edition);
      const view: OwaspEditionView = { edition, rows: report.owasp.rows.filter((r) => r.edition === edition) };
      if (data) {
        view.source = data.source;
        view.license = data.license;
      }
      return view;
    }),
    unmapped: report.owasp.unmapped.flatMap((fp) => {
      const f = byFingerprint.get(fp);
      return f ? [occurrence(f)] : [];
    }),
    runGroups: report.runs.map((_, i) => groupFindings(report.findings.filter((f) => f.run === i))),
    fingerprintAlgorithm: `auditmark fingerprint ${FINGERPRINT_VERSION}`,
    checklistItems: (report.checklist?.items ?? []).map((item) => ({
      item,
      counted: itemFindings(resolve(item.findings)),
      belowThreshold: itemFindings(resolve(item.evaluation?.belowThreshold ?? [])),
      runs: (item.evaluation?.runs ?? []).flatMap((i) => {
        const run = report.runs[i];
        if (!run) return [];
        const r: CountedRun = { tool: run.tool, freshness: run.freshness, notScanned: run.notScanned.length };
        if (run.ageDays !== undefined) r.ageDays = run.ageDays;
        return [r];
      }),
    })),
    checklistCounts: CHECKLIST_ORDER.map((status) => ({ status, count: (report.checklist?.items ?? []).filter((i) => i.status === status).length })).filter((c) => c.count > 0),
    // Both are ISO strings in UTC, so comparing their day prefixes compares the days.
    nextScanOverdue: report.nextScanDue !== undefined && report.nextScanDue.slice(0, 10) < report.metadata.created.slice(0, 10),
  };
}
