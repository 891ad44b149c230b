/**
 * Field-level helpers shared by the SARIF, Trivy, Grype, OSV-Scanner and Snyk readers: typed
 * reads that turn a wrong type into a located `ingest/bad-field` warning instead of a crash,
 * severity words through fixed tables, ecosystem names and secret masking. Pure functions.
 * (Value descriptions are shared with the part-A readers' `field-check.ts`.)
 */
import { diag, type Diagnostic } from '../model/diagnostics.ts';
import { fromCvssScore, fromTable } from '../model/severity.ts';
import type { Severity } from '../model/types.ts';
import { describeValue } from './field-check.ts';

/**
 * A located warning for a field of the wrong type: the item is kept where possible (the field
 * is treated as absent) so one malformed value never loses the rest of the finding.
 */
export function badField(pointer: string, expected: string, found: unknown): Diagnostic {
  return diag('ingest/bad-field', 'warning', `${pointer || '(root)'} is ${describeValue(found)}, expected ${expected}; the field was ignored`, {
    pointer, expected,
    fix: 'the file does not match the scanner format: check it was written by the tool, not edited by hand',
  });
}

/**
 * Collects diagnostics while a reader walks a file. `at()` reads an optional field: absent or
 * `null` gives `undefined` silently, a wrong type gives `undefined` plus one `ingest/bad-field`.
 */
export class FieldReader {
  readonly diagnostics: Diagnostic[] = [];

  /** An optional string (numbers are accepted and stringified: ids come as both). */
  string(v: unknown, pointer: string): string | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    // A 20-digit numeric id has already lost digits in JSON.parse: refuse it rather than report a wrong id.
    if (typeof v === 'number' && (Number.isSafeInteger(v) || (Number.isFinite(v) && !Number.isInteger(v)))) return String(v);
    this.diagnostics.push(badField(pointer, typeof v === 'number' ? 'a string (or an integer within 2^53)' : 'a string', v));
    return undefined;
  }

  /** An optional identifier (rule id, package name): like {@link string}, and `""` is a bad field too. */
  id(v: unknown, pointer: string): string | undefined {
    const s = this.string(v, pointer)?.trim();
    if (s === '') this.diagnostics.push(badField(pointer, 'a non-empty string', v));
    return s || undefined;
  }

  /** An optional positive integer (1-based line or column). */
  line(v: unknown, pointer: string): number | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'number' && Number.isInteger(v) && v > 0) return v;
    this.diagnostics.push(badField(pointer, 'a positive integer (1-based)', v));
    return undefined;
  }

  /** An optional array; anything else gives `[]`. */
  array(v: unknown, pointer: string): unknown[] {
    if (v === undefined || v === null) return [];
    if (Array.isArray(v)) return v;
    this.diagnostics.push(badField(pointer, 'an array', v));
    return [];
  }

  /** An optional object; anything else gives `undefined`. */
  object(v: unknown, pointer: string): Record<string, unknown> | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    this.diagnostics.push(badField(pointer, 'an object', v));
    return undefined;
  }

  /** Strings of an optional array of strings; other members are reported and skipped. */
  strings(v: unknown, pointer: string): string[] {
    const out: string[] = [];
    this.array(v, pointer).forEach((s, i) => {
      const t = this.string(s, `${pointer}/${i}`);
      if (t !== undefined && t.trim() !== '') out.push(t.trim());
    });
    return out;
  }

  /**
   * Map a severity word through the tool's fixed table. An unknown word gives `unknown` and an
   * `ingest/unknown-severity` warning naming the allowed values; a non-string is a bad field.
   */
  severityWord(v: unknown, pointer: string, table: Readonly<Record<string, Severity>>, tool: string): Severity | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') {
      this.diagnostics.push(badField(pointer, `one of the ${tool} severity words: ${Object.keys(table).join(', ')}`, v));
      return undefined;
    }
    const s = fromTable(v, table);
    if (s !== undefined) return s;
    this.diagnostics.push(unknownSeverity(pointer, v, Object.keys(table), tool));
    return 'unknown';
  }

  /**
   * A CVSS-style score given as a number or a numeric string (`7.5`, `"7.5"`), banded on the
   * CVSS qualitative scale. Out-of-range or non-finite values (`1e400`) are bad fields.
   */
  score(v: unknown, pointer: string): Severity | undefined {
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(v) ? Number(v) : undefined;
    if (n === undefined) return undefined;
    if (!Number.isFinite(n) || n < 0 || n > 10) {
      this.diagnostics.push(badField(pointer, 'a CVSS score between 0.0 and 10.0', v));
      return undefined;
    }
    return fromCvssScore(n);
  }
}

/** The `ingest/unknown-severity` warning. */
export function unknownSeverity(pointer: string, raw: string, allowed: readonly string[], tool: string): Diagnostic {
  const shown = raw.length > 40 ? raw.slice(0, 40) + '…' : raw;
  return diag('ingest/unknown-severity', 'warning', `unknown ${tool} severity "${shown}": the finding is kept with severity unknown`, {
    pointer, expected: `one of: ${allowed.join(', ')}`,
    fix: 'check the scanner version; if this is a new severity word, report it so the mapping table can be extended',
  });
}

/** Split a comma-separated version list (Trivy `FixedVersion`, old Grype `fixedInVersion`), dropping empties. */
export function splitVersions(raw: string | undefined): string[] {
  if (raw === undefined) return [];
  return [...new Set(raw.split(',').map((v) => v.trim()).filter((v) => v !== ''))];
}

// Package-manager and package-type words of Trivy, Grype, Snyk and purl types, mapped onto the
// OSV ecosystem names (lower-cased), so one package reported by two tools fingerprints the same.
const ECOSYSTEMS: Readonly<Record<string, string>> = {
  pip: 'pypi', pipenv: 'pypi', poetry: 'pypi', uv: 'pypi', 'python-pkg': 'pypi', python: 'pypi', pypi: 'pypi', conda: 'conda',
  npm: 'npm', yarn: 'npm', pnpm: 'npm', 'node-pkg': 'npm', bun: 'npm',
  jar: 'maven', pom: 'maven', gradle: 'maven', sbt: 'maven', maven: 'maven', 'java-archive': 'maven',
  gomod: 'go', gobinary: 'go', 'go-module': 'go', golang: 'go', gomodules: 'go', golangdep: 'go', govendor: 'go', go: 'go',
  cargo: 'crates.io', 'rust-binary': 'crates.io', 'rust-crate': 'crates.io', 'crates.io': 'crates.io',
  composer: 'packagist', 'php-composer': 'packagist', packagist: 'packagist',
  bundler: 'rubygems', gemspec: 'rubygems', gem: 'rubygems', rubygems: 'rubygems',
  nuget: 'nuget', 'dotnet-core': 'nuget', 'dotnet-deps': 'nuget', paket: 'nuget', dotnet: 'nuget',
  hex: 'hex', pub: 'pub', swift: 'swifturl', cocoapods: 'cocoapods',
  apk: 'alpine', deb: 'debian', dpkg: 'debian',
};

/**
 * Normalise an ecosystem, package-manager or package-type word to a lower-case ecosystem name
 * (`PyPI` → `pypi`, `pip` → `pypi`, `Debian:10` → `debian`, `jar` → `maven`). Unmapped words are
 * lower-cased as they are (OS families such as `alpine`, `ubuntu`, `redhat`, `rpm` stay).
 */
export function normalizeEcosystem(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const word = raw.trim().toLowerCase().replace(/:.*$/, '');
  if (word === '') return undefined;
  return ECOSYSTEMS[word] ?? word;
}

/** The ecosystem named by a purl (`pkg:deb/debian/x@1` → `debian`, `pkg:pypi/x` → `pypi`). */
export function ecosystemFromPurl(purl: string | undefined): string | undefined {
  const m = purl ? /^pkg:([a-z0-9.+-]+)\/(?:([^/@?#]+)\/)?/i.exec(purl) : null;
  if (!m) return undefined;
  const type = m[1]!.toLowerCase();
  // OS package purls carry the distribution as namespace (deb/debian, rpm/redhat, apk/alpine).
  if ((type === 'deb' || type === 'rpm' || type === 'apk') && m[2]) return m[2].toLowerCase();
  return normalizeEcosystem(type);
}

// Tokens that look like credentials: long runs of key characters containing a letter and a digit.
const SECRET_LIKE = /[A-Za-z0-9+/_\-]{12,}={0,2}/g;

/**
 * Mask secret-like tokens in text that reports a secret: the first four characters stay so a
 * reader can recognise the key type (`AKIA****`), the rest never reaches a report. `known`
 * values (the tool's own `offender`/`Secret` field) are masked wherever they occur.
 */
export function maskSecrets(text: string, known: readonly string[] = []): string {
  let out = text;
  for (const k of known) {
    if (k.length >= 4) out = out.split(k).join(maskToken(k));
  }
  return out.replace(SECRET_LIKE, (tok) => (/[A-Za-z]/.test(tok) && /\d/.test(tok) ? maskToken(tok) : tok));
}

function maskToken(tok: string): string {
  return tok.slice(0, Math.min(4, Math.floor(tok.length / 3))) + '****';
}
