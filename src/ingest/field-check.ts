/**
 * Field-level helpers shared by every scanner reader: typed reads that turn a wrong type into a
 * located `ingest/bad-field` diagnostic instead of a crash or a silent cast, severity words
 * through fixed tables, ecosystem names, locations and secret masking. Pure functions.
 */
import { diag, type Diagnostic } from '../model/diagnostics.ts';
import { normalizePath } from '../model/normalize-text.ts';
import { fromCvssScore, fromTable } from '../model/severity.ts';
import type { Confidence, NotScanned, Severity, SourceLocation } from '../model/types.ts';
import { isObject } from './reader.ts';

type Obj = Record<string, unknown>;

/**
 * Collects diagnostics while a reader walks a file. Scanner output is untrusted and hand-edited
 * files exist, so a reader asks for each field through here: a wrong type never crashes and
 * never passes silently.
 *
 * Policy: optional reads (`string`, `int`, `array`...) treat absent or `null` as absent without a
 * word, and a wrong type as absent plus an `ingest/bad-field` **warning** (the field is ignored,
 * the finding kept). `required*` and `item` reads are for values without which the item cannot
 * be shown: a wrong type is an `ingest/bad-field` **error** and the caller skips the item, since
 * an audit document must not quietly leave out a finding.
 */
export class FieldCheck {
  /** Every diagnostic recorded so far, in encounter order. */
  readonly diagnostics: Diagnostic[] = [];

  /** Record a diagnostic. */
  push(d: Diagnostic): void {
    this.diagnostics.push(d);
  }

  /**
   * A value of the wrong type at `ptr`. `dropped` = the whole item is skipped (an error);
   * otherwise only the field is ignored (a warning).
   */
  bad(ptr: string, expected: string, found: unknown, dropped = false): void {
    this.push(diag('ingest/bad-field', dropped ? 'error' : 'warning',
      `${ptr || '(root)'}: expected ${expected}, found ${describeValue(found)}; ${dropped ? 'the item was skipped' : 'the field was ignored'}`, {
        pointer: ptr, expected,
        fix: dropped
          ? 'regenerate the file with the scanner (hand edits or a broken converter changed its types)'
          : 'the file does not match the scanner format: regenerate it with the scanner, or remove the field',
      }));
  }

  /**
   * The document lacks the part every finding hangs from (`results` is not an array, the root is
   * not an object...): an `ingest/bad-field` error, and the reader returns no run for the file.
   */
  refuse(message: string, ptr: string, expected: string, fix?: string): void {
    this.push(diag('ingest/bad-field', 'error', message, fix === undefined ? { pointer: ptr, expected } : { pointer: ptr, expected, fix }));
  }

  /**
   * An optional string (numbers are accepted and stringified: ids come as both).
   *
   * Every read takes the pointer of the value as `ptr`, or as `ptr` plus a `key` path appended
   * with `/`: the second form builds the pointer string only when there is something to report,
   * which matters on the hot paths of 100,000-result files.
   */
  string(v: unknown, ptr: string, key?: string): string | undefined {
    if (typeof v === 'string') return v;
    if (v === undefined || v === null) return undefined;
    const s = asText(v);
    if (s === undefined) this.bad(at(ptr, key), expectedText(v), v);
    return s;
  }

  /** A required string: a missing or wrong value is an error and the caller skips the item. */
  requiredString(v: unknown, ptr: string): string | undefined {
    const s = asText(v);
    if (s === undefined) this.bad(ptr, expectedText(v), v, true);
    return s;
  }

  /** An optional identifier (rule id, package name): like {@link string}, trimmed, and `""` is a bad field too. */
  id(v: unknown, ptr: string, key?: string): string | undefined {
    const s = this.string(v, ptr, key)?.trim();
    if (s === '') this.bad(at(ptr, key), 'a non-empty string', v);
    return s || undefined;
  }

  /** An optional integer ≥ `min`: 1 (default) for 1-based lines and columns, 0 for 0-based offsets. */
  int(v: unknown, ptr: string, min = 1, key?: string): number | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= min) return v;
    this.bad(at(ptr, key), expectedInt(min), v);
    return undefined;
  }

  /** A required 1-based line: a missing or wrong value is an error and the caller skips the item. */
  requiredLine(v: unknown, ptr: string): number | undefined {
    if (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) return v;
    this.bad(ptr, expectedInt(1), v, true);
    return undefined;
  }

  /** An optional finite number. */
  number(v: unknown, ptr: string, key?: string): number | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    this.bad(at(ptr, key), 'a finite number', v);
    return undefined;
  }

  /** An optional array; absent or a wrong type gives `[]`. */
  array(v: unknown, ptr: string, key?: string): unknown[] {
    if (Array.isArray(v)) return v;
    if (v === undefined || v === null) return [];
    this.bad(at(ptr, key), 'an array', v);
    return [];
  }

  /** An optional object; absent or a wrong type gives `undefined`. */
  object(v: unknown, ptr: string, key?: string): Obj | undefined {
    if (v === undefined || v === null) return undefined;
    if (isObject(v)) return v;
    this.bad(at(ptr, key), 'an object', v);
    return undefined;
  }

  /** Trimmed, non-empty strings of an optional array of strings; other members are reported and skipped. */
  strings(v: unknown, ptr: string, key?: string): string[] {
    const out: string[] = [];
    this.array(v, ptr, key).forEach((s, i) => {
      const t = this.string(s, at(ptr, key), String(i));
      if (t !== undefined && t.trim() !== '') out.push(t.trim());
    });
    return out;
  }

  /** An array member that must be an object; anything else is an error and the caller skips it. */
  item(v: unknown, ptr: string, expected = 'an object'): Obj | undefined {
    if (isObject(v)) return v;
    this.bad(ptr, expected, v, true);
    return undefined;
  }

  /**
   * Map a tool's severity word through its fixed table (case-insensitive). Absent gives
   * `unknown` silently (the tool has none there); a word not in the table gives `unknown` plus
   * an `ingest/unknown-severity` warning naming the allowed words, never a guess; a non-string
   * is a bad field. `rawSeverity` is the word as written, whenever there is one.
   */
  severity(raw: unknown, table: Readonly<Record<string, Severity>>, ptr: string, tool: string): { severity: Severity; rawSeverity?: string } {
    if (raw === undefined || raw === null) return { severity: 'unknown' };
    const allowed = Object.keys(table).join(', ');
    if (typeof raw !== 'string') {
      this.bad(ptr, `one of the ${tool} severity words: ${allowed}`, raw);
      return { severity: 'unknown' };
    }
    const mapped = fromTable(raw, table);
    if (mapped !== undefined) return { severity: mapped, rawSeverity: raw };
    const shown = raw.length > 40 ? raw.slice(0, 40) + '…' : raw;
    this.push(diag('ingest/unknown-severity', 'warning', `${ptr}: unknown ${tool} severity "${shown}"; the finding is kept with severity unknown`, {
      pointer: ptr, expected: `one of (case-insensitive): ${allowed}`,
      fix: 'check the scanner version is supported; if this is a new severity word, report it so the mapping table can be extended',
    }));
    return { severity: 'unknown', rawSeverity: raw };
  }

  /**
   * A CVSS-style score given as a number or a numeric string (`7.5`, `"7.5"`), banded on the
   * CVSS qualitative scale. Out-of-range or non-finite values (`1e400`) are bad fields; other
   * strings give `undefined` silently so the caller can try them as a word.
   */
  score(v: unknown, ptr: string): Severity | undefined {
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(v) ? Number(v) : undefined;
    if (n === undefined) return undefined;
    if (!Number.isFinite(n) || n < 0 || n > 10) {
      this.bad(ptr, 'a CVSS score between 0.0 and 10.0', v);
      return undefined;
    }
    return fromCvssScore(n);
  }
}

/** The pointer `ptr`, or `ptr/key` (see {@link FieldCheck.string}). */
const at = (ptr: string, key: string | undefined): string => (key === undefined ? ptr : `${ptr}/${key}`);

/**
 * A string, or a number that is exactly representable as text. A 20-digit numeric id has
 * already lost digits in JSON.parse: it is refused rather than reported as a wrong id.
 */
function asText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && (Number.isSafeInteger(v) || (Number.isFinite(v) && !Number.isInteger(v)))) return String(v);
  return undefined;
}

function expectedText(found: unknown): string {
  return typeof found === 'number' ? 'a string (or an integer within 2^53)' : 'a string';
}

function expectedInt(min: number): string {
  return min === 0 ? 'a non-negative integer (0-based)' : 'a positive integer (1-based)';
}

/** Short, safe description of a JSON value for messages (never the whole value: it may be huge or secret). */
function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing (the key is missing)';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'number') return Number.isFinite(v) ? (Number.isSafeInteger(v) || !Number.isInteger(v) ? `the number ${v}` : 'an integer too large to keep exactly') : 'a number out of range (e.g. 1e400)';
  if (typeof v === 'string') return v.length > 40 ? `a string "${v.slice(0, 40)}…"` : `the string ${JSON.stringify(v)}`;
  return `a ${typeof v}`;
}

/**
 * A tool's own error list (`errors[]` of Bandit and Semgrep) as coverage gaps, one per entry.
 * `describe` gives the reason and the file it names, if any. An entry that is not an object is
 * still a gap: it is kept with a generic reason (plus a bad-field warning), never dropped.
 */
export function errorsAsNotScanned(
  f: FieldCheck, list: unknown, ptr: string, tool: string,
  describe: (entry: Obj, ptr: string) => { reason: string; path?: string | undefined },
): NotScanned[] {
  return f.array(list, ptr).map((raw, i) => {
    const at = `${ptr}/${i}`;
    if (!isObject(raw)) {
      f.bad(at, 'an object', raw);
      return { reason: `${tool} reported an error it could not describe`, pointer: at };
    }
    const { reason, path } = describe(raw, at);
    const entry: NotScanned = { reason, pointer: at };
    if (path) entry.path = normalizePath(path);
    return entry;
  });
}

/** Confidence words of Bandit (`issue_confidence`), Semgrep metadata and SARIF/CodeQL `precision`. */
const CONFIDENCE: Readonly<Record<string, Confidence>> = { 'very-high': 'high', high: 'high', medium: 'medium', low: 'low' };

/** A tool's confidence word as a {@link Confidence}; anything else (absent, unknown word, wrong type) gives `undefined`. */
export function confidenceOf(raw: unknown): Confidence | undefined {
  if (typeof raw !== 'string') return undefined;
  const key = raw.trim().toLowerCase();
  return Object.prototype.hasOwnProperty.call(CONFIDENCE, key) ? CONFIDENCE[key] : undefined;
}

/** A location for a file path as the tool wrote it: normalised, with the original kept when it differs. */
export function pathLocation(raw: string): SourceLocation {
  const path = normalizePath(raw);
  return path !== raw ? { path, originalPath: raw } : { path };
}

/** The first non-empty line of a text, trimmed (titles from multi-line descriptions). */
export function firstLine(text: string): string {
  return text.trim().split(/\r?\n/, 1)[0]?.trim() ?? '';
}

/** Title for advisories that have none: the advisory id and the package, which is what people search for. */
export function dependencyTitle(id: string, name: string, version?: string): string {
  return `${id} in ${name}${version ? ` ${version}` : ''}`;
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
  cargo: 'cargo', 'rust-binary': 'cargo', 'rust-crate': 'cargo',
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
  // OSV names the Rust ecosystem after its registry's host; auditmark uses the tool name
  // (`cargo`) so that no registry host name is stored in reports or fixtures.
  if (/^crates\.io$/.test(word)) return 'cargo';
  return Object.prototype.hasOwnProperty.call(ECOSYSTEMS, word) ? ECOSYSTEMS[word] : word;
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

// Secret masking. Two formats exist on purpose: the gitleaks JSON reader's `AKIA…` (known secret,
// at most a quarter shown) and the SARIF/Trivy reader's `AKIA****` (pattern-found tokens). The
// masked text is part of a finding's snippet and so of its v1 fingerprint: unifying the formats
// would change the fingerprints of existing secret findings and break every saved baseline.

/** gitleaks writes this instead of the secret under `--redact`; it is not secret and stays as is. */
const REDACTED = 'REDACTED';

/**
 * Mask a known secret for reports: at most its first 4 characters (and never more than a quarter
 * of it, so short secrets reveal almost nothing) followed by `…`. Counts code points, so an
 * emoji is never cut in half.
 */
export function maskSecret(secret: string): string {
  if (secret === REDACTED) return secret;
  const chars = Array.from(secret);
  const keep = Math.min(4, Math.floor(chars.length / 4));
  return chars.slice(0, keep).join('') + '…';
}

/**
 * The flagged text with every occurrence of the known secret masked ({@link maskSecret}). If the
 * secret is unknown or does not occur literally (the tool may have decoded it), the text cannot
 * be proven clean, so it is dropped rather than shown.
 */
export function maskInText(text: string | undefined, secret: string | undefined): string | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  if (!secret || secret === REDACTED) return secret === REDACTED ? text : undefined;
  if (!text.includes(secret)) return undefined;
  return text.split(secret).join(maskSecret(secret));
}

// Tokens that look like credentials: long runs of key characters containing a letter and a digit.
const SECRET_LIKE = /[A-Za-z0-9+/_\-]{12,}={0,2}/g;

/**
 * Mask secret-like tokens in text that reports a secret but may not name it exactly (SARIF
 * messages, Trivy `Match`): the first four characters stay so a reader can recognise the key
 * type (`AKIA****`), the rest never reaches a report. `known` values (the tool's own
 * `offender`/`Secret` field) are masked wherever they occur.
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
