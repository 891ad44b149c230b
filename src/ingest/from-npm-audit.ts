import { diag, pointer } from '../model/diagnostics.ts';
import { collectCwes } from '../model/normalize-text.ts';
import type { Coverage, Severity } from '../model/types.ts';
import { FieldCheck } from './field-check.ts';
import { isObject, uniqSorted, type DraftFinding, type DraftRun, type Reader, type ReaderInput, type ReaderResult } from './reader.ts';

/** npm's advisory severities; `moderate` is npm's word for medium. */
export const NPM_SEVERITY: Readonly<Record<string, Severity>> = { critical: 'critical', high: 'high', moderate: 'medium', low: 'low', info: 'info' };

const COVERAGE: Coverage = { dependencies: true, source: 'npm audit checks the npm dependency tree against the registry\'s advisory database' };

/**
 * npm 6 `cwe` comes as `"CWE-94"`, `["CWE-77"]`, a JSON-encoded list `"[\"CWE-400\"]"` or null.
 * Every CWE-looking token is taken, so all three give the same list.
 */
export function npmCwes(v: unknown): string[] {
  if (Array.isArray(v)) return collectCwes(v);
  if (typeof v !== 'string') return [];
  return collectCwes(v.match(/cwe-?\d+/gi) ?? []);
}

/**
 * npm 6 `patched_versions` is a range, not a list. Only a single lower bound (`>=1.10.2`) names
 * a version that fixes the advisory; `<0.0.0` means "no fix" and other ranges are kept in the
 * message, never guessed into versions.
 */
export function patchedRangeToVersions(range: string | undefined): string[] {
  const m = range ? /^\s*>=\s*v?(\d+\.\d+\.\d+[^\s|<>=]*)\s*$/.exec(range) : null;
  return m?.[1] ? [m[1]] : [];
}

const GHSA = /GHSA(?:-[23456789cfghjmpqrvwx]{4}){3}/i;
const URL_RE = /https?:\/\/[^\s)\]>"']+/g;

function detect(v: unknown): number {
  if (!isObject(v)) return 0;
  if (v.auditReportVersion !== undefined && 'vulnerabilities' in v) return 1;
  if ('advisories' in v && ('actions' in v || 'muted' in v)) return 1;
  if (isObject(v.error) && typeof v.error.code === 'string' && 'summary' in v.error && Object.keys(v).length === 1) return 0.9;
  return 0;
}

/** An `{error: {code, summary}}` document: npm audit did not run, so nothing was checked. */
function readError(err: Record<string, unknown>, f: FieldCheck): DraftRun {
  const code = f.string(err.code, '/error/code') ?? 'unknown';
  const summary = f.string(err.summary, '/error/summary') ?? '';
  const detail = f.string(err.detail, '/error/detail') ?? '';
  const text = [summary, detail].filter(Boolean).join(' ');
  f.push(diag('ingest/tool-error', 'error', `npm audit failed (${code}), so no dependency was checked: ${text || 'no details given'}`, {
    pointer: '/error', expected: 'an npm audit report',
    fix: code === 'ENOAUDIT' ? 'point npm at a registry that supports audits (e.g. `npm audit --registry=<url>`) and run it again' : 'fix the cause above and run `npm audit --json` again',
  }));
  return { tool: { name: 'npm-audit' }, format: 'npm-audit', notScanned: [{ reason: `npm audit failed (${code}): ${text}`.trim(), pointer: '/error' }], findings: [] };
}

/** npm <= 6: `advisories` keyed by advisory id, one finding per advisory. */
function readV6(advisories: Record<string, unknown>, f: FieldCheck): DraftFinding[] {
  const findings: DraftFinding[] = [];
  for (const [key, raw] of Object.entries(advisories)) {
    const base = pointer('advisories', key);
    const a = f.item(raw, base);
    if (!a) continue;
    const id = a.id === undefined ? key : f.requiredString(a.id, `${base}/id`);
    const name = f.requiredString(a.module_name, `${base}/module_name`);
    if (id === undefined || name === undefined) continue;
    const versions: string[] = [];
    const paths: string[][] = [];
    f.array(a.findings, `${base}/findings`).forEach((rawF, i) => {
      if (!isObject(rawF)) return f.bad(`${base}/findings/${i}`, 'an object', rawF);
      if (typeof rawF.version === 'string') versions.push(rawF.version);
      f.strings(rawF.paths, `${base}/findings/${i}/paths`).forEach((p) => paths.push(p.split('>')));
    });
    const sev = f.severity(a.severity, NPM_SEVERITY, `${base}/severity`, 'npm audit');
    const title = f.string(a.title, `${base}/title`) ?? id;
    const patched = f.string(a.patched_versions, `${base}/patched_versions`);
    const vulnerable = f.string(a.vulnerable_versions, `${base}/vulnerable_versions`);
    const url = f.string(a.url, `${base}/url`);
    const ghsa = f.string(a.github_advisory_id, `${base}/github_advisory_id`);
    const refsText = f.string(a.references, `${base}/references`) ?? '';
    const recommendation = f.string(a.recommendation, `${base}/recommendation`);
    const parts = [f.string(a.overview, `${base}/overview`) ?? ''];
    if (vulnerable) parts.push(`Vulnerable versions: ${vulnerable}`);
    if (patched) parts.push(`Patched versions: ${patched}`);
    if (recommendation) parts.push(`Recommendation: ${recommendation}`);
    const uniqueVersions = uniqSorted(versions);
    const finding: DraftFinding = {
      tool: 'npm-audit', kind: 'dependency', ruleId: id, title,
      message: parts.filter(Boolean).join('\n\n'),
      severity: sev.severity,
      cwe: npmCwes(a.cwe),
      aliases: uniqSorted([...f.strings(a.cves, `${base}/cves`), ghsa, url ? GHSA.exec(url)?.[0] : undefined]).filter((x) => x !== id),
      package: {
        ecosystem: 'npm', name,
        // One advisory can hit several installed copies; they share one finding, so list them all.
        ...(uniqueVersions.length > 0 ? { version: uniqueVersions.join(', ') } : {}),
        fixedVersions: patchedRangeToVersions(patched),
        ...(paths.length > 0 ? { paths } : {}),
      },
      references: uniqSorted([url, ...(refsText.match(URL_RE) ?? [])]),
      pointer: base,
    };
    if (sev.rawSeverity !== undefined) finding.rawSeverity = sev.rawSeverity;
    findings.push(finding);
  }
  return findings;
}

function fixText(fix: unknown): string | undefined {
  if (fix === true) return 'A fix is available through `npm audit fix`.';
  if (fix === false) return 'No fix is available.';
  if (isObject(fix) && typeof fix.name === 'string') {
    return `Fix: upgrade ${fix.name} to ${typeof fix.version === 'string' ? fix.version : 'a newer version'}${fix.isSemVerMajor === true ? ' (a semver-major change)' : ''}.`;
  }
  return undefined;
}

/** npm >= 7: `vulnerabilities` keyed by package; only object `via` entries are advisories. */
function readV7(vulns: Record<string, unknown>, f: FieldCheck): DraftFinding[] {
  const findings: DraftFinding[] = [];
  const seen = new Set<string>();
  for (const [key, raw] of Object.entries(vulns)) {
    const base = pointer('vulnerabilities', key);
    const entry = f.item(raw, base);
    if (!entry) continue;
    const fix = fixText(entry.fixAvailable);
    const paths = f.strings(entry.nodes, `${base}/nodes`)
      .map((n) => n.split('node_modules/').map((s) => s.replace(/\/$/, '')).filter(Boolean))
      .filter((p) => p.length > 0);
    f.array(entry.via, `${base}/via`).forEach((via, vi) => {
      const vbase = `${base}/via/${vi}`;
      // A string names another vulnerable package (the transitive cause); its advisory is
      // reported under that package's own entry, so counting it here would double count.
      if (typeof via === 'string') return;
      const v = f.item(via, vbase);
      if (!v) return;
      const id = f.requiredString(v.source, `${vbase}/source`);
      if (id === undefined) return;
      const name = f.string(v.dependency, `${vbase}/dependency`) ?? f.string(v.name, `${vbase}/name`) ?? key;
      const dedupe = `${id}\u0000${name}`;
      if (seen.has(dedupe)) return;
      seen.add(dedupe);
      const sev = f.severity(v.severity, NPM_SEVERITY, `${vbase}/severity`, 'npm audit');
      const url = f.string(v.url, `${vbase}/url`);
      const range = f.string(v.range, `${vbase}/range`);
      const cvss = f.object(v.cvss, `${vbase}/cvss`);
      const score = cvss ? f.number(cvss.score, `${vbase}/cvss/score`) : undefined;
      const parts: string[] = [];
      if (range) parts.push(`Vulnerable versions: ${range}`);
      if (score) parts.push(`CVSS: ${score}${typeof cvss?.vectorString === 'string' ? ` (${cvss.vectorString})` : ''}`);
      if (fix) parts.push(fix);
      const title = f.string(v.title, `${vbase}/title`) ?? id;
      const finding: DraftFinding = {
        tool: 'npm-audit', kind: 'dependency', ruleId: id, title,
        message: [title, ...parts].join('\n\n'),
        severity: sev.severity,
        cwe: collectCwes(f.strings(v.cwe, `${vbase}/cwe`)),
        aliases: uniqSorted([url ? GHSA.exec(url)?.[0] : undefined]).filter((x) => x !== id),
        // npm 7 reports the vulnerable range, not the installed version, and `fixAvailable` names
        // the top-level package to upgrade: neither is a fixed version of this package.
        package: { ecosystem: 'npm', name, fixedVersions: [], ...(paths.length > 0 && name === key ? { paths } : {}) },
        references: uniqSorted([url]),
        pointer: vbase,
      };
      if (sev.rawSeverity !== undefined) finding.rawSeverity = sev.rawSeverity;
      findings.push(finding);
    });
  }
  return findings;
}

function read({ value }: ReaderInput): ReaderResult {
  const f = new FieldCheck();
  if (!isObject(value)) {
    f.refuse('npm audit output must be an object', '', 'an object', 'write the report with `npm audit --json`');
    return { runs: [], diagnostics: f.diagnostics };
  }
  if (isObject(value.error) && !('vulnerabilities' in value) && !('advisories' in value)) {
    return { runs: [{ ...readError(value.error, f), coverage: COVERAGE }], diagnostics: f.diagnostics };
  }
  let findings: DraftFinding[];
  if (value.auditReportVersion !== undefined) {
    if (value.auditReportVersion !== 2) {
      f.push(diag('ingest/unsupported-version', 'warning', `npm audit auditReportVersion ${JSON.stringify(value.auditReportVersion)} is not the supported version 2; read as version 2`, {
        pointer: '/auditReportVersion', expected: '2',
      }));
    }
    if (!isObject(value.vulnerabilities)) {
      f.bad('/vulnerabilities', 'an object keyed by package name', value.vulnerabilities, true);
      return { runs: [], diagnostics: f.diagnostics };
    }
    findings = readV7(value.vulnerabilities, f);
  } else {
    if (!isObject(value.advisories)) {
      f.bad('/advisories', 'an object keyed by advisory id', value.advisories, true);
      return { runs: [], diagnostics: f.diagnostics };
    }
    findings = readV6(value.advisories, f);
  }
  return { runs: [{ tool: { name: 'npm-audit' }, format: 'npm-audit', notScanned: [], coverage: COVERAGE, findings }], diagnostics: f.diagnostics };
}

/** npm audit JSON: npm <= 6 (`advisories`) and npm >= 7 (`auditReportVersion: 2`), plus its error documents. */
export const fromNpmAudit: Reader = {
  id: 'npm-audit',
  description: 'npm audit JSON (`npm audit --json`, npm 6 and npm 7+)',
  detect,
  coverage: COVERAGE,
  read,
};
