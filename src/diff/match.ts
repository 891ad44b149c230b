import type { MatchStrategy } from '../model/diff.ts';
import { assignFingerprints, FINGERPRINT_VERSION } from '../model/fingerprint.ts';
import { normalizePath, normalizeSnippet } from '../model/normalize-text.ts';
import { sortedOrder } from '../model/order.ts';
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
 * Most candidates whose similarity is computed for one finding in the `similar-snippet` pass,
 * and most index entries looked at to find them. Candidates come from an index of rare tokens
 * (see {@link matchFindings}), so real inputs stay far below both; they bound a pathological one
 * (one rule hit 50,000 times in one file with near-identical lines) to linear time.
 */
const MAX_CANDIDATES = 256;
const MAX_SCANNED = 16 * MAX_CANDIDATES;

type Side = readonly ReportFinding[];

const isAbsolute = (p: string) => p.startsWith('/') || /^[A-Za-z]:\//.test(p);

/**
 * What the matcher and the diff read from one side, computed once per finding: the normalised
 * path (undefined without a location), the side's common root, and (lazily) the normalised
 * snippet, its tokens and the path's segments.
 */
export interface PreparedSide {
  readonly findings: Side;
  readonly paths: ReadonlyArray<string | undefined>;
  /** {@link commonRoot} of the side's paths. */
  readonly root: string;
  /** Normalised snippet, '' when the finding has none. */
  snippet(i: number): string;
  /** Path split at `/`. */
  segments(i: number): readonly string[];
}

/** Prepare one side for {@link matchFindings} and the diff (each finding's path normalised once). */
export function prepareSide(findings: Side): PreparedSide {
  const paths = findings.map((f) => (f.location?.path ? normalizePath(f.location.path) : undefined));
  const snippets: Array<string | undefined> = new Array(findings.length);
  const segments: Array<string[] | undefined> = new Array(findings.length);
  return {
    findings,
    paths,
    root: commonRoot(paths),
    snippet: (i) => (snippets[i] ??= findings[i]!.location?.snippet ? normalizeSnippet(findings[i]!.location!.snippet!) : ''),
    segments: (i) => (segments[i] ??= (paths[i] ?? '').split('/')),
  };
}

/**
 * Longest directory prefix shared by every absolute path of one side (`/home/ci/run-123/`), or ''
 * when there is none. Stripping it from both sides makes re-rooted checkouts compare equal.
 * Relative paths (and missing ones) are ignored. One pass over the characters, no splitting.
 */
export function commonRoot(paths: Iterable<string | undefined>): string {
  let prefix: string | undefined;
  for (const p of paths) {
    if (p === undefined || !isAbsolute(p)) continue;
    const dir = p.slice(0, p.lastIndexOf('/') + 1);
    if (prefix === undefined) {
      prefix = dir;
      continue;
    }
    if (dir.startsWith(prefix)) continue;
    let n = 0;
    const max = Math.min(prefix.length, dir.length);
    while (n < max && prefix.charCodeAt(n) === dir.charCodeAt(n)) n++;
    prefix = prefix.slice(0, prefix.lastIndexOf('/', n - 1) + 1);
    if (prefix === '') break;
  }
  return prefix ?? '';
}

/** Number of trailing segments two split paths share. */
function commonSuffixOf(x: readonly string[], y: readonly string[]): number {
  let n = 0;
  while (n < x.length && n < y.length && x[x.length - 1 - n] === y[y.length - 1 - n]) n++;
  return n;
}

/** Whether two split paths name the same place (see {@link samePlace}). */
function samePlaceOf(x: readonly string[], y: readonly string[]): boolean {
  const n = commonSuffixOf(x, y);
  return n >= 2 || (n >= 1 && (n === x.length || n === y.length));
}

/**
 * Whether two paths plausibly name the same file in two checkouts: equal, one a whole-segment
 * suffix of the other (`src/x.py` and `/builds/1/src/x.py`), or sharing at least a directory and
 * the file name (`/home/ci/run-1/src/x.py` and `/builds/2/src/x.py`).
 */
export function samePlace(a: string, b: string): boolean {
  return a === b || samePlaceOf(a.split('/'), b.split('/'));
}

const basename = (p: string) => p.slice(p.lastIndexOf('/') + 1);

const TOKEN = /[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu;
const ASCII = /^[\x00-\x7f]*$/;
const isWordChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/**
 * Each token of a normalised snippet, in order (repeats included), as a span of `source`: runs
 * of letters, digits and `_`, and single other non-space characters. ASCII text is scanned by
 * hand (the same tokens as the Unicode regex, without its cost on 20,000 long lines) and its
 * tokens stay spans of the snippet; other text uses the regex, each token its own `source`.
 */
function forEachTokenSpan(text: string, emit: (source: string, start: number, end: number) => void): void {
  if (!ASCII.test(text)) {
    for (const t of text.match(TOKEN) ?? []) emit(t, 0, t.length);
    return;
  }
  let k = 0;
  while (k < text.length) {
    const c = text.charCodeAt(k);
    if (isWordChar(c)) {
      let e = k + 1;
      while (e < text.length && isWordChar(text.charCodeAt(e))) e++;
      emit(text, k, e);
      k = e;
    } else {
      if (c !== 32 && (c < 9 || c > 13)) emit(text, k, k + 1);
      k++;
    }
  }
}

/** Each token of a normalised snippet as a string (see {@link forEachTokenSpan}). */
function forEachToken(text: string, emit: (token: string) => void): void {
  forEachTokenSpan(text, (source, start, end) => emit(start === 0 && end === source.length ? source : source.slice(start, end)));
}

/**
 * Token → id, without a string per token: a span is hashed where it lies in its snippet
 * (FNV-1a, 30 bits) and looked up in an open-addressing table of ids, compared with the token
 * of a matching hash by `startsWith` at its offset. The one-bucket worst case has 2.4 M tokens
 * of which 1 M are distinct: slicing each and probing a string-keyed Map of a million entries
 * was a third of the whole diff, and even a Map keyed by the hash spent its time in cache misses.
 */
class TokenIds {
  /** id + 1 per slot; 0 is empty. */
  #slots = new Int32Array(1 << 12);
  #mask = (1 << 12) - 1;
  readonly #hashes: number[] = [];
  readonly #tokens: string[] = [];

  id(source: string, start: number, end: number): number {
    let h = FNV_SEED;
    for (let k = start; k < end; k++) h = Math.imul(h ^ source.charCodeAt(k), 16777619);
    h &= 0x3fffffff;
    let slot = h & this.#mask;
    for (let s = this.#slots[slot]!; s !== 0; s = this.#slots[slot]!) {
      const t = this.#tokens[s - 1]!;
      if (this.#hashes[s - 1] === h && t.length === end - start && source.startsWith(t, start)) return s - 1;
      slot = (slot + 1) & this.#mask;
    }
    const id = this.#tokens.length;
    this.#tokens.push(source.slice(start, end));
    this.#hashes.push(h);
    this.#slots[slot] = id + 1;
    if (this.#tokens.length * 2 > this.#mask) this.#grow();
    return id;
  }

  /** Twice the slots, every id placed again (load stays at most one half). */
  #grow(): void {
    this.#slots = new Int32Array(this.#slots.length * 2);
    this.#mask = this.#slots.length - 1;
    for (let id = 0; id < this.#hashes.length; id++) {
      let slot = this.#hashes[id]! & this.#mask;
      while (this.#slots[slot] !== 0) slot = (slot + 1) & this.#mask;
      this.#slots[slot] = id + 1;
    }
  }
}

/** The tokens of a normalised snippet, in order, repeats included (see the similarity pass). */
export function snippetTokens(normalised: string): string[] {
  const out: string[] = [];
  forEachToken(normalised, (t) => out.push(t));
  return out;
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

const CURRENT_PREFIX = `${FINGERPRINT_VERSION}:`;
const hasForeignVersion = (side: Side) => side.some((f) => !f.fingerprint.startsWith(CURRENT_PREFIX));

/** Indices in source order (line, then input order); the sort is stable, so ties keep input order. */
function bySource(side: Side): number[] {
  const lines = new Float64Array(side.length);
  side.forEach((f, i) => {
    lines[i] = f.location?.startLine ?? 0;
  });
  return sortedOrder(side.length, [lines]);
}

/** Lower-cased tool names, computed once per distinct name. */
function toolNames(side: Side): string[] {
  const cache = new Map<string, string>();
  return side.map((f) => {
    let t = cache.get(f.tool);
    if (t === undefined) cache.set(f.tool, (t = f.tool.toLowerCase()));
    return t;
  });
}

const FNV_SEED = 0x811c9dc5;

/** Whether `a` from offset `i` equals `b` from offset `j`, without slicing either. */
function sameTail(a: string, i: number, b: string, j: number): boolean {
  if (a.length - i !== b.length - j) return false;
  for (let k = 0; i + k < a.length; k++) if (a.charCodeAt(i + k) !== b.charCodeAt(j + k)) return false;
  return true;
}

/**
 * 32-bit FNV-1a of `s` from offset `at`, continuing `h` (then a separator, so parts cannot run
 * together). Callers keep 30 bits of it: a small integer is a cheap Map key (a larger one would
 * be a heap number), and every key is checked against the real identity anyway.
 */
function fnv(h: number, s: string, at: number): number {
  for (let k = at; k < s.length; k++) h = Math.imul(h ^ s.charCodeAt(k), 16777619);
  return Math.imul(h ^ 0x1f, 16777619);
}

/** Smallest overlap two token sets of these sizes need for a Jaccard of at least the threshold. */
const minOverlap = (a: number, b: number) => Math.ceil(((SNIPPET_SIMILARITY / (1 + SNIPPET_SIMILARITY)) * (a + b)) - 1e-9);
/** Length of the prefix (rarest tokens first) that must share a token with any similar set. */
const prefixLength = (n: number) => n - Math.ceil(SNIPPET_SIMILARITY * n - 1e-9) + 1;

/** Size of the intersection of two ascending arrays. */
function overlap(a: Int32Array, b: Int32Array): number {
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      n++;
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  return n;
}

/**
 * Pair baseline findings with current ones, strongest evidence first. Every pass only looks at
 * findings still unmatched, and every pass is a hash-map lookup or an indexed bucket scan, so the
 * whole match is near-linear in the number of findings.
 *
 * 1. `fingerprint`: same kind, tool and fingerprint; dependency findings also across tools.
 * 2. `fingerprint-recomputed`: a side carries another fingerprint algorithm version, so both are
 *    recomputed with the current algorithm from the finding fields.
 * 3. `relocated`: absolute paths re-rooted between machines: each side's common root is stripped
 *    and the fingerprint's ingredients compared; then same tool, rule, file name and snippet with
 *    the longest shared path suffix.
 * 4. `similar-snippet`: same tool, rule and file, snippet token Jaccard ≥ {@link SNIPPET_SIMILARITY}.
 *    Candidates come from an index of each snippet's rarest tokens (prefix filtering: two sets
 *    that similar must share one of them), filtered by size and position before the similarity
 *    is computed, so the pass does not compare every pair of a bucket.
 * 5. `rule-path`: same tool, rule and file when exactly one candidate is left on each side and
 *    at least one of the two has no snippet. When both have one, their code is different (the
 *    passes above compared it): that is a new finding and an absent one, never a pair, so new
 *    code is never hidden behind an old finding at another line.
 */
export function matchFindings(baseline: Side, current: Side, prepared?: { baseline: PreparedSide; current: PreparedSide }): MatchResult {
  const B = prepared?.baseline ?? prepareSide(baseline);
  const C = prepared?.current ?? prepareSide(current);
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
  const orderB = bySource(baseline);
  const orderC = bySource(current);
  const toolB = toolNames(baseline);
  const toolC = toolNames(current);

  /**
   * Exact pass: index the unmatched current findings by `keyC` (in source order), and pair each
   * unmatched baseline finding (in source order) with the first unused current one under its key
   * for which `same` holds. Keys are numeric hashes of the identity, never concatenated strings
   * (building and hashing 200,000 long keys per pass dominated the diff), and `same` checks the
   * real identity, so a hash collision can never pair two different findings.
   */
  const exact = (keyB: (i: number) => number | undefined, keyC: (j: number) => number | undefined, same: (i: number, j: number) => boolean, strategy: MatchStrategy) => {
    const index = new Map<number, number | number[]>();
    const heads = new Map<number, number>();
    for (const j of orderC) {
      if (cUsed[j]) continue;
      const k = keyC(j);
      if (k === undefined) continue;
      const q = index.get(k);
      if (q === undefined) index.set(k, j);
      else if (typeof q === 'number') index.set(k, [q, j]);
      else q.push(j);
    }
    for (const i of orderB) {
      if (bUsed[i]) continue;
      const k = keyB(i);
      if (k === undefined) continue;
      const q = index.get(k);
      if (q === undefined) continue;
      if (typeof q === 'number') {
        if (!cUsed[q] && same(i, q)) pair(i, q, strategy);
        continue;
      }
      // Used entries at the front are skipped for good, so 50,000 identical findings stay linear.
      let h = heads.get(k) ?? 0;
      while (h < q.length && cUsed[q[h]!]) h++;
      heads.set(k, h);
      for (let n = h; n < q.length; n++) {
        const j = q[n]!;
        if (!cUsed[j] && same(i, j)) {
          pair(i, j, strategy);
          break;
        }
      }
    }
  };
  const sameTool = (i: number, j: number) => baseline[i]!.kind === current[j]!.kind && toolB[i] === toolC[j];
  const isDep = (f: ReportFinding) => f.kind === 'dependency';
  /** Fingerprint passes: keyed by a hash of the fingerprint, checked by the fingerprint itself. */
  const byFingerprint = (fb: readonly string[], fc: readonly string[], strategy: MatchStrategy) => {
    const hb = fb.map((f) => fnv(FNV_SEED, f, 0) & 0x3fffffff);
    const hc = fc.map((f) => fnv(FNV_SEED, f, 0) & 0x3fffffff);
    const sameFp = (i: number, j: number) => fb[i] === fc[j];
    exact((i) => hb[i], (j) => hc[j], (i, j) => sameFp(i, j) && sameTool(i, j), strategy);
    exact((i) => (isDep(baseline[i]!) ? hb[i] : undefined), (j) => (isDep(current[j]!) ? hc[j] : undefined), sameFp, strategy);
  };

  // 1. Exact fingerprint, same tool first so two tools reporting one advisory pair with themselves
  //    (then dependency findings across tools).
  byFingerprint(baseline.map((f) => f.fingerprint), current.map((f) => f.fingerprint), 'fingerprint');

  // 2. Fingerprint algorithm changed between the sides: recompute, never "everything new".
  if (hasForeignVersion(baseline) || hasForeignVersion(current)) byFingerprint(recompute(baseline), recompute(current), 'fingerprint-recomputed');

  const bPaths = B.paths;
  const cPaths = C.paths;

  // 3a. Re-rooted checkouts: strip each side's common root and compare the fingerprint's own
  // ingredients (tool, rule, path, normalised snippet) directly: the same identity as a
  // recomputed fingerprint, without hashing every finding again.
  if (B.root !== C.root) {
    // Where each path starts once its side's root is stripped.
    const offsets = (side: PreparedSide) => Int32Array.from(side.paths, (p) => (p !== undefined && side.root && p.startsWith(side.root) ? side.root.length : 0));
    const bAt = offsets(B);
    const cAt = offsets(C);
    const hashOf = (f: ReportFinding, p: string, at: number, snip: string) => fnv(fnv(fnv(FNV_SEED, f.ruleId, 0), p, at), snip, 0) & 0x3fffffff;
    exact(
      (i) => (bPaths[i] !== undefined ? hashOf(baseline[i]!, bPaths[i]!, bAt[i]!, B.snippet(i)) : undefined),
      (j) => (cPaths[j] !== undefined ? hashOf(current[j]!, cPaths[j]!, cAt[j]!, C.snippet(j)) : undefined),
      (i, j) => sameTool(i, j) && baseline[i]!.ruleId === current[j]!.ruleId && B.snippet(i) === C.snippet(j) && sameTail(bPaths[i]!, bAt[i]!, cPaths[j]!, cAt[j]!),
      'relocated',
    );
  }

  // Weak strategies work on buckets of (kind, tool, rule, file name) over what is still unmatched.
  const bucketKey = (f: ReportFinding, tool: string, p: string) => `${f.kind}\u0000${tool}\u0000${f.ruleId}\u0000${basename(p)}`;
  const buckets = () => {
    const map = new Map<string, { b: number[]; c: number[] }>();
    const add = (k: string, side: 'b' | 'c', i: number) => {
      let e = map.get(k);
      if (!e) map.set(k, (e = { b: [], c: [] }));
      e[side].push(i);
    };
    bPaths.forEach((p, i) => p !== undefined && !bUsed[i] && add(bucketKey(baseline[i]!, toolB[i]!, p), 'b', i));
    cPaths.forEach((p, i) => p !== undefined && !cUsed[i] && add(bucketKey(current[i]!, toolC[i]!, p), 'c', i));
    return map;
  };

  // 3b. Same content at the same relative place under roots that share no common prefix: an
  // exact key on (bucket, normalised snippet), then the longest shared path suffix among those.
  for (const { b, c } of buckets().values()) {
    if (c.length === 0) continue;
    const bySnippet = new Map<string, number[]>();
    for (const j of c) {
      const q = bySnippet.get(C.snippet(j));
      if (q) q.push(j);
      else bySnippet.set(C.snippet(j), [j]);
    }
    for (const i of b) {
      const same = bySnippet.get(B.snippet(i));
      if (!same) continue;
      let best = -1;
      let bestScore = 0;
      let looked = 0;
      for (const j of same) {
        if (cUsed[j]) continue;
        if (++looked > MAX_CANDIDATES) break;
        if (!samePlaceOf(B.segments(i), C.segments(j))) continue;
        const s = commonSuffixOf(B.segments(i), C.segments(j));
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
    if (c.length > 0 && b.length > 0) similarSnippets(b, c);
  }

  // 5. One left on each side for the same rule and file, and no code to tell them apart.
  for (const { b, c } of buckets().values()) {
    if (b.length !== 1 || c.length !== 1) continue;
    const [i, j] = [b[0]!, c[0]!];
    if (B.snippet(i) !== '' && C.snippet(j) !== '') continue;
    if (samePlaceOf(B.segments(i), C.segments(j))) pair(i, j, 'rule-path');
  }

  const left = (used: Uint8Array) => {
    const out: number[] = [];
    used.forEach((u, i) => u || out.push(i));
    return out;
  };
  return { pairs, unmatchedBaseline: left(bUsed), unmatchedCurrent: left(cUsed) };

  /**
   * The `similar-snippet` pass of one bucket, by prefix filtering (as in all-pairs similarity
   * search): tokens are ranked rarest first within the bucket, each current snippet's first
   * {@link prefixLength} tokens are indexed, and a baseline snippet only meets the current ones
   * sharing one of its own first tokens, which every set similar enough must. Size and position
   * bounds drop most of those before the exact similarity is computed. The result is the same as
   * comparing every pair: for each baseline finding in order, the best-scoring unused current
   * one, ties to the earliest.
   */
  function similarSnippets(b: readonly number[], c: readonly number[]): void {
    // Token ids in order of first appearance; `lastSet` drops repeats within one snippet.
    const ids = new TokenIds();
    const freq: number[] = [];
    const lastSet: number[] = [];
    let setNo = 0;
    const raw = (snippet: string) => {
      const out: number[] = [];
      const me = setNo++;
      forEachTokenSpan(snippet, (source, start, end) => {
        const id = ids.id(source, start, end);
        if (id === freq.length) {
          freq.push(0);
          lastSet.push(-1);
        }
        if (lastSet[id] === me) return;
        lastSet[id] = me;
        freq[id]!++;
        out.push(id);
      });
      return out;
    };
    const bIds = b.map((i) => (B.snippet(i) === '' ? undefined : raw(B.snippet(i))));
    const cIds = c.map((j) => (C.snippet(j) === '' ? undefined : raw(C.snippet(j))));
    // Rank: rarest first, then first seen, so the order is deterministic.
    const order = freq.map((_, id) => id).sort((x, y) => freq[x]! - freq[y]! || x - y);
    const rank = new Int32Array(freq.length);
    order.forEach((id, r) => {
      rank[id] = r;
    });
    const ranked = (list: readonly number[] | undefined): Int32Array | undefined => {
      if (!list) return undefined;
      // A loop, not Int32Array.from(list, fn): the mapping form goes through the iterator protocol.
      const out = new Int32Array(list.length);
      for (let k = 0; k < list.length; k++) out[k] = rank[list[k]!]!;
      return out.sort();
    };
    const bSets = bIds.map(ranked);
    const cSets = cIds.map(ranked);

    // Postings: for each token rank, the current snippets (position in c) holding it in their prefix, and where.
    const postings = new Map<number, number[]>();
    cSets.forEach((set, k) => {
      if (!set) return;
      const p = Math.min(set.length, prefixLength(set.length));
      for (let pos = 0; pos < p; pos++) {
        const list = postings.get(set[pos]!);
        if (list) list.push(k, pos);
        else postings.set(set[pos]!, [k, pos]);
      }
    });

    const seen = new Int32Array(c.length).fill(-1);
    b.forEach((i, bk) => {
      const A = bSets[bk];
      if (!A || A.length === 0) return;
      let best = -1;
      let bestScore = 0;
      let verified = 0;
      let scanned = 0;
      const p = Math.min(A.length, prefixLength(A.length));
      probe: for (let pos = 0; pos < p; pos++) {
        const list = postings.get(A[pos]!);
        if (!list) continue;
        for (let e = 0; e < list.length; e += 2) {
          if (++scanned > MAX_SCANNED) break probe;
          const k = list[e]!;
          const j = c[k]!;
          if (seen[k] === bk || cUsed[j]) continue;
          seen[k] = bk;
          const S = cSets[k]!;
          if (S.length < SNIPPET_SIMILARITY * A.length - 1e-9 || A.length < SNIPPET_SIMILARITY * S.length - 1e-9) continue;
          const need = minOverlap(A.length, S.length);
          if (1 + Math.min(A.length - pos - 1, S.length - list[e + 1]! - 1) < need) continue;
          if (!samePlaceOf(B.segments(i), C.segments(j))) continue;
          if (++verified > MAX_CANDIDATES) break probe;
          const o = overlap(A, S);
          const s = o / (A.length + S.length - o);
          if (s >= SNIPPET_SIMILARITY && (s > bestScore || (s === bestScore && k < best))) {
            bestScore = s;
            best = k;
          }
        }
      }
      if (best >= 0) pair(i, c[best]!, 'similar-snippet', Math.round(bestScore * 1000) / 1000);
    });
  }
}
