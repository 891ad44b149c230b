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

/** State of one finding as a word: `open`, `waived`, `waiver expired`, `suppressed` or `not affected` (VEX). */
export type OccurrenceState = 'open' | 'waived' | 'waiver expired' | 'suppressed' | 'not affected';

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
  /** Risk context rows (fix first, overdue, VEX, scores), each joined with its finding. */
  risk: RiskView;
}

const CHECKLIST_ORDER: readonly ChecklistStatus[] = ['pass', 'not-applicable', 'fail', 'contradicted', 'stale', 'partial', 'expired', 'pending'];


/** A finding as the risk tables show it. */
export interface RiskRow {
  fingerprint: string;
  tool: string;
  ruleId: string;
  title: string;
  where: string;
  severity: Severity;
  state: OccurrenceState;
}

/** The risk section's rows, display-ready (the template words the reason codes). */
export interface RiskView {
  present: boolean;
  snapshots: NonNullable<Report['risk']>['snapshots'];
  epss?: { date: string; model?: string };
  kev?: { date?: string; version?: string };
  /** At most {@link RISK_ROWS} rows; `fixFirstTotal` says how many there are. */
  fixFirst: Array<RiskRow & {
    rank: number;
    reasons: Array<{ code: string; args: Record<string, string | number | boolean> }>;
    /** The typed reasons by code, worded by the template (each a column of the fix-first table). */
    why: FixFirstWhy;
    kev?: { cve: string; dateAdded?: string; ransomware?: string; source: string };
    epss?: { cve: string; score: number; percentile: number; date: string; source: string };
    cvss?: { score: number; version: string; nomenclature?: string; source: string; sourceKind: string };
    firstSeen?: string;
    /** A KEV catalog snapshot was given and the finding has a CVE id: "not listed" is then a fact, not a guess. */
    kevChecked: boolean;
  }>;
  fixFirstTotal: number;
  /**
   * Which exploitability columns the fix-first table has: a column only where some source could
   * fill it (a snapshot, or a row with the fact). A code-only build shows no empty KEV, EPSS or
   * CVSS column that would read as "checked, nothing found".
   */
  fixFirstColumns: { kev: boolean; epss: boolean; cvss: boolean };
  overdue: Array<RiskRow & { firstSeen: string; due: string; overdueDays: number }>;
  overdueTotal: number;
  sla: Array<{ severity: Severity; days: number }>;
  /** `statusText`: the VEX status in words (`not affected`, `under investigation`). */
  vex: Array<RiskRow & NonNullable<ReportFinding['vex']> & { statusText: string }>;
  vexDocuments: NonNullable<Report['risk']>['vex']['documents'];
  vexUnmatched: Array<NonNullable<Report['risk']>['vex']['unmatched'][number] & { statusText: string }>;
  /** Every CVSS score of every finding, with its source. */
  scores: Array<RiskRow & { version: string; vector: string; score: number; nomenclature?: string; source: string; sourceKind: string }>;
  counts?: NonNullable<Report['risk']>['counts'];
}

/** The fix-first reasons of one row, by code, display-ready. */
export interface FixFirstWhy {
  kev?: { cve: string; dateAdded?: string; ransomware?: string; source: string };
  /** `percent` and `percentile` as FIRST shows them (`97.6%`, `99.99%`). */
  epss?: { cve: string; score: number; percent: string; percentile: string; date: string; source: string };
  severity?: { severity: string; cvss?: number; cvssVersion?: string; cvssSource?: string };
  age?: { firstSeen: string; days: number };
}

/** Rows shown in the fix-first and overdue tables; report.json keeps all of them. */
export const RISK_ROWS = 25;

/**
 * A probability in [0, 1] as a percentage with up to three decimals, never rounded up to a
 * round 100% it is not (`0.99999` is `99.999%`, not `100%`).
 */
export function percentText(p: number): string {
  // Rounded to 1e-8 first so binary fractions (0.29 × 100 = 28.999…) floor to what was written.
  const floored = Math.floor(Math.round(p * 1e8) / 1000) / 1000;
  return `${floored.toFixed(3).replace(/\.?0+$/, '')}%`;
}

/** Typed fix-first reasons keyed by code, with EPSS numbers worded as percentages. */
function whyOf(reasons: ReadonlyArray<{ code: string; args: Record<string, string | number | boolean> }>): FixFirstWhy {
  const why: FixFirstWhy = {};
  for (const r of reasons) {
    const a = r.args;
    if (r.code === 'fix-first/kev') why.kev = { cve: String(a.cve), ...(a.dateAdded !== undefined ? { dateAdded: String(a.dateAdded) } : {}), ...(a.ransomware !== undefined ? { ransomware: String(a.ransomware) } : {}), source: String(a.source) };
    else if (r.code === 'fix-first/epss') why.epss = { cve: String(a.cve), score: Number(a.score), percent: percentText(Number(a.score)), percentile: percentText(Number(a.percentile)), date: String(a.date), source: String(a.source) };
    else if (r.code === 'fix-first/severity') why.severity = { severity: String(a.severity), ...(typeof a.cvss === 'number' ? { cvss: a.cvss, cvssVersion: String(a.cvssVersion), cvssSource: String(a.cvssSource) } : {}) };
    else if (r.code === 'fix-first/age') why.age = { firstSeen: String(a.firstSeen), days: Number(a.days) };
  }
  return why;
}

/** A VEX status in words: `not_affected` → `not affected`. */
const vexWords = (status: string): string => status.replace(/_/g, ' ');

function riskRow(f: ReportFinding): RiskRow {
  // A file finding names its line: one rule often fires on many lines of one file.
  const at = f.location?.path ? `${f.location.path}${f.location.startLine ? `:${f.location.startLine}` : ''}` : undefined;
  const where = f.package ? `${f.package.name}${f.package.version ? `@${f.package.version}` : ''}` : at ?? f.web?.url ?? '-';
  return { fingerprint: f.fingerprint, tool: f.tool, ruleId: f.ruleId, title: f.title, where, severity: f.severity, state: stateOf(f) };
}

function riskView(report: Report): RiskView {
  const risk = report.risk;
  const by = new Map(report.findings.map((f) => [f.fingerprint, f]));
  const empty: RiskView = { present: false, snapshots: [], fixFirst: [], fixFirstTotal: 0, fixFirstColumns: { kev: false, epss: false, cvss: false }, overdue: [], overdueTotal: 0, sla: [], vex: [], vexDocuments: [], vexUnmatched: [], scores: [] };
  if (!risk) return empty;
  const epss = risk.snapshots.find((s) => s.kind === 'epss');
  const kev = risk.snapshots.find((s) => s.kind === 'kev');
  const view: RiskView = {
    ...empty,
    present: true,
    snapshots: risk.snapshots,
    counts: risk.counts,
    fixFirstTotal: risk.fixFirst.length,
    overdueTotal: risk.overdue.length,
    sla: (['critical', 'high', 'medium', 'low', 'info', 'unknown'] as const).flatMap((severity) => (risk.sla[severity] !== undefined ? [{ severity, days: risk.sla[severity]! }] : [])),
    vexDocuments: risk.vex.documents,
    vexUnmatched: risk.vex.unmatched.map((u) => ({ ...u, statusText: vexWords(u.status) })),
  };
  if (epss?.date) view.epss = { date: epss.date, ...(epss.version ? { model: epss.version } : {}) };
  if (kev) view.kev = { ...(kev.date ? { date: kev.date } : {}), ...(kev.version ? { version: kev.version } : {}) };
  view.fixFirst = risk.fixFirst.slice(0, RISK_ROWS).flatMap((row) => {
    const f = by.get(row.fingerprint);
    if (!f) return [];
    const best = [...(f.cvssScores ?? [])].sort((a, b) => Number(b.version) - Number(a.version) || b.score - a.score)[0];
    const hasCve = [f.ruleId, ...f.aliases].some((id) => /^CVE-\d{4}-\d+$/i.test(id));
    const out: RiskView['fixFirst'][number] = { ...riskRow(f), rank: row.rank, reasons: row.reasons, why: whyOf(row.reasons), kevChecked: kev !== undefined && hasCve };
    if (f.exploit?.kev) out.kev = { cve: f.exploit.kev.cve, ...(f.exploit.kev.dateAdded ? { dateAdded: f.exploit.kev.dateAdded } : {}), ...(f.exploit.kev.ransomware ? { ransomware: f.exploit.kev.ransomware } : {}), source: f.exploit.kev.source.kind };
    if (f.exploit?.epss) out.epss = { cve: f.exploit.epss.cve, score: f.exploit.epss.score, percentile: f.exploit.epss.percentile, date: f.exploit.epss.date, source: f.exploit.epss.source.kind };
    if (best) out.cvss = { score: best.score, version: best.version, ...(best.nomenclature ? { nomenclature: best.nomenclature } : {}), source: best.source.name, sourceKind: best.source.kind };
    if (f.firstSeen) out.firstSeen = f.firstSeen.date;
    return [out];
  });
  view.fixFirstColumns = {
    kev: kev !== undefined || view.fixFirst.some((r) => r.why.kev),
    epss: epss !== undefined || view.fixFirst.some((r) => r.why.epss),
    cvss: view.fixFirst.some((r) => r.cvss),
  };
  view.overdue = risk.overdue.slice(0, RISK_ROWS).flatMap((o) => {
    const f = by.get(o.fingerprint);
    return f ? [{ ...riskRow(f), firstSeen: o.firstSeen, due: o.due, overdueDays: o.overdueDays }] : [];
  });
  view.vex = report.findings.filter((f) => f.vex).map((f) => ({ ...riskRow(f), ...f.vex!, statusText: vexWords(f.vex!.status) }));
  view.scores = report.findings.flatMap((f) => (f.cvssScores ?? []).map((c) => ({ ...riskRow(f), version: c.version, vector: c.vector, score: c.score, ...(c.nomenclature ? { nomenclature: c.nomenclature } : {}), source: c.source.name, sourceKind: c.source.kind })));
  return view;
}

const STATE_ORDER: OccurrenceState[] = ['open', 'waived', 'waiver expired', 'suppressed', 'not affected'];

function stateOf(f: ReportFinding): OccurrenceState {
  if (f.status === 'suppressed') return 'suppressed';
  if (f.status === 'not_affected') return 'not affected';
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
    const states = { open: 0, waived: 0, 'waiver expired': 0, suppressed: 0, 'not affected': 0 } as Record<OccurrenceState, number>;
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
    risk: riskView(report),
  };
}
