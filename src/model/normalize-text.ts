/**
 * Text and path normalisation shared by readers, fingerprints and diff. Pure functions.
 */

/**
 * Normalise a path as tools write it to a repo-relative, `/`-separated form: strips `file://`,
 * converts `\` to `/`, removes `./` prefixes and duplicate slashes. Absolute paths stay absolute
 * (only the caller knows the root); `stripRoot` removes a known root prefix.
 */
export function normalizePath(raw: string, stripRoot?: string): string {
  // Most paths are plain ASCII with nothing to normalise: skip the regex and NFC passes
  // (they dominate ingest and diff of 100,000-finding runs). The result is the same.
  if (stripRoot === undefined && PLAIN_PATH.test(raw) && !NEEDS_PATH_WORK.test(raw)) return raw;
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

/** Printable ASCII only (no white space): NFC and trimming leave it as it is. */
const PLAIN_PATH = /^[!-~]+$/;
/** What {@link normalizePath} rewrites in a plain path. */
const NEEDS_PATH_WORK = /^file:|\\|\/\/|\/\.\/|^\.\//i;
/** One line of printable ASCII words separated by single spaces: already normalised. */
const PLAIN_LINE = /^[!-~]+(?: [!-~]+)*$/;

/**
 * Normalise a code snippet for hashing: NFC, CRLF/CR to LF, trim every line, collapse inner
 * white space, drop blank lines. Line numbers and indentation changes then do not change it.
 */
export function normalizeSnippet(snippet: string): string {
  if (PLAIN_LINE.test(snippet)) return snippet;
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
