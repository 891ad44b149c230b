/**
 * CVSS vectors: v2.0, v3.0, v3.1 and v4.0, parsed strictly here and scored by
 * `ae-cvss-calculator` ({metæffekt}, Apache-2.0), which implements each FIRST specification —
 * v4.0 by the specification's MacroVector lookup table and severity-distance interpolation, not
 * a formula. It was checked against the scores FIRST prints on its v4.0 examples page and
 * against the Red Hat / FIRST reference calculator on all 104,976 v4.0 base vectors (see
 * tests/unit/cvss.test.ts).
 *
 * The library accepts loose input (it strips any `CVSS:x.y` prefix, warns on the console about
 * malformed parts, and treats a missing base metric as "not defined"), so every vector is
 * checked here first: the version prefix, `KEY:VALUE` parts, no repeated metric, every metric
 * and value known to that version, and every base metric present with a defined value.
 */
import type Calculator from 'ae-cvss-calculator';
import { requireOnce } from './require-once.ts';
import type { Severity } from './types.ts';

/** CVSS versions auditmark scores. */
export type CvssVersion = '2.0' | '3.0' | '3.1' | '4.0';

/** A vector that parsed and scored. */
export interface CvssParsed {
  ok: true;
  version: CvssVersion;
  /** The vector as given, trimmed. */
  vector: string;
  /**
   * v2/v3: the base score. v4.0: the score of the vector as written (threat and environmental
   * metrics included when present), named by `nomenclature` as the specification asks.
   */
  score: number;
  /** v4.0 only: `CVSS-B`, `CVSS-BT`, `CVSS-BE` or `CVSS-BTE`. */
  nomenclature?: string;
}

/** A vector that did not parse, and why (for a located diagnostic). */
export interface CvssRejected {
  ok: false;
  reason: string;
}

const PREFIX: ReadonlyArray<[RegExp, CvssVersion]> = [
  [/^CVSS:4\.0\//, '4.0'],
  [/^CVSS:3\.1\//, '3.1'],
  [/^CVSS:3\.0\//, '3.0'],
  // v2 vectors have no prefix by the specification; some tools still write one, and NVD wraps them in parentheses.
  [/^CVSS:2\.0\//, '2.0'],
];

type Vector = InstanceType<typeof Calculator.Cvss4P0> | InstanceType<typeof Calculator.Cvss3P1> | InstanceType<typeof Calculator.Cvss3P0> | InstanceType<typeof Calculator.Cvss2>;

/**
 * The calculator (CommonJS), loaded on the first vector: most runs score none (Bandit, Semgrep,
 * gitleaks give no vectors), and loading it cost every run about 30 ms here.
 */
const calculator = requireOnce<typeof Calculator>('ae-cvss-calculator');

function instance(version: CvssVersion): Vector {
  switch (version) {
    case '4.0': return new (calculator().Cvss4P0)();
    case '3.1': return new (calculator().Cvss3P1)();
    case '3.0': return new (calculator().Cvss3P0)();
    case '2.0': return new (calculator().Cvss2)();
  }
}

/** Scored vectors by their text: findings repeat the same few vectors thousands of times, and a v4.0 score costs ~0.4 ms. */
const cache = new Map<string, CvssParsed | CvssRejected>();
const CACHE_MAX = 20_000;

/** The version a vector claims by its prefix (v2 has none), or `undefined` for text that is not a CVSS vector. */
export function cvssVersionOf(vector: string): CvssVersion | undefined {
  const v = vector.trim();
  for (const [re, version] of PREFIX) if (re.test(v)) return version;
  return /^\(?AV:[A-Z]\//.test(v) ? '2.0' : undefined;
}

/**
 * Parse and score one vector. Never throws: anything that is not a complete, valid vector of a
 * known version gives `{ ok: false, reason }`.
 */
export function scoreCvss(vector: string): CvssParsed | CvssRejected {
  if (typeof vector !== 'string') return { ok: false, reason: 'not a string' };
  const text = vector.trim();
  const hit = cache.get(text);
  if (hit) return hit;
  const result = compute(text);
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(text, result);
  return result;
}

function compute(text: string): CvssParsed | CvssRejected {
  const version = cvssVersionOf(text);
  if (!version) return { ok: false, reason: 'no CVSS version prefix (CVSS:3.1/, CVSS:4.0/) and not a CVSS v2 vector' };
  const body = text.replace(/^CVSS:\d\.\d\//, '').replace(/^\((.*)\)$/, '$1');
  const v = instance(version);
  const seen = new Set<string>();
  for (const part of body.split('/')) {
    const m = /^([A-Za-z]+):([A-Za-z]+)$/.exec(part);
    if (!m) return { ok: false, reason: `"${part}" is not a METRIC:VALUE part` };
    const [, key, value] = m as unknown as [string, string, string];
    if (seen.has(key)) return { ok: false, reason: `metric ${key} is given twice` };
    seen.add(key);
    // findComponent also matches long names ("Attack Vector"); only the abbreviation is valid in a vector.
    const component = v.findComponent(key);
    if (!component || component.shortName !== key) return { ok: false, reason: `${key} is not a CVSS ${version} metric` };
    if (!component.values.some((x) => x.shortName === value)) return { ok: false, reason: `${value} is not a value of ${key}` };
    v.applyComponentString(key, value, false);
  }
  if (!v.isBaseFullyDefined()) return { ok: false, reason: `a CVSS ${version} base metric is missing or not defined` };
  const scores = v.calculateScores() as { base?: number; overall: number };
  const score = version === '4.0' ? scores.overall : scores.base ?? scores.overall;
  if (!Number.isFinite(score) || score < 0 || score > 10) return { ok: false, reason: 'the calculator gave no score' };
  const parsed: CvssParsed = { ok: true, version, vector: text, score };
  if (version === '4.0') parsed.nomenclature = (v as InstanceType<typeof Calculator.Cvss4P0>).getNomenclature();
  return parsed;
}

/**
 * CVSS v3.0/v3.1 base score of a vector, or `undefined` for anything that is not a complete,
 * valid v3 vector (a v2 or v4 vector included). Kept for library users of the v3-only API.
 */
export function cvss3BaseScore(vector: string): number | undefined {
  const r = scoreCvss(vector);
  return r.ok && (r.version === '3.0' || r.version === '3.1') ? r.score : undefined;
}

/**
 * The severity word of a score. v3 and v4 share FIRST's qualitative scale (None 0, Low 0.1-3.9,
 * Medium 4.0-6.9, High 7.0-8.9, Critical 9.0-10.0); v2 has no "critical" (NVD's v2 bands: Low
 * 0-3.9, Medium 4.0-6.9, High 7.0-10.0).
 */
export function cvssSeverity(version: CvssVersion, score: number): Severity {
  if (!Number.isFinite(score) || score < 0 || score > 10) return 'unknown';
  if (version === '2.0') return score >= 7 ? 'high' : score >= 4 ? 'medium' : 'low';
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  return score > 0 ? 'low' : 'info';
}
