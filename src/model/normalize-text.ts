/**
 * Text and path normalisation shared by readers, fingerprints and diff. Pure functions.
 */
import type { WebLocation } from './types.ts';

/** The identity of a web location for fingerprints and matching: normalised URL, method, parameter and query parameter names. */
export function webIdentity(w: WebLocation): string {
  const { url, queryParameters } = normalizeWebLocation(w.url);
  const names = [...new Set([...queryParameters, ...(w.queryParameters ?? [])])].sort();
  return [url, (w.method ?? '').toUpperCase(), w.parameter ?? '', names.join('&')].join('\u0000');
}

/**
 * Normalise a path as tools write it to a repo-relative, `/`-separated form: strips `file://`,
 * converts `\` to `/`, removes `./` prefixes and duplicate slashes. Absolute paths stay absolute
 * (only the caller knows the root); `stripRoot` removes a known root prefix.
 */
export function normalizePath(raw: string, stripRoot?: string): string {
  if (stripRoot === undefined && isPlainPath(raw)) return raw;
  let p = raw.trim();
  if (/^file:/i.test(p)) {
    p = p.replace(/^file:(\/\/)?/i, '');
    try {
      p = decodeURIComponent(p);
    } catch {
      // A malformed escape stays as written: better a visible odd path than a lost finding.
    }
    // file:///C:/x -> /C:/x -> C:/x
    if (/^\/[A-Za-z]:\//.test(p)) p = p.slice(1);
  }
  p = p.replace(/\\/g, '/').replace(/\/{2,}/g, '/');
  while (p.startsWith('./')) p = p.slice(2);
  p = p.replace(/\/\.\//g, '/');
  if (stripRoot) {
    const root = normalizePath(stripRoot).replace(/\/$/, '') + '/';
    if (p.startsWith(root)) p = p.slice(root.length);
  }
  return p.normalize('NFC');
}

/**
 * True when {@link normalizePath} would return `p` unchanged: printable ASCII (so already NFC),
 * no white space at the ends, no `\\`, no `//`, no `./` segment and no `file:` prefix. Paths
 * are normalised once by the reader and again for every fingerprint and diff key; this check
 * is a fraction of the cost of the replacements it saves.
 */
function isPlainPath(p: string): boolean {
  const n = p.length;
  if (n === 0 || p.charCodeAt(0) === 32 || p.charCodeAt(n - 1) === 32) return false;
  if (n >= 5 && (p.charCodeAt(4) === 58) && /^file$/i.test(p.slice(0, 4))) return false;
  let prev = 47; // as if preceded by `/`, so a leading `./` is caught
  for (let i = 0; i < n; i++) {
    const c = p.charCodeAt(i);
    if (c < 33 || c > 126 || c === 92) return false;
    if (c === 47 && prev === 47 && i > 0) return false;
    if (c === 46 && prev === 47 && p.charCodeAt(i + 1) === 47) return false;
    prev = c;
  }
  return true;
}

/**
 * True when {@link normalizeSnippet} would return `s` unchanged: one line of printable ASCII with
 * no white space at the ends and no run of two spaces. Most flagged lines are; checking is much
 * cheaper than normalising, splitting and joining them.
 */
function isPlainLine(s: string): boolean {
  const n = s.length;
  if (n === 0) return false;
  let prevSpace = true;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 32) {
      if (prevSpace) return false;
      prevSpace = true;
    } else if (c < 33 || c > 126) {
      return false;
    } else {
      prevSpace = false;
    }
  }
  return !prevSpace;
}

/**
 * Normalise a code snippet for hashing: NFC, CRLF/CR to LF, trim every line, collapse inner
 * white space, drop blank lines. Line numbers and indentation changes then do not change it.
 */
export function normalizeSnippet(snippet: string): string {
  if (isPlainLine(snippet)) return snippet;
  return snippet
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.trim().replace(/\s+/g, ' '))
    .filter((l) => l.length > 0)
    .join('\n');
}

/**
 * Truncate a text field to `max` UTF-16 units with a visible marker, so a 10 MB message never
 * reaches a template whole and the reader of the report can see something was cut.
 */
export function truncateField(text: string, max: number, limit = 'maxFieldLength', where = ''): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  return `${cut}… [truncated by auditmark: ${text.length - max} more characters${where}; limit ${limit}=${max}]`;
}

/**
 * Copy a JSON-like value with every string longer than `max` truncated (with the marker of
 * {@link truncateField}). Used to keep documents readable while report.json keeps every byte.
 */
export function truncateStrings<T>(value: T, max: number, limit: string, where: string): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v.length > max ? truncateField(v, max, limit, where) : v;
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x);
      return out;
    }
    return v;
  };
  return walk(value) as T;
}

/**
 * Normalise where a dynamic scanner found something (ZAP `uri`, Nuclei `matched-at`) to the
 * {@link WebLocation} form: an absolute URL becomes `scheme://host[:port]/path` (WHATWG URL
 * parsing: scheme and host lower-cased, default port dropped, dot segments resolved) and its
 * query keeps only the parameter names, sorted and unique; user info and fragment are dropped.
 * Anything else (Nuclei's `host:port` for network templates) is trimmed and lower-cased when it
 * is a plain host with an optional port, else kept as written.
 *
 * Query values and user info are left out on purpose: they are where sessions, tokens and
 * cache-busting counters live, which change from run to run and must not reach a document.
 */
export function normalizeWebLocation(raw: string): { url: string; queryParameters: string[] } {
  const text = raw.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    try {
      const u = new URL(text);
      if (u.host !== '') return { url: `${u.protocol}//${u.host}${u.pathname}`, queryParameters: [...new Set(u.searchParams.keys())].filter((k) => k !== '').sort() };
    } catch {
      // not a URL after all: kept as text below
    }
  }
  if (/^(\[[0-9a-f:.]+\]|[a-z0-9._-]+)(:\d{1,5})?$/i.test(text)) return { url: text.toLowerCase(), queryParameters: [] };
  return { url: text, queryParameters: [] };
}

/** Normalise a CWE reference in any form (`CWE-89`, `cwe-089`, `external/cwe/cwe-022`, `89`) to `CWE-<n>`. */
export function normalizeCwe(raw: unknown): string | undefined {
  if (typeof raw === 'number' && Number.isInteger(raw) && raw > 0) return `CWE-${raw}`;
  if (typeof raw !== 'string') return undefined;
  const m = /cwe[-_/ :]?0*(\d+)/i.exec(raw) ?? /^\s*0*(\d+)\s*$/.exec(raw);
  return m ? `CWE-${Number(m[1])}` : undefined;
}

/** Collect CWE ids from any mix of values, sorted numerically and unique. */
export function collectCwes(values: readonly unknown[]): string[] {
  const set = new Set<string>();
  for (const v of values) {
    const c = normalizeCwe(v);
    if (c) set.add(c);
  }
  return [...set].sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)));
}
