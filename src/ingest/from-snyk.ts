import { diag } from '../model/diagnostics.ts';
import { collectCwes } from '../model/normalize-text.ts';
import type { PackageRef, Severity, Suppression } from '../model/types.ts';
import { isObject, uniqSorted, type DraftFinding, type DraftRun, type Reader, type ReaderInput, type ReaderResult } from './reader.ts';
import { FieldCheck, normalizeEcosystem, pathLocation } from './field-check.ts';

type Obj = Record<string, unknown>;

/** Snyk's severity words (`severityWithCritical` uses the same vocabulary). */
const SEVERITY: Readonly<Record<string, Severity>> = {
  critical: 'critical', high: 'high', medium: 'medium', low: 'low',
};

function isProject(v: unknown): v is Obj {
  return isObject(v) && Array.isArray(v.vulnerabilities) && ('packageManager' in v || 'projectName' in v || 'dependencyCount' in v || 'ok' in v);
}

/** `snyk test --json` when the CLI itself failed (not authenticated, no manifest found...). */
function isSnykError(v: unknown): v is Obj {
  return isObject(v) && v.ok === false && typeof v.error === 'string' && !('vulnerabilities' in v);
}

/** Snyk Open Source CLI JSON (`snyk test --json`, also `--all-projects` arrays). */
export const fromSnyk: Reader = {
  id: 'snyk',
  description: 'Snyk Open Source CLI JSON (snyk test --json, --all-projects)',
  coverage: { dependencies: true, source: 'Snyk Open Source (vulnerable dependencies)' },
  detect(value) {
    if (isProject(value)) return 1;
    if (isSnykError(value)) return 0.7;
    if (Array.isArray(value) && value.length > 0 && value.every(isProject)) return 1;
    return 0;
  },
  read: readSnyk,
};

function readSnyk({ value }: ReaderInput): ReaderResult {
  const f = new FieldCheck();
  if (isSnykError(value)) {
    const text = String(value.error).trim().split('\n', 1)[0]!.slice(0, 300);
    return {
      runs: [],
      diagnostics: [diag('ingest/tool-error', 'error', `Snyk did not scan: ${text}`, {
        pointer: '/error', expected: 'a Snyk test result with "vulnerabilities"',
        fix: 'fix the reported problem (e.g. `snyk auth`, or run in the project directory) and re-run `snyk test --json`',
      })],
    };
  }
  const projects = Array.isArray(value) ? value.map((p, i) => ({ p, ptr: `/${i}` })) : [{ p: value, ptr: '' }];
  const runs: DraftRun[] = [];
  for (const { p, ptr } of projects) {
    if (!isObject(p)) {
      f.bad(ptr, 'a Snyk project object', p);
      continue;
    }
    runs.push(readProject(p, ptr, f));
  }
  return { runs, diagnostics: f.diagnostics };
}

/**
 * Snyk lists a vulnerability once per dependency path (`from`): those entries are one problem,
 * so they merge into ONE finding per (id, package, version) with every path kept.
 */
function readProject(project: Obj, ptr: string, f: FieldCheck): DraftRun {
  const run: DraftRun = { tool: { name: 'snyk' }, format: 'snyk', notScanned: [], findings: [] };
  const target = f.string(project.projectName, `${ptr}/projectName`) ?? f.string(project.displayTargetFile, `${ptr}/displayTargetFile`) ?? f.string(project.path, `${ptr}/path`);
  if (target) run.target = target;
  const targetFile = f.string(project.displayTargetFile, `${ptr}/displayTargetFile`);
  const manager = f.string(project.packageManager, `${ptr}/packageManager`);
  const byKey = new Map<string, { finding: DraftFinding; paths: Map<string, string[]>; upgrades: Set<string> }>();
  f.array(project.vulnerabilities, `${ptr}/vulnerabilities`).forEach((v, i) => {
    const vp = `${ptr}/vulnerabilities/${i}`;
    if (!isObject(v)) {
      f.bad(vp, 'a Snyk vulnerability object', v);
      return;
    }
    const id = f.id(v.id, `${vp}/id`) ?? 'snyk/no-id';
    const name = f.id(v.packageName, `${vp}/packageName`) ?? f.id(v.moduleName, `${vp}/moduleName`) ?? '(unknown package)';
    const version = f.string(v.version, `${vp}/version`);
    const key = [id, name, version ?? ''].join('\u0000');
    let entry = byKey.get(key);
    if (!entry) {
      entry = { finding: readVuln(v, vp, id, name, version, manager ?? f.string(v.packageManager, `${vp}/packageManager`), targetFile, f), paths: new Map(), upgrades: new Set() };
      byKey.set(key, entry);
    }
    const from = f.strings(v.from, `${vp}/from`);
    if (from.length > 0) entry.paths.set(from.join('\u0000'), from);
    // upgradePath[0] is the project itself (always `false`); the next entry is the direct
    // dependency to upgrade, `false` when no upgrade fixes this path.
    const up = f.array(v.upgradePath, `${vp}/upgradePath`).slice(1).find((u) => u !== false);
    if (typeof up === 'string' && up !== '') entry.upgrades.add(up);
  });
  for (const { finding, paths, upgrades } of byKey.values()) {
    if (paths.size > 0) finding.package!.paths = [...paths.values()];
    if (upgrades.size > 0) finding.message += `\n\nRemediation: upgrade ${[...upgrades].sort().join(', ')}`;
    run.findings.push(finding);
  }
  // Vulnerabilities a `.snyk` policy (or the Snyk UI) ignores are listed in `filtered.ignore`,
  // out of `vulnerabilities`: kept, one suppressed finding each (an ignore may cover one path only).
  const filtered = f.object(project.filtered, ptr, 'filtered');
  if (filtered) {
    f.array(filtered.ignore, `${ptr}/filtered`, 'ignore').forEach((v, i) => {
      const vp = `${ptr}/filtered/ignore/${i}`;
      if (!isObject(v)) {
        f.bad(vp, 'a Snyk vulnerability object', v);
        return;
      }
      const id = f.id(v.id, vp, 'id') ?? 'snyk/no-id';
      const name = f.id(v.packageName, vp, 'packageName') ?? f.id(v.moduleName, vp, 'moduleName') ?? '(unknown package)';
      const finding = readVuln(v, vp, id, name, f.string(v.version, vp, 'version'), manager ?? f.string(v.packageManager, vp, 'packageManager'), targetFile, f);
      const from = f.strings(v.from, vp, 'from');
      if (from.length > 0) finding.package!.paths = [from];
      finding.suppressions = [snykIgnore(v, vp, f)];
      run.findings.push(finding);
    });
  }
  const merged = f.array(project.vulnerabilities, `${ptr}/vulnerabilities`).length - byKey.size;
  if (merged > 0) {
    f.diagnostics.push(diag('ingest/duplicates-merged', 'info', `${merged} Snyk entries repeat an (id, package, version) for another dependency path; they were merged into ${byKey.size} findings with all paths kept`, { pointer: `${ptr}/vulnerabilities` }));
  }
  return run;
}

function readVuln(v: Obj, vp: string, id: string, name: string, version: string | undefined, manager: string | undefined, targetFile: string | undefined, f: FieldCheck): DraftFinding {
  const ids = f.object(v.identifiers, `${vp}/identifiers`) ?? {};
  const pkg: PackageRef = {
    name,
    fixedVersions: uniqSorted(f.strings(v.fixedIn, `${vp}/fixedIn`)),
  };
  if (version !== undefined) pkg.version = version;
  const eco = normalizeEcosystem(manager);
  if (eco) pkg.ecosystem = eco;
  const title = f.string(v.title, `${vp}/title`);
  const finding: DraftFinding = {
    tool: 'snyk',
    kind: 'dependency',
    ruleId: id,
    title: title?.trim() || id,
    // Markdown from a third party, kept verbatim: compose escapes it, never renders it raw.
    message: f.string(v.description, `${vp}/description`) ?? title ?? id,
    ...severityOf(v, vp, f),
    cwe: collectCwes(f.strings(ids.CWE, `${vp}/identifiers/CWE`)),
    aliases: uniqSorted([...f.strings(ids.CVE, `${vp}/identifiers/CVE`), ...f.strings(ids.GHSA, `${vp}/identifiers/GHSA`)].filter((a) => a !== id)),
    package: pkg,
    references: uniqSorted(f.array(v.references, `${vp}/references`).map((r) => (isObject(r) && typeof r.url === 'string' ? r.url : undefined))),
    pointer: vp,
  };
  if (finding.rawSeverity === undefined) delete finding.rawSeverity;
  if (targetFile) finding.location = pathLocation(targetFile);
  return finding;
}

/**
 * An ignored vulnerability's ignore: `filtered.ignored[]` holds the rules that applied
 * (`reason`, `expires`, `source`); the reason of the first is the justification.
 */
function snykIgnore(v: Obj, vp: string, f: FieldCheck): Suppression {
  const rules = isObject(v.filtered) ? f.array(v.filtered.ignored, `${vp}/filtered`, 'ignored') : [];
  const first = rules.find(isObject);
  const reason = first && typeof first.reason === 'string' && first.reason.trim() !== '' ? first.reason.trim() : undefined;
  return reason ? { kind: 'snyk-ignore', justification: reason } : { kind: 'snyk-ignore' };
}

function severityOf(v: Obj, vp: string, f: FieldCheck): { severity: Severity; rawSeverity?: string } {
  const word = f.severity(v.severity, SEVERITY, `${vp}/severity`, 'Snyk');
  if (word.severity !== 'unknown') return word;
  const byScore = f.score(v.cvssScore, `${vp}/cvssScore`);
  if (byScore) return { severity: byScore, rawSeverity: word.rawSeverity ?? `CVSS ${String(v.cvssScore)}` };
  return word;
}
