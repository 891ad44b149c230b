import type { Coverage, NotScanned } from '../model/types.ts';
import { FieldCheck, dependencyTitle } from './field-check.ts';
import { isObject, uniqSorted, type DraftFinding, type Reader, type ReaderInput, type ReaderResult } from './reader.ts';

const COVERAGE: Coverage = { dependencies: true, source: 'pip-audit checks Python dependencies against the PyPI/OSV advisory database' };

function isDependency(v: unknown): boolean {
  return isObject(v) && typeof v.name === 'string' && ('vulns' in v || 'skip_reason' in v);
}

function detect(v: unknown): number {
  if (Array.isArray(v)) return v.length > 0 && isDependency(v[0]) ? 1 : 0;
  if (!isObject(v) || !('dependencies' in v)) return 0;
  if ('fixes' in v) return 1;
  if (!Array.isArray(v.dependencies)) return 0;
  return v.dependencies.length > 0 && isDependency(v.dependencies[0]) ? 0.9 : 0;
}

function read({ value }: ReaderInput): ReaderResult {
  const f = new FieldCheck();
  // pip-audit < 2.0 wrote a bare array; >= 2.0 wraps it as {dependencies, fixes}.
  const deps = Array.isArray(value) ? value : isObject(value) && Array.isArray(value.dependencies) ? value.dependencies : undefined;
  const prefix = Array.isArray(value) ? '' : '/dependencies';
  if (!deps) {
    f.refuse(
      'pip-audit report has no "dependencies" array',
      isObject(value) ? '/dependencies' : '',
      'an array of {name, version, vulns} (or a bare array from pip-audit < 2.0)',
      'write the report with `pip-audit -f json -o <file>`',
    );
    return { runs: [], diagnostics: f.diagnostics };
  }
  const findings: DraftFinding[] = [];
  const notScanned: NotScanned[] = [];
  deps.forEach((raw, i) => {
    const base = `${prefix}/${i}`;
    const dep = f.item(raw, base);
    if (!dep) return;
    const name = f.requiredString(dep.name, `${base}/name`);
    if (name === undefined) return;
    const skip = f.string(dep.skip_reason, `${base}/skip_reason`);
    if (skip !== undefined) {
      // Unauditable packages (not on PyPI, local paths) were not checked at all: a coverage gap, not a pass.
      notScanned.push({ reason: skip || `pip-audit skipped ${name}`, pointer: base });
      return;
    }
    const version = f.string(dep.version, `${base}/version`);
    f.array(dep.vulns, `${base}/vulns`).forEach((rawV, vi) => {
      const vbase = `${base}/vulns/${vi}`;
      const v = f.item(rawV, vbase);
      if (!v) return;
      const id = f.requiredString(v.id, `${vbase}/id`);
      if (id === undefined) return;
      findings.push({
        tool: 'pip-audit', kind: 'dependency', ruleId: id,
        title: dependencyTitle(id, name, version),
        message: f.string(v.description, `${vbase}/description`) ?? '',
        // pip-audit reports no severity at all; `unknown` keeps that visible instead of guessing.
        severity: 'unknown',
        cwe: [],
        aliases: uniqSorted(f.strings(v.aliases, `${vbase}/aliases`)).filter((a) => a !== id),
        package: { ecosystem: 'pypi', name, ...(version ? { version } : {}), fixedVersions: uniqSorted(f.strings(v.fix_versions, `${vbase}/fix_versions`)) },
        references: [],
        pointer: vbase,
      });
    });
  });
  const version = ownVersion(deps);
  return {
    runs: [{ tool: version ? { name: 'pip-audit', version } : { name: 'pip-audit' }, format: 'pip-audit', notScanned, coverage: COVERAGE, findings }],
    diagnostics: f.diagnostics,
  };
}

/**
 * pip-audit's JSON names no version of its own. Run without `-r` it audits the environment it is
 * installed in, so that environment's dependency list holds pip-audit itself: its version there is
 * the version that ran (the same kind of evidence as Bandit's version in its `more_info` URLs).
 * A list without pip-audit (an audited requirements file) leaves the version unknown.
 */
function ownVersion(deps: readonly unknown[]): string | undefined {
  for (const d of deps) {
    if (isObject(d) && typeof d.name === 'string' && d.name.toLowerCase().replace(/[-_.]+/g, '-') === 'pip-audit' && typeof d.version === 'string' && /^\d+(\.\d+)*\S*$/.test(d.version)) return d.version;
  }
  return undefined;
}

/** pip-audit JSON (`pip-audit -f json`): the old bare array and the `{dependencies, fixes}` object. */
export const fromPipAudit: Reader = {
  id: 'pip-audit',
  description: 'pip-audit JSON (`pip-audit -f json`, both the < 2.0 array and the {dependencies, fixes} object)',
  detect,
  coverage: COVERAGE,
  read,
};
