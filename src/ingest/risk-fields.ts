/**
 * The risk facts scanners already emit, read the same way for every reader: CVSS vectors
 * (checked here, so a bad vector is a warning at its place in the file; scored by enrich, never
 * copied), Grype's EPSS, KEV and risk fields, Trivy's `SeveritySource`. A rating records who
 * rated it (`nvd`, `ghsa`, an OSV record id) so a document can say where a score came from.
 */
import { scoreCvss } from '../model/cvss.ts';
import { dayOfIso } from '../model/dates.ts';
import type { Exploitability, KevEntry } from '../model/risk.ts';
import type { CvssRating } from '../model/types.ts';
import type { FieldCheck } from './field-check.ts';
import { isObject } from './reader.ts';

type Obj = Record<string, unknown>;

/**
 * One vector from a tool as a rating (`Finding.cvss`), with the tool's own score when it gives
 * one. A vector that does not parse is a located warning and gives nothing.
 */
export function toolCvss(vector: unknown, source: string | undefined, ptr: string, f: FieldCheck, toolScore?: unknown): CvssRating | undefined {
  if (typeof vector !== 'string' || vector.trim() === '') return undefined;
  const r = scoreCvss(vector);
  if (!r.ok) {
    f.bad(ptr, `a CVSS v2, v3.x or v4.0 vector (${r.reason})`, vector);
    return undefined;
  }
  const c: CvssRating = { version: r.version, vector: r.vector };
  if (typeof toolScore === 'number' && Number.isFinite(toolScore) && toolScore >= 0 && toolScore <= 10) c.score = toolScore;
  if (source !== undefined && source !== '') c.source = source;
  return c;
}

/** Ratings in a stable order, one per (source, vector). */
export function uniqueCvss(ratings: ReadonlyArray<CvssRating | undefined>): CvssRating[] {
  const seen = new Set<string>();
  const out: CvssRating[] = [];
  for (const s of ratings) {
    if (!s) continue;
    const key = `${s.source ?? ''}\0${s.vector ?? ''}\0${s.version}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(s);
  }
  return out;
}

/** A number that tools sometimes write as a string (`"0.97565"`). */
function num(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Grype's `cvss[]` (per record and related record), `epss[]`, `knownExploited[]` and `risk`. The
 * highest EPSS score among the CVEs wins; a KEV entry of any of them marks the finding.
 */
export function grypeRisk(vuln: Obj, vp: string, related: Obj[], rp: (k: number) => string, f: FieldCheck, grypeDate?: string): { cvss: CvssRating[]; exploit?: Exploitability } {
  const records: Array<[Obj, string]> = [[vuln, vp], ...related.map((r, k): [Obj, string] => [r, rp(k)])];
  const cvss: Array<CvssRating | undefined> = [];
  let epss: Exploitability['epss'];
  let kev: KevEntry | undefined;
  for (const [o, ptr] of records) {
    f.array(o.cvss, `${ptr}/cvss`).forEach((c, k) => {
      if (!isObject(c)) return;
      const source = typeof c.source === 'string' && c.source !== '' ? c.source : typeof o.namespace === 'string' ? o.namespace : undefined;
      cvss.push(toolCvss(c.vector, source, `${ptr}/cvss/${k}/vector`, f, isObject(c.metrics) ? c.metrics.baseScore : undefined));
    });
    f.array(o.epss, `${ptr}/epss`).forEach((e, k) => {
      if (!isObject(e)) return;
      const score = num(e.epss), pct = num(e.percentile);
      const cve = typeof e.cve === 'string' ? e.cve.toUpperCase() : typeof o.id === 'string' ? o.id.toUpperCase() : undefined;
      if (score === undefined || score < 0 || score > 1 || cve === undefined) {
        f.bad(`${ptr}/epss/${k}/epss`, 'an EPSS score in [0, 1]', e.epss);
        return;
      }
      // Grype omits the date in some versions; its database build day is then the best date there is.
      const date = dayOfIso(typeof e.date === 'string' ? e.date : undefined) ?? grypeDate;
      if (date === undefined) {
        // EPSS scores change daily: a score nobody can date is not evidence.
        f.bad(`${ptr}/epss/${k}/date`, 'the day of the EPSS score (or the database build day in descriptor.db)', e.date ?? null);
        return;
      }
      if (!epss || score > epss.score) epss = { cve, score, percentile: pct !== undefined && pct >= 0 && pct <= 1 ? pct : 0, date, source: { kind: 'tool', name: 'grype' } };
    });
    f.array(o.knownExploited, `${ptr}/knownExploited`).forEach((e) => {
      if (!isObject(e) || kev) return;
      const cve = typeof e.cve === 'string' ? e.cve.toUpperCase() : undefined;
      if (cve === undefined) return;
      kev = { cve, source: { kind: 'tool', name: 'grype' } };
      const added = dayOfIso(typeof e.dateAdded === 'string' ? e.dateAdded : undefined);
      if (added) kev.dateAdded = added;
      const due = dayOfIso(typeof e.dueDate === 'string' ? e.dueDate : undefined);
      if (due) kev.dueDate = due;
      if (typeof e.knownRansomwareCampaignUse === 'string' && e.knownRansomwareCampaignUse) kev.ransomware = e.knownRansomwareCampaignUse;
      if (typeof e.vulnerabilityName === 'string' && e.vulnerabilityName) kev.vulnerabilityName = e.vulnerabilityName;
      if (typeof e.requiredAction === 'string' && e.requiredAction) kev.requiredAction = e.requiredAction;
    });
  }
  const exploit: Exploitability = {};
  if (kev) exploit.kev = kev;
  if (epss) exploit.epss = epss;
  const risk = num(vuln.risk);
  if (risk !== undefined) exploit.risk = risk;
  return { cvss: uniqueCvss(cvss), ...(Object.keys(exploit).length ? { exploit } : {}) };
}

/** Trivy's `CVSS` map (`{nvd: {V2Vector, V2Score, V3Vector, V3Score, V40Vector, V40Score}, ghsa: …}`), sorted by source. */
export function trivyCvss(v: Obj, p: string, f: FieldCheck): CvssRating[] {
  const map = f.object(v.CVSS, `${p}/CVSS`);
  if (!map) return [];
  const out: Array<CvssRating | undefined> = [];
  for (const source of Object.keys(map).sort()) {
    const e = map[source];
    if (!isObject(e)) continue;
    for (const key of ['V40', 'V3', 'V2']) out.push(toolCvss(e[`${key}Vector`], source, `${p}/CVSS/${source}/${key}Vector`, f, e[`${key}Score`]));
  }
  return uniqueCvss(out);
}
