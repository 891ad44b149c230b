/**
 * ProjectDiscovery Nuclei results: JSON lines (`-jsonl`, and `-json` before v3), or the JSON array
 * of `-json-export`. One finding per result. What changes from run to run (`timestamp`, `ip`,
 * `curl-command`, `request`, `response`) is never read: it reaches neither fingerprints nor
 * documents.
 */
import { collectCwes, normalizeWebLocation } from '../model/normalize-text.ts';
import type { CvssRating, Severity, WebLocation } from '../model/types.ts';
import { diag } from '../model/diagnostics.ts';
import { FieldCheck, pathLocation } from './field-check.ts';
import { isObject, recordPointer, uniqSorted, type DraftFinding, type DraftRun, type Reader, type ReaderInput, type ReaderResult } from './reader.ts';

type Obj = Record<string, unknown>;

/** `info.severity` of Nuclei templates. */
const SEVERITY: Readonly<Record<string, Severity>> = {
  critical: 'critical', high: 'high', medium: 'medium', low: 'low', info: 'info', unknown: 'unknown',
};

/** A result: a template id (`template-id`, `templateID` before v2.5) and the template's `info`. */
const isResult = (r: unknown): r is Obj => isObject(r) && ('template-id' in r || 'templateID' in r) && isObject(r.info);

function detect(v: unknown): number {
  const records = Array.isArray(v) ? v.slice(0, 64) : [v];
  return records.length > 0 && records.some(isResult) ? 1 : 0;
}

/** A string or a list of strings (Nuclei changed several fields from one to the other), as a list. */
function list(v: unknown): string[] {
  if (typeof v === 'string') return v.trim() === '' ? [] : [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '') : [];
}

function read(input: ReaderInput): ReaderResult {
  const f = new FieldCheck();
  const records = Array.isArray(input.value) ? input.value : [input.value];
  const run: DraftRun = { tool: { name: 'nuclei' }, format: 'nuclei', notScanned: [], findings: [] };
  let unmatched = 0;
  const hosts = new Set<string>();
  records.forEach((raw, i) => {
    const p = recordPointer(input, i);
    const r = f.item(raw, p, 'a Nuclei result object');
    if (!r) return;
    // With -matcher-status Nuclei also writes the checks that did not match: not findings.
    if (r['matcher-status'] === false) {
      unmatched++;
      return;
    }
    const finding = readResult(r, p, f);
    if (!finding) return;
    if (finding.web) hosts.add(finding.web.url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/]+).*$/i, '$1'));
    run.findings.push(finding);
  });
  if (hosts.size > 0) run.target = [...hosts].sort().join(', ');
  const cwe = collectCwes(run.findings.flatMap((x) => x.cwe));
  run.coverage = { source: 'Nuclei templates that matched in this output (dynamic scan of the targets)', ...(cwe.length > 0 ? { cwe } : {}) };
  if (unmatched > 0) {
    f.push(diag('ingest/unmatched-results', 'info', `${unmatched} Nuclei result(s) with "matcher-status": false record checks that did not match; they are not findings`, {}));
  }
  return { runs: [run], diagnostics: f.diagnostics };
}

function readResult(r: Obj, p: string, f: FieldCheck): DraftFinding | undefined {
  const template = f.id(r['template-id'], p, 'template-id') ?? f.id(r.templateID, p, 'templateID');
  if (template === undefined) {
    f.bad(`${p}/template-id`, 'the id of the template that matched', r['template-id'] ?? r.templateID, true);
    return undefined;
  }
  const info = isObject(r.info) ? r.info : {};
  const ip = `${p}/info`;
  // `[template:matcher]` is how Nuclei itself names a result: one template can match several ways.
  const matcher = f.string(r['matcher-name'] ?? r.matcher_name, p, 'matcher-name')?.trim();
  const ruleId = matcher ? `${template}:${matcher}` : template;
  const name = f.string(info.name, ip, 'name')?.trim();
  const title = name ? (matcher ? `${name} (${matcher})` : name) : ruleId;
  const classification = f.object(info.classification, ip, 'classification') ?? {};
  const cp = `${ip}/classification`;
  const sev = f.severity(info.severity, SEVERITY, `${ip}/severity`, 'Nuclei');
  const description = f.string(info.description, ip, 'description')?.trim();
  const extracted = uniqSorted([...list(r['extracted-results']), ...list(r.extracted_results)]);
  const type = f.string(r.type, p, 'type');
  const matchedAt = f.string(r['matched-at'], p, 'matched-at') ?? f.string(r.matched, p, 'matched') ?? f.string(r.url, p, 'url') ?? f.string(r.host, p, 'host');
  const finding: DraftFinding = {
    tool: 'nuclei', kind: 'web', ruleId, title,
    message: [description ?? title, extracted.length > 0 ? `Extracted: ${extracted.join(', ')}` : ''].filter(Boolean).join('\n\n'),
    severity: sev.severity,
    cwe: collectCwes(list(classification['cwe-id'])),
    aliases: uniqSorted(list(classification['cve-id']).map((c) => c.trim().toUpperCase()).filter((c) => /^CVE-\d+-\d+$/.test(c) && c !== ruleId.toUpperCase())),
    // Old templates wrote references as one "- url" per line of a string; newer ones as a list.
    references: uniqSorted(list(info.reference).flatMap((s) => s.match(/https?:\/\/[^\s<>"']+/gi) ?? [])),
    pointer: p,
  };
  if (sev.rawSeverity !== undefined) finding.rawSeverity = sev.rawSeverity;
  const cvss = rating(classification, cp, f);
  if (cvss) finding.cvss = [cvss];
  if (type === 'file' && matchedAt) {
    // File templates scan local files: the match is a path, a code finding.
    finding.kind = 'code';
    finding.location = pathLocation(matchedAt);
    return finding;
  }
  if (matchedAt === undefined || matchedAt.trim() === '') {
    f.bad(`${p}/matched-at`, 'where the template matched (matched-at, matched, url or host)', r['matched-at'], true);
    return undefined;
  }
  const where = normalizeWebLocation(matchedAt);
  const web: WebLocation = { url: where.url };
  if (where.queryParameters.length > 0) web.queryParameters = where.queryParameters;
  if (extracted.length > 0) web.evidence = extracted.join(', ');
  finding.web = web;
  return finding;
}

/** `cvss-metrics` (a vector; v2 vectors carry no prefix) with `cvss-score`. */
function rating(c: Obj, cp: string, f: FieldCheck): CvssRating | undefined {
  const vector = f.string(c['cvss-metrics'], cp, 'cvss-metrics')?.trim();
  const score = f.number(c['cvss-score'], cp, 'cvss-score');
  if (!vector && score === undefined) return undefined;
  const m = vector ? /^CVSS:(3\.[01]|4\.0)\//.exec(vector) : null;
  const version = m ? m[1]! : vector && /^AV:[NAL]\/AC:/.test(vector) ? '2.0' : undefined;
  if (version === undefined) return undefined;
  const out: CvssRating = { version };
  if (vector) out.vector = vector;
  if (score !== undefined && score >= 0 && score <= 10) out.score = score;
  return out;
}

/** Nuclei JSON lines (`-jsonl`, `-json` before v3) and `-json-export` arrays. */
export const fromNuclei: Reader = {
  id: 'nuclei',
  description: 'Nuclei results as JSON lines (nuclei -jsonl, older -json) or a -json-export array; timestamps, IPs, requests and responses are never kept',
  detect,
  jsonLines: true,
  read,
};
