import type { MatchStrategy } from '../model/diff.ts';
import { assignFingerprints, FINGERPRINT_VERSION, parseFingerprint } from '../model/fingerprint.ts';
import { normalizePath, normalizeSnippet } from '../model/normalize-text.ts';
import type { ReportFinding } from '../model/report.ts';

/** One pair of findings: indices into the baseline and current finding arrays. */
export interface MatchPair {
  baseline: number;
  current: number;
  strategy: MatchStrategy;
  /** Similarity in [0, 1] for `similar-snippet`; absent for exact strategies. */
  score?: number;
}

/** Result of {@link matchFindings}: pairs plus the indices left over on each side, ascending. */
export interface MatchResult {
  pairs: MatchPair[];
  unmatchedBaseline: number[];
  unmatchedCurrent: number[];
}

/** Minimum token Jaccard similarity for the `similar-snippet` strategy. */
export const SNIPPET_SIMILARITY = 0.8;

/**
 * Most candidates compared for one finding in a weak-strategy bucket. Real buckets (one rule in one
 * file) are small; the cap keeps a pathological input (one rule hit 50,000 times in one file) from
 * turning the diff quadratic.
 */
const MAX_CANDIDATES = 256;

type Side = readonly ReportFinding[];

const isAbsolute = (p: string) => p.startsWith('/') || /^[A-Za-z]:\//.test(p);

/** The path as compared: normalised separators, NFC. */
function pathOf(f: ReportFinding): string | undefined {
  return f.location?.path ? normalizePath(f.location.path) : undefined;
}

/**
 * Longest directory prefix shared by every absolute path of one side (`/home/ci/run-123/`), or ''
 * when there is none. Stripping it from both sides makes re-rooted checkouts compare equal.
 */
export function commonRoot(paths: Iterable<string>): string {
  let prefix: string[] | undefined;
  for (const p of paths) {
    if (!isAbsolute(p)) continue;
    const dirs = p.split('/').slice(0, -1);
    if (!prefix) {
      prefix = dirs;
      continue;
    }
    let n = 0;
    while (n < prefix.length && n < dirs.length && prefix[n] === dirs[n]) n++;
    prefix = prefix.slice(0, n);
    if (prefix.length === 0) break;
  }
  return prefix && prefix.length > 0 ? prefix.join('/') + '/' : '';
}

/** Number of trailing path segments two paths share. */
function commonSuffix(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  let n = 0;
  while (n < x.length && n < y.length && x[x.length - 1 - n] === y[y.length - 1 - n]) n++;
  return n;
}

/**
 * Whether two paths plausibly name the same file in two checkouts: equal, one a whole-segment
 * suffix of the other (`src/x.py` and `/builds/1/src/x.py`), or sharing at least a directory and
 * the file name (`/home/ci/run-1/src/x.py` and `/builds/2/src/x.py`).
 */
export function samePlace(a: string, b: string): boolean {
  if (a === b) return true;
  const n = commonSuffix(a, b);
  const la = a.split('/').length;
  const lb = b.split('/').length;
  return n >= 2 || (n >= 1 && (n === la || n === lb));
}

const basename = (p: string) => p.slice(p.lastIndexOf('/') + 1);

/** Tokens of a normalised snippet: words and single punctuation marks. */
function tokens(snippet: string): Set<string> {
  return new Set(normalizeSnippet(snippet).match(/[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu) ?? []);
}

/** Jaccard similarity of two token sets. */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let inter = 0;
  for (const t of a) if (b.has(t)) inter++;
  return inter / (a.size + b.size - inter);
}

/** Recompute the current-algorithm fingerprints of one side, per run (occurrence indices are per run). */
function recompute(side: Side): string[] {
  const groups = new Map<number, number[]>();
  side.forEach((f, i) => {
    const g = groups.get(f.run);
    if (g) g.push(i);
    else groups.set(f.run, [i]);
  });
  const out: string[] = new Array(side.length);
  for (const idx of groups.values()) {
    assignFingerprints(idx.map((i) => side[i]!)).forEach((f, k) => {
      out[idx[k]!] = f.fingerprint;
    });
  }
  return out;
}

const hasForeignVersion = (side: Side) => side.some((f) => parseFingerprint(f.fingerprint).version !== FINGERPRINT_VERSION);

/**
 * Pair baseline findings with current ones, strongest evidence first. Every pass only looks at
 * findings still unmatched, and every pass is a hash-map lookup or a small bucket scan, so the
 * whole match is O(n) in the number of findings (plus the bucket cap).
 *
 * 1. `fingerprint`: same kind, tool and fingerprint; dependency findings also across tools.
 * 2. `fingerprint-recomputed`: a side carries another fingerprint algorithm version, so both are
 *    recomputed with the current algorithm from the finding fields.
 * 3. `relocated`: absolute paths re-rooted between machines: each side's common root is stripped
 *    and the fingerprint's ingredients compared; then same tool, rule, file name and snippet with
 *    the longest shared path suffix.
 * 4. `similar-snippet`: same tool, rule and file, snippet token Jaccard ≥ {@link SNIPPET_SIMILARITY}.
 * 5. `rule-path`: same tool, rule and file when exactly one candidate is left on each side.
 */
export function matchFindings(baseline: Side, current: Side): MatchResult {
  const bUsed = new Uint8Array(baseline.length);
  const cUsed = new Uint8Array(current.length);
  const pairs: MatchPair[] = [];
  const pair = (b: number, c: number, strategy: MatchStrategy, score?: number) => {
    bUsed[b] = 1;
    cUsed[c] = 1;
    pairs.push(score === undefined ? { baseline: b, current: c, strategy } : { baseline: b, current: c, strategy, score });
  };

  // Within equal keys, pair in source order (line, then input order) so duplicates pair
  // deterministically whatever order the tool wrote them in.
  const bySource = (side: Side) =>
    side.map((_, i) => i).sort((x, y) => (side[x]!.location?.startLine ?? 0) - (side[y]!.location?.startLine ?? 0) || x - y);
  const orderB = bySource(baseline);
  const orderC = bySource(current);

  /** Exact pass: key both sides, pair in source order within equal keys. */
  const byKey = (keyB: (i: number) => string | undefined, keyC: (i: number) => string | undefined, strategy: MatchStrategy) => {
    const index = new Map<string, number[]>();
    for (const i of orderC) {
      if (cUsed[i]) continue;
      const k = keyC(i);
      if (k === undefined) continue;
      const q = index.get(k);
      if (q) q.push(i);
      else index.set(k, [i]);
    }
    const head = new Map<string, number>();
    for (const i of orderB) {
      if (bUsed[i]) continue;
      const k = keyB(i);
      if (k === undefined) continue;
      const q = index.get(k);
      if (!q) continue;
      let h = head.get(k) ?? 0;
      while (h < q.length && cUsed[q[h]!]) h++;
      if (h < q.length) pair(i, q[h++]!, strategy);
      head.set(k, h);
    }
  };
  const toolKey = (f: ReportFinding, fp: string) => `${f.kind}\u0000${f.tool.toLowerCase()}\u0000${fp}`;
  const depKey = (f: ReportFinding, fp: string) => (f.kind === 'dependency' ? `dep\u0000${fp}` : undefined);

  // 1. Exact fingerprint, same tool first so two tools reporting one advisory pair with themselves.
  byKey((i) => toolKey(baseline[i]!, baseline[i]!.fingerprint), (i) => toolKey(current[i]!, current[i]!.fingerprint), 'fingerprint');
  byKey((i) => depKey(baseline[i]!, baseline[i]!.fingerprint), (i) => depKey(current[i]!, current[i]!.fingerprint), 'fingerprint');

  // 2. Fingerprint algorithm changed between the sides: recompute, never "everything new".
  if (hasForeignVersion(baseline) || hasForeignVersion(current)) {
    const fb = recompute(baseline);
    const fc = recompute(current);
    byKey((i) => toolKey(baseline[i]!, fb[i]!), (i) => toolKey(current[i]!, fc[i]!), 'fingerprint-recomputed');
    byKey((i) => depKey(baseline[i]!, fb[i]!), (i) => depKey(current[i]!, fc[i]!), 'fingerprint-recomputed');
  }

  const bPaths = baseline.map(pathOf);
  const cPaths = current.map(pathOf);

  // 3a. Re-rooted checkouts: strip each side's common root and compare the fingerprint's own
  // ingredients (tool, rule, path, normalised snippet) directly: the same identity as a
  // recomputed fingerprint, without hashing every finding again.
  const rootB = commonRoot(bPaths.filter((p): p is string => p !== undefined));
  const rootC = commonRoot(cPaths.filter((p): p is string => p !== undefined));
  const bSnip: Array<string | undefined> = new Array(baseline.length);
  const cSnip: Array<string | undefined> = new Array(current.length);
  const snipB = (i: number) => (bSnip[i] ??= baseline[i]!.location?.snippet ? normalizeSnippet(baseline[i]!.location!.snippet!) : '');
  const snipC = (i: number) => (cSnip[i] ??= current[i]!.location?.snippet ? normalizeSnippet(current[i]!.location!.snippet!) : '');
  if (rootB !== rootC) {
    const strip = (root: string, p: string) => (root && p.startsWith(root) ? p.slice(root.length) : p);
    const key = (f: ReportFinding, p: string, snip: string) => `${f.kind}\u0000${f.tool.toLowerCase()}\u0000${f.ruleId}\u0000${p}\u0000${snip}`;
    byKey(
      (i) => (bPaths[i] !== undefined ? key(baseline[i]!, strip(rootB, bPaths[i]!), snipB(i)) : undefined),
      (i) => (cPaths[i] !== undefined ? key(current[i]!, strip(rootC, cPaths[i]!), snipC(i)) : undefined),
      'relocated',
    );
  }

  // Weak strategies work on buckets of (kind, tool, rule, file name) over what is still unmatched.
  const bucketKey = (f: ReportFinding, p: string) => `${f.kind}\u0000${f.tool.toLowerCase()}\u0000${f.ruleId}\u0000${basename(p)}`;
  const buckets = () => {
    const map = new Map<string, { b: number[]; c: number[] }>();
    const add = (k: string, side: 'b' | 'c', i: number) => {
      let e = map.get(k);
      if (!e) map.set(k, (e = { b: [], c: [] }));
      e[side].push(i);
    };
    bPaths.forEach((p, i) => p !== undefined && !bUsed[i] && add(bucketKey(baseline[i]!, p), 'b', i));
    cPaths.forEach((p, i) => p !== undefined && !cUsed[i] && add(bucketKey(current[i]!, p), 'c', i));
    return map;
  };

  // 3b. Same content at the same relative place under roots that share no common prefix.
  for (const { b, c } of buckets().values()) {
    if (c.length === 0) continue;
    for (const i of b) {
      const sb = snipB(i);
      let best = -1;
      let bestScore = 0;
      for (const j of c.slice(0, MAX_CANDIDATES)) {
        if (cUsed[j] || snipC(j) !== sb || !samePlace(bPaths[i]!, cPaths[j]!)) continue;
        const s = commonSuffix(bPaths[i]!, cPaths[j]!);
        if (s > bestScore) {
          bestScore = s;
          best = j;
        }
      }
      if (best >= 0 && bPaths[i] !== cPaths[best]) pair(i, best, 'relocated');
    }
  }

  // 4. Edited lines: same rule and file, similar snippet.
  for (const { b, c } of buckets().values()) {
    if (c.length === 0) continue;
    const cTokens = new Map<number, Set<string>>();
    for (const i of b) {
      const snip = baseline[i]!.location?.snippet;
      if (!snip) continue;
      const tb = tokens(snip);
      let best = -1;
      let bestScore = 0;
      for (const j of c.slice(0, MAX_CANDIDATES)) {
        const cs = current[j]!.location?.snippet;
        if (cUsed[j] || !cs || !samePlace(bPaths[i]!, cPaths[j]!)) continue;
        let tc = cTokens.get(j);
        if (!tc) cTokens.set(j, (tc = tokens(cs)));
        const s = jaccard(tb, tc);
        if (s >= SNIPPET_SIMILARITY && s > bestScore) {
          bestScore = s;
          best = j;
        }
      }
      if (best >= 0) pair(i, best, 'similar-snippet', Math.round(bestScore * 1000) / 1000);
    }
  }

  // 5. One left on each side for the same rule and file: the same problem, rewritten.
  for (const { b, c } of buckets().values()) {
    if (b.length === 1 && c.length === 1 && samePlace(bPaths[b[0]!]!, cPaths[c[0]!]!)) pair(b[0]!, c[0]!, 'rule-path');
  }

  const left = (used: Uint8Array) => {
    const out: number[] = [];
    used.forEach((u, i) => u || out.push(i));
    return out;
  };
  return { pairs, unmatchedBaseline: left(bUsed), unmatchedCurrent: left(cUsed) };
}
