import { cvssSeverity, scoreCvss } from '../model/cvss.ts';
import { toolCvss, uniqueCvss } from './risk-fields.ts';
import { normalizePackageName } from '../model/fingerprint.ts';
import { collectCwes, normalizePath } from '../model/normalize-text.ts';
import { severityRank } from '../model/severity.ts';
import type { CvssRating, PackageRef, Severity } from '../model/types.ts';
import { arr, isObject, uniqSorted, type DraftFinding, type DraftRun, type Reader, type ReaderInput, type ReaderResult } from './reader.ts';
import { FieldCheck, firstLine, normalizeEcosystem, pathLocation } from './field-check.ts';

type Obj = Record<string, unknown>;

/** OSV `database_specific.severity` (GitHub advisory words). */
const DB_SEVERITY: Readonly<Record<string, Severity>> = {
  critical: 'critical', high: 'high', moderate: 'medium', medium: 'medium', low: 'low',
};

/** OSV-Scanner JSON (`osv-scanner --format json`). */
export const fromOsvScanner: Reader = {
  id: 'osv-scanner',
  description: 'OSV-Scanner JSON (osv-scanner --format json)',
  coverage: { dependencies: true, source: 'OSV-Scanner (osv.dev advisories for scanned lockfiles and git commits)' },
  detect(value) {
    if (!isObject(value) || !Array.isArray(value.results)) return 0;
    if ('experimental_config' in value) return 1;
    const first = value.results.find(isObject);
    if (first) return Array.isArray(first.packages) && isObject(first.source) ? 1 : 0;
    // `{"results": []}` is what osv-scanner writes when nothing was found.
    return Object.keys(value).length === 1 ? 0.6 : 0;
  },
  read: readOsv,
};

interface Scored {
  severity: Severity;
  rawSeverity?: string;
}

function readOsv({ value }: ReaderInput): ReaderResult {
  const f = new FieldCheck();
  if (!isObject(value)) {
    f.bad('', 'an OSV-Scanner report object', value);
    return { runs: [], diagnostics: f.diagnostics };
  }
  const run: DraftRun = { tool: { name: 'osv-scanner' }, format: 'osv-scanner', notScanned: [], findings: [] };
  f.array(value.results, '/results').forEach((r, i) => {
    const rp = `/results/${i}`;
    if (!isObject(r)) {
      f.bad(rp, 'an OSV-Scanner result object', r);
      return;
    }
    const source = f.object(r.source, `${rp}/source`);
    const sourcePath = source ? f.string(source.path, `${rp}/source/path`) : undefined;
    f.array(r.packages, `${rp}/packages`).forEach((pk, j) => {
      const pp = `${rp}/packages/${j}`;
      if (!isObject(pk)) {
        f.bad(pp, 'an OSV-Scanner package object', pk);
        return;
      }
      run.findings.push(...readPackage(pk, pp, sourcePath, f));
    });
  });
  return { runs: [run], diagnostics: f.diagnostics };
}

/**
 * One finding per group of `groups[].ids` (an advisory and its aliases are separate records in
 * `vulnerabilities[]`); records in no group stand alone. The first id of the group is the rule
 * id, the other ids and every record's aliases become aliases.
 */
function readPackage(pk: Obj, pp: string, sourcePath: string | undefined, f: FieldCheck): DraftFinding[] {
  const pkgObj = f.object(pk.package, `${pp}/package`) ?? {};
  const rawName = f.string(pkgObj.name, `${pp}/package/name`) ?? '';
  const rawEco = f.string(pkgObj.ecosystem, `${pp}/package/ecosystem`);
  const commit = f.string(pkgObj.commit, `${pp}/package/commit`);
  const ecosystem = normalizeEcosystem(rawEco);
  const byId = new Map<string, { v: Obj; k: number; id: string }>();
  f.array(pk.vulnerabilities, `${pp}/vulnerabilities`).forEach((v, k) => {
    if (!isObject(v)) {
      f.bad(`${pp}/vulnerabilities/${k}`, 'an OSV record object', v);
      return;
    }
    // A record without an id is still a vulnerability of this package: keep it under a
    // placeholder id (the bad-field warning says why) rather than lose it.
    const id = f.id(v.id, `${pp}/vulnerabilities/${k}/id`);
    const key = id ?? `\u0000${k}`;
    if (!byId.has(key)) byId.set(key, { v, k, id: id ?? 'osv-scanner/no-id' });
  });

  const groups: Array<{ ids: string[]; aliases: string[]; maxSeverity?: string }> = [];
  const grouped = new Set<string>();
  f.array(pk.groups, `${pp}/groups`).forEach((g, n) => {
    if (!isObject(g)) return;
    const ids = f.strings(g.ids, `${pp}/groups/${n}/ids`).filter((id) => byId.has(id) && !grouped.has(id));
    if (ids.length === 0) return;
    ids.forEach((id) => grouped.add(id));
    const entry: (typeof groups)[number] = { ids, aliases: f.strings(g.aliases, `${pp}/groups/${n}/aliases`) };
    const max = f.string(g.max_severity, `${pp}/groups/${n}/max_severity`);
    if (max !== undefined) entry.maxSeverity = max;
    groups.push(entry);
  });
  for (const id of byId.keys()) if (!grouped.has(id)) groups.push({ ids: [id], aliases: [] });

  return groups.map((g) => {
    const members = g.ids.map((id) => byId.get(id)!);
    const primary = members[0]!;
    const ruleId = primary.id;
    const vp = `${pp}/vulnerabilities/${primary.k}`;
    const pkg: PackageRef = {
      // A git-source result has no package name: the repository at a commit is the "package".
      name: rawName.trim() !== '' ? rawName : sourcePath !== undefined && sourcePath.trim() !== '' ? normalizePath(sourcePath) : '(unknown package)',
      fixedVersions: [...new Set(members.flatMap(({ v, k }) => fixedFor(v, `${pp}/vulnerabilities/${k}`, rawName, rawEco, f)))],
    };
    const version = f.string(pkgObj.version, `${pp}/package/version`);
    if (version) pkg.version = version;
    else if (commit) pkg.version = commit;
    if (ecosystem) pkg.ecosystem = ecosystem;
    else if (commit) pkg.ecosystem = 'git';

    const summary = members.map(({ v }) => (typeof v.summary === 'string' ? v.summary.trim() : '')).find((s) => s);
    const details = members.map(({ v }) => (typeof v.details === 'string' ? v.details : '')).find((s) => s.trim());
    const finding: DraftFinding = {
      tool: 'osv-scanner',
      kind: 'dependency',
      ruleId,
      title: summary || firstLine(details ?? '') || ruleId,
      message: details ?? summary ?? ruleId,
      ...groupSeverity(g.maxSeverity, members, pp, f),
      cwe: collectCwes(members.flatMap(({ v }) => (isObject(v.database_specific) ? arr(v.database_specific.cwe_ids) : []))),
      aliases: uniqSorted([...members.slice(1).map((m) => m.id), ...g.aliases, ...members.flatMap(({ v }) => arr(v.aliases).filter((a): a is string => typeof a === 'string'))].filter((a) => a !== ruleId)),
      package: pkg,
      references: uniqSorted(members.flatMap(({ v }) => arr(v.references).map((r) => (isObject(r) && typeof r.url === 'string' ? r.url : undefined)))),
      pointer: vp,
    };
    if (finding.rawSeverity === undefined) delete finding.rawSeverity;
    const cvss = uniqueCvss(members.flatMap(({ v, k }) => recordCvss(v, `${pp}/vulnerabilities/${k}`, f)));
    if (cvss.length) finding.cvss = cvss;
    if (sourcePath !== undefined && sourcePath !== '') finding.location = pathLocation(sourcePath);
    return finding;
  });
}

/**
 * The worst severity among the group's records; each record's own severity is its CVSS v3
 * vector's computed base score, else `database_specific.severity` (CVSS v4 vectors too, until
 * a v4 calculator is added). osv-scanner v2's `groups[].max_severity` score wins when present.
 */
function groupSeverity(maxSeverity: string | undefined, members: Array<{ v: Obj; k: number; id: string }>, pp: string, f: FieldCheck): Scored {
  if (maxSeverity !== undefined && maxSeverity.trim() !== '') {
    const s = f.score(maxSeverity, `${pp}/groups/max_severity`);
    if (s) return { severity: s, rawSeverity: maxSeverity };
  }
  let best: Scored = { severity: 'unknown' };
  for (const { v, k } of members) {
    const s = recordSeverity(v, `${pp}/vulnerabilities/${k}`, f);
    if (best.severity === 'unknown' || (s.severity !== 'unknown' && severityRank(s.severity) < severityRank(best.severity))) best = s;
  }
  return best;
}

/** A record's CVSS vectors (`severity[]` of type CVSS_V2/V3/V4) as ratings, with the record id as source (OSV gives no number). */
function recordCvss(v: Obj, vp: string, f: FieldCheck): CvssRating[] {
  const id = typeof v.id === 'string' ? v.id : undefined;
  return uniqueCvss(f.array(v.severity, `${vp}/severity`).map((s, n) => {
    if (!isObject(s) || typeof s.type !== 'string' || !/^CVSS_V[234]$/.test(s.type)) return undefined;
    return toolCvss(s.score, id, `${vp}/severity/${n}/score`, f);
  }));
}

/** The newest CVSS version's computed score of the record (v4.0 over v3.x over v2), else `database_specific.severity`. */
function recordSeverity(v: Obj, vp: string, f: FieldCheck): Scored {
  const rank: Record<string, number> = { '4.0': 4, '3.1': 3, '3.0': 2, '2.0': 1 };
  const scored = recordCvss(v, vp, new FieldCheck()).flatMap((c) => {
    const r = scoreCvss(c.vector ?? '');
    return r.ok ? [r] : [];
  });
  const best = scored.sort((a, b) => rank[b.version]! - rank[a.version]! || b.score - a.score)[0];
  if (best) return { severity: cvssSeverity(best.version, best.score), rawSeverity: `${best.score.toFixed(1)} ${best.vector}` };
  const db = f.object(v.database_specific, `${vp}/database_specific`);
  return f.severity(db?.severity, DB_SEVERITY, `${vp}/database_specific/severity`, 'OSV database_specific');
}

/** `fixed` events of the `affected[]` entries that name the scanned package (name + ecosystem). */
function fixedFor(v: Obj, vp: string, name: string, ecosystem: string | undefined, f: FieldCheck): string[] {
  const want = normalizeEcosystem(ecosystem);
  const out: string[] = [];
  f.array(v.affected, `${vp}/affected`).forEach((a) => {
    if (!isObject(a) || !isObject(a.package)) return;
    const an = typeof a.package.name === 'string' ? a.package.name : '';
    const ae = normalizeEcosystem(typeof a.package.ecosystem === 'string' ? a.package.ecosystem : undefined);
    if (ae !== want || normalizePackageName(an, ae) !== normalizePackageName(name, want)) return;
    for (const r of arr(a.ranges)) {
      if (!isObject(r)) continue;
      for (const e of arr(r.events)) {
        if (isObject(e) && typeof e.fixed === 'string' && e.fixed !== '') out.push(e.fixed);
      }
    }
  });
  return out;
}
