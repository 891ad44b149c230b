import { gzipSync } from 'node:zlib';
import { diag, type Diagnostic } from '../model/diagnostics.ts';
import type { DiffState, ReportDiff } from '../model/diff.ts';
import { SARIF_FINGERPRINT_KEY } from '../model/fingerprint.ts';
import { normalizePath } from '../model/normalize-text.ts';
import type { Report, ReportFinding } from '../model/report.ts';
import { severityRank } from '../model/severity.ts';
import type { Severity, Suppression } from '../model/types.ts';
import { ruleHelp, ruleHelpFacts } from './sarif-help.ts';

/** GitHub code-scanning upload limits (documented by GitHub); each can be lowered, e.g. in tests. */
export interface SarifLimits {
  maxRunsPerFile: number;
  maxResultsPerRun: number;
  maxLocationsPerResult: number;
  /** Largest gzip-compressed size of one file, in bytes. */
  maxGzipBytes: number;
}

/** GitHub's limits: 20 runs per file, 25,000 results per run, 1,000 locations per result, 10 MB gzip. */
export const GITHUB_SARIF_LIMITS: Readonly<SarifLimits> = Object.freeze({
  maxRunsPerFile: 20,
  maxResultsPerRun: 25_000,
  maxLocationsPerResult: 1_000,
  maxGzipBytes: 10 * 1024 * 1024,
});

/** Options for {@link toSarif}; all optional. */
export interface SarifOptions {
  /** A diff whose current side is this report: every result then carries `baselineState`. */
  baseline?: ReportDiff;
  limits?: Partial<SarifLimits>;
}

/** One SARIF file to write: `report.sarif`, then `report-2.sarif`, … when the limits force a split. */
export interface SarifFile {
  name: string;
  json: string;
}

/**
 * `security-severity` numbers GitHub reads from `rules[].properties` to rank alerts. Each value sits
 * inside GitHub's band for the severity (critical > 9.0, high 7.0–8.9, medium 4.0–6.9, low 0.1–3.9).
 * `info` and `unknown` get none: GitHub then falls back to the SARIF level, and an unknown severity
 * is never presented as a number we do not have.
 */
export const SECURITY_SEVERITY: Readonly<Partial<Record<Severity, string>>> = Object.freeze({
  critical: '9.5', high: '8.0', medium: '5.5', low: '2.0',
});

/** SARIF `level` per severity; `unknown` is a warning, never silently a note. */
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note', unknown: 'warning',
};

/**
 * Manifest a dependency finding is attributed to when the scanner gave no file. GitHub needs a
 * physical location on every result, so the conventional lock/manifest file of the ecosystem is
 * named and the result says `auditmark/locationInferred: true`.
 */
const MANIFEST_BY_ECOSYSTEM: Readonly<Record<string, string>> = {
  pypi: 'requirements.txt', npm: 'package-lock.json', go: 'go.mod', maven: 'pom.xml', cargo: 'Cargo.lock',
  rubygems: 'Gemfile.lock', packagist: 'composer.lock', nuget: 'packages.lock.json',
};

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

type Json = Record<string, unknown>;

/** A relative path becomes a URI reference under `%SRCROOT%`; an absolute one a `file://` URI. */
function artifactLocation(path: string): Json {
  const p = normalizePath(path);
  const encoded = p.split('/').map((s) => encodeURIComponent(s).replace(/%3A/gi, ':')).join('/');
  if (p.startsWith('/')) return { uri: `file://${encoded}` };
  if (/^[A-Za-z]:\//.test(p)) return { uri: `file:///${encoded}` };
  return { uri: encoded, uriBaseId: '%SRCROOT%' };
}

function owaspTag(id: string): string | undefined {
  const m = /^(A\d{2}):(\d{4})$/.exec(id);
  return m ? `owasp-top10-${m[2]}/${m[1]}` : undefined;
}

function location(f: ReportFinding, target: string | undefined): { locations: Json[]; inferred: boolean } {
  if (f.location?.path) {
    const physical: Json = { artifactLocation: artifactLocation(f.location.path) };
    const l = f.location;
    if (l.startLine !== undefined && l.startLine >= 1) {
      const region: Json = { startLine: l.startLine };
      if (l.startColumn !== undefined && l.startColumn >= 1) region.startColumn = l.startColumn;
      if (l.endLine !== undefined && l.endLine >= l.startLine) region.endLine = l.endLine;
      if (l.endColumn !== undefined && l.endColumn >= 1 && (l.endLine === undefined || l.endLine > l.startLine || (l.startColumn ?? 1) <= l.endColumn)) region.endColumn = l.endColumn;
      if (l.snippet) region.snippet = { text: l.snippet };
      physical.region = region;
    }
    const loc: Json = { physicalLocation: physical };
    if (f.package) loc.logicalLocations = [packageLocation(f)];
    return { locations: [loc], inferred: false };
  }
  if (f.web) {
    // A dynamic scanner's finding is located by the URL it was found at (as ZAP's own SARIF
    // does); method and parameter go with it as properties of the location.
    const props: Json = {};
    if (f.web.method) props.method = f.web.method;
    if (f.web.parameter) props.parameter = f.web.parameter;
    // A Nuclei network or DNS match is `host:port`, not a URI: it is a logical location then.
    const loc: Json = /^[a-z][a-z0-9+.-]*:\/\//i.test(f.web.url)
      ? { physicalLocation: { artifactLocation: { uri: f.web.url } } }
      : { logicalLocations: [{ name: f.web.url, kind: 'resource' }] };
    if (Object.keys(props).length > 0) loc.properties = props;
    return { locations: [loc], inferred: false };
  }
  if (f.package) {
    const eco = (f.package.ecosystem ?? '').toLowerCase();
    const file = target && !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.includes(' ') ? target : MANIFEST_BY_ECOSYSTEM[eco] ?? 'dependencies';
    return {
      locations: [{ physicalLocation: { artifactLocation: artifactLocation(file), region: { startLine: 1 } }, logicalLocations: [packageLocation(f)] }],
      inferred: true,
    };
  }
  return { locations: [], inferred: false };
}

/** Suppression mechanisms written in the scanned code itself; every other tool mechanism is a file or service beside it. */
const IN_SOURCE_KINDS: ReadonlySet<string> = new Set(['inSource', 'nosemgrep']);

/**
 * A tool's suppression as SARIF, re-emitted as it came: the status is copied (absent stays
 * absent, `underReview` and `rejected` stay what they are: never upgraded to accepted) and the
 * justification kept. SARIF knows two kinds; a tool's own mechanism (`nosemgrep`,
 * `safety-ignore`, ...) is mapped onto them and named in `properties["auditmark/kind"]`.
 */
function sarifSuppression(s: Suppression): Json {
  const sarifKind = s.kind === 'inSource' || s.kind === 'external' ? s.kind : IN_SOURCE_KINDS.has(s.kind) ? 'inSource' : 'external';
  const out: Json = { kind: sarifKind };
  if (s.status !== undefined) out.status = s.status;
  if (s.justification !== undefined) out.justification = s.justification;
  if (sarifKind !== s.kind) out.properties = { 'auditmark/kind': s.kind };
  return out;
}

function packageLocation(f: ReportFinding): Json {
  const p = f.package!;
  const eco = p.ecosystem ? `${p.ecosystem}/` : '';
  return { name: p.name, fullyQualifiedName: `${eco}${p.name}${p.version ? `@${p.version}` : ''}`, kind: 'module' };
}

interface RuleAcc {
  id: string;
  title: string;
  severity: Severity;
  cwe: Set<string>;
  owasp: Set<string>;
  helpUri?: string;
  findings: ReportFinding[];
}

function buildRun(tool: string, version: string | undefined, findings: ReportFinding[], report: Report, states: Map<string, DiffState> | undefined, part: { index: number; of: number }, diagnostics: Diagnostic[], maxLocations: number): Json {
  const rules = new Map<string, RuleAcc>();
  for (const f of findings) {
    let r = rules.get(f.ruleId);
    if (!r) rules.set(f.ruleId, (r = { id: f.ruleId, title: f.title, severity: f.severity, cwe: new Set(), owasp: new Set(), findings: [] }));
    r.findings.push(f);
    if (severityRank(f.severity) < severityRank(r.severity)) r.severity = f.severity;
    f.cwe.forEach((c) => r.cwe.add(c));
    f.owasp.forEach((o) => r.owasp.add(o));
    const link = f.references.find((u) => /^https:\/\//.test(u));
    if (!r.helpUri && link) r.helpUri = link;
  }
  const ruleList = [...rules.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const ruleIndex = new Map(ruleList.map((r, i) => [r.id, i]));
  const target = report.runs.find((r) => r.tool === tool)?.target;

  const results = findings.map((f) => {
    const { locations, inferred } = location(f, target);
    if (locations.length > maxLocations) locations.length = maxLocations;
    const result: Json = {
      ruleId: f.ruleId,
      ruleIndex: ruleIndex.get(f.ruleId),
      level: LEVEL[f.severity],
      message: { text: f.message || f.title },
      locations,
      partialFingerprints: { [SARIF_FINGERPRINT_KEY]: f.fingerprint },
    };
    const suppressions = (f.suppressions ?? []).map(sarifSuppression);
    if (f.status === 'waived' && f.waiver) suppressions.push({ kind: 'external', status: 'accepted', justification: f.waiver.justification });
    if (suppressions.length > 0) result.suppressions = suppressions;
    if (states) {
      const st = states.get(f.fingerprint);
      if (!st) {
        diagnostics.push(diag('sarif/baseline-mismatch', 'warning', `finding ${f.fingerprint} is not in the diff's current side; marked baselineState "new"`, {
          fix: 'build the SARIF from the same current report the diff was made from',
        }));
      }
      result.baselineState = st ?? 'new';
    }
    const props: Json = { severity: f.severity, kind: f.kind, status: f.status };
    if (f.owasp.length) props.owasp = f.owasp;
    if (f.package) props.package = { name: f.package.name, version: f.package.version ?? null, fixedVersions: f.package.fixedVersions };
    if (inferred) props['auditmark/locationInferred'] = true;
    result.properties = props;
    return result;
  });

  const driver: Json = {
    name: tool,
    informationUri: 'https://github.com/auditmark/auditmark',
    rules: ruleList.map((r) => {
      const tags = ['security', ...[...r.cwe].map((c) => `external/cwe/cwe-${c.slice(4)}`), ...[...r.owasp].map(owaspTag).filter((t): t is string => !!t)];
      const props: Json = { tags };
      const sev = SECURITY_SEVERITY[r.severity];
      if (sev) props['security-severity'] = sev;
      const facts = ruleHelpFacts(r.id, r.findings);
      // GitHub shows fullDescription and help on the alert page (the SARIF validator's GH2012).
      const rule: Json = {
        id: r.id,
        shortDescription: { text: r.title || r.id },
        fullDescription: { text: facts.description || r.title || r.id },
        help: ruleHelp(facts),
        defaultConfiguration: { level: LEVEL[r.severity] },
        properties: props,
      };
      if (r.helpUri) rule.helpUri = r.helpUri;
      return rule;
    }),
  };
  if (version) driver.version = version;
  const category = part.of > 1 ? `auditmark/${tool}/part-${part.index}-of-${part.of}/` : `auditmark/${tool}/`;
  return {
    tool: { driver },
    automationDetails: { id: category },
    originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The repository root the scanned paths are relative to.' } } },
    columnKind: 'unicodeCodePoints',
    results,
  };
}

/** One file's text from already serialised runs. Compact JSON: SARIF is for machines, and size counts against the upload limit. */
const fileJson = (runs: readonly string[]) => `{"$schema":${JSON.stringify(SARIF_SCHEMA)},"version":"2.1.0","runs":[${runs.join(',')}]}\n`;

const gzipSize = (text: string) => gzipSync(text).length;

/**
 * Export a report as SARIF 2.1.0 for GitHub code scanning and other SARIF consumers. Pure (gzip is
 * only used to measure the upload size).
 *
 * One run per tool. Within GitHub's limits the output is one file `report.sarif`. A tool with more
 * results than `maxResultsPerRun` (or whose run alone would exceed `maxGzipBytes`) is split into
 * several runs, each with its own `automationDetails.id` category (`auditmark/<tool>/part-i-of-n/`)
 * so GitHub keeps them apart; runs are packed in order into files of at most `maxRunsPerFile` runs
 * and `maxGzipBytes` compressed: `report.sarif`, `report-2.sarif`, … A single result that cannot fit
 * a file alone is refused with `sarif/limit`, naming the limit.
 */
export function toSarif(report: Report, opts: SarifOptions = {}): { files: SarifFile[]; diagnostics: Diagnostic[] } {
  const limits: SarifLimits = { ...GITHUB_SARIF_LIMITS, ...opts.limits };
  const diagnostics: Diagnostic[] = [];
  let states: Map<string, DiffState> | undefined;
  if (opts.baseline) {
    states = new Map();
    for (const f of opts.baseline.findings) if (f.state !== 'absent') states.set(f.fingerprint, f.state);
  }

  const byTool = new Map<string, ReportFinding[]>();
  for (const run of report.runs) if (!byTool.has(run.tool)) byTool.set(run.tool, []);
  for (const f of report.findings) {
    const tool = report.runs[f.run]?.tool ?? f.tool;
    const list = byTool.get(tool);
    if (list) list.push(f);
    else byTool.set(tool, [f]);
  }
  const version = (tool: string) => report.runs.find((r) => r.tool === tool)?.version;
  // Measuring leaves a little room for the part label, which is only known once splitting is done.
  const budget = Math.floor(limits.maxGzipBytes * 0.99);
  const runJson = (tool: string, findings: ReportFinding[], part: { index: number; of: number }, sink: Diagnostic[]) =>
    JSON.stringify(buildRun(tool, version(tool), findings, report, states, part, sink, limits.maxLocationsPerResult));

  const tools = [...byTool.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const runs: Array<{ json: string; gz: number }> = [];
  for (const tool of tools) {
    const all = byTool.get(tool)!;
    let chunks: ReportFinding[][] = [];
    for (let i = 0; i < all.length; i += limits.maxResultsPerRun) chunks.push(all.slice(i, i + limits.maxResultsPerRun));
    if (chunks.length === 0) chunks = [[]];
    // Split any chunk whose run alone is over the compressed budget, into as many even parts as
    // its measured size asks for (plus one for slack), then measure again.
    for (let k = 0; k < chunks.length; ) {
      const c = chunks[k]!;
      const size = gzipSize(fileJson([runJson(tool, c, { index: 1, of: 1 }, [])]));
      if (size <= budget) {
        k++;
        continue;
      }
      if (c.length <= 1) {
        return {
          files: [],
          diagnostics: [diag('sarif/limit', 'error', `one ${tool} result alone exceeds the SARIF upload limit maxGzipBytes=${limits.maxGzipBytes} after compression (${size} bytes)`, {
            expected: `each SARIF file at most ${limits.maxGzipBytes} bytes gzip-compressed (GitHub code scanning limit)`,
            fix: 'lower limits.maxFieldLength so huge messages and snippets are truncated, or leave sarif out of --format',
          })],
        };
      }
      const parts = Math.min(c.length, Math.ceil(size / budget) + 1);
      const per = Math.ceil(c.length / parts);
      const pieces: ReportFinding[][] = [];
      for (let i = 0; i < c.length; i += per) pieces.push(c.slice(i, i + per));
      chunks.splice(k, 1, ...pieces);
    }
    chunks.forEach((c, i) => {
      const json = runJson(tool, c, { index: i + 1, of: chunks.length }, diagnostics);
      runs.push({ json, gz: gzipSize(json) });
    });
  }

  // Pack runs in order. The sum of the runs' compressed sizes estimates the file's; each file is
  // then measured once and, in the rare case the estimate was low, its last run moves on.
  const files: string[] = [];
  let group: typeof runs = [];
  let estimate = 0;
  const flush = () => {
    while (group.length > 1 && gzipSize(fileJson(group.map((r) => r.json))) > limits.maxGzipBytes) {
      const last = group.pop()!;
      files.push(fileJson(group.map((r) => r.json)));
      group = [last];
    }
    files.push(fileJson(group.map((r) => r.json)));
    group = [];
    estimate = 0;
  };
  for (const run of runs) {
    if (group.length > 0 && (group.length >= limits.maxRunsPerFile || estimate + run.gz > budget)) flush();
    group.push(run);
    estimate += run.gz;
  }
  flush();
  return {
    files: files.map((json, i) => ({ name: i === 0 ? 'report.sarif' : `report-${i + 1}.sarif`, json })),
    diagnostics: dedupe(diagnostics),
  };
}

/** A baseline mismatch is reported once per fingerprint even if a run is measured before it is kept. */
function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.code}\u0000${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
