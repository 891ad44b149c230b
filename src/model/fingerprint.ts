import * as crypto from 'node:crypto';
import type { Finding } from './types.ts';
import { normalizePath, normalizeSnippet, webIdentity } from './normalize-text.ts';

/**
 * Fingerprint algorithm version. Bump when the algorithm changes; diff detects mixed versions
 * and recomputes the baseline's fingerprints from its findings instead of calling everything new.
 */
export const FINGERPRINT_VERSION = 'v1';

/** The SARIF `partialFingerprints` key auditmark's fingerprints are exported under (`auditmark/v1`). */
export const SARIF_FINGERPRINT_KEY = `auditmark/${FINGERPRINT_VERSION}`;

/** A fingerprint taken apart: `<version>:<basis>[:<occurrence>]`. */
export interface FingerprintParts {
  version: string;
  basis: string;
  /** 0 for the first occurrence of a basis, n for the n-th further identical one. */
  occurrence: number;
}

/** Write a fingerprint: the one place its format is built. */
export function formatFingerprint(parts: FingerprintParts): string {
  return `${parts.version}:${parts.basis}${parts.occurrence ? `:${parts.occurrence}` : ''}`;
}

/**
 * Read a fingerprint: the one place its format is parsed. Anything after the basis that is not
 * an occurrence number stays part of the basis, so foreign or older strings still compare as
 * wholes; a string without `:` is a basis of version `''`.
 */
export function parseFingerprint(text: string): FingerprintParts {
  const first = text.indexOf(':');
  if (first === -1) return { version: '', basis: text, occurrence: 0 };
  const version = fingerprintVersion(text);
  const rest = text.slice(first + 1);
  const last = rest.lastIndexOf(':');
  if (last !== -1 && /^[1-9]\d*$/.test(rest.slice(last + 1))) return { version, basis: rest.slice(0, last), occurrence: Number(rest.slice(last + 1)) };
  return { version, basis: rest, occurrence: 0 };
}

/** The version part of a fingerprint ({@link parseFingerprint}'s `version`), without taking the rest apart. */
export function fingerprintVersion(text: string): string {
  const first = text.indexOf(':');
  return first === -1 ? '' : text.slice(0, first);
}

// `crypto.hash` (Node >= 20.12) hashes a string in one call, several times faster than a Hash
// object per finding on 100,000-finding runs; the digest is identical.
const sha256Hex: (text: string) => string = typeof crypto.hash === 'function'
  ? (text) => crypto.hash('sha256', text, 'hex')
  : (text) => crypto.createHash('sha256').update(text).digest('hex');

const sha = (parts: readonly string[]): string => sha256Hex(parts.join('\u0000')).slice(0, 32);

/**
 * Pick the advisory id that names a dependency problem across tools: a CVE when any is known
 * (the lowest, for determinism), else a GHSA, else the tool's own id. pip-audit's PYSEC id with
 * alias CVE-2022-1 and Safety's advisory with CVE-2022-1 thus get the same fingerprint.
 */
export function canonicalAdvisoryId(ruleId: string, aliases: readonly string[]): string {
  const all = [ruleId, ...aliases].map((a) => a.trim()).filter(Boolean);
  const pick = (re: RegExp) => all.filter((a) => re.test(a)).map((a) => a.toUpperCase()).sort()[0];
  return pick(/^CVE-\d+-\d+$/i) ?? pick(/^GHSA-/i) ?? ruleId;
}

/** Normalise a package name per ecosystem: PyPI names compare case- and separator-insensitively (PEP 503). */
export function normalizePackageName(name: string, ecosystem?: string): string {
  const eco = (ecosystem ?? '').toLowerCase();
  if (eco === 'pypi' || eco === 'pip' || eco === 'python') return name.toLowerCase().replace(/[-_.]+/g, '-');
  return name.trim();
}

/** The part of a finding its fingerprint is computed from, without the occurrence index. */
export function fingerprintBasis(f: Omit<Finding, 'fingerprint'>): string {
  if (f.kind === 'dependency' && f.package) {
    const eco = (f.package.ecosystem ?? '').toLowerCase();
    return sha(['dep', eco, normalizePackageName(f.package.name, eco), canonicalAdvisoryId(f.ruleId, f.aliases)]);
  }
  if (f.kind === 'web' && f.web) {
    // Where on the service, never what came back: evidence and attack strings hold timestamps,
    // nonces and reflected input that change from run to run.
    return sha(['web', f.tool.toLowerCase(), f.ruleId, webIdentity(f.web)]);
  }
  const path = f.location ? normalizePath(f.location.path) : '';
  // Without a snippet the message is the next best content; tool upgrades that reword messages
  // are then handled by diff's weaker strategies (same rule + path).
  const content = f.location?.snippet ? normalizeSnippet(f.location.snippet) : '';
  return sha(['src', f.tool.toLowerCase(), f.ruleId, path, content]);
}

/** What {@link fingerprintRun} computes for a run. */
export interface RunFingerprints {
  /** The fingerprint of each finding, in input order. */
  fingerprints: string[];
  /**
   * The findings that share a basis, as groups of input indices in occurrence order (line, then
   * column, then input order); findings with a basis of their own are in no group.
   */
  repeats: number[][];
}

/**
 * The fingerprints of a run's findings: `v1:<basis>` for the first occurrence of a basis and
 * `v1:<basis>:<n>` for the n-th further identical one, counted in source order (line, then
 * column), so two identical flagged lines in one file stay distinct and stable.
 *
 * Line numbers never enter the hash: moving code within a file keeps its fingerprint.
 */
export function fingerprintRun(findings: ReadonlyArray<Omit<Finding, 'fingerprint'>>): RunFingerprints {
  const bases = findings.map(fingerprintBasis);
  // Most bases occur once: only the indices of a repeated basis need ordering by place.
  const first = new Map<string, number>();
  const repeated = new Map<string, number[]>();
  bases.forEach((basis, i) => {
    const at = first.get(basis);
    if (at === undefined) first.set(basis, i);
    else {
      const list = repeated.get(basis);
      if (list) list.push(i);
      else repeated.set(basis, [at, i]);
    }
  });
  const occurrence = new Uint32Array(findings.length);
  const line = (i: number) => findings[i]!.location?.startLine ?? 0;
  const column = (i: number) => findings[i]!.location?.startColumn ?? 0;
  const repeats = [...repeated.values()];
  for (const list of repeats) {
    list.sort((a, b) => line(a) - line(b) || column(a) - column(b) || a - b);
    list.forEach((i, n) => (occurrence[i] = n));
  }
  const fingerprints = bases.map((basis, i) => formatFingerprint({ version: FINGERPRINT_VERSION, basis, occurrence: occurrence[i]! }));
  return { fingerprints, repeats };
}

/** Copies of `findings` with their fingerprints ({@link fingerprintRun}) assigned. */
export function assignFingerprints<T extends Omit<Finding, 'fingerprint'>>(findings: readonly T[]): Array<T & { fingerprint: string }> {
  const { fingerprints } = fingerprintRun(findings);
  return findings.map((f, i) => ({ ...f, fingerprint: fingerprints[i]! }));
}
