/**
 * Property-based fuzzing of `ingest()` with fast-check: real scanner outputs (tests/fuzz/seeds,
 * see SOURCE.md there) are mutated the way broken captures and hostile data really look, and
 * every run must end in data: runs, or at least one located error diagnostic. Never a throw,
 * never an empty result with nothing said, never a polluted Object.prototype.
 *
 * `FUZZ_RUNS` sets the number of generated inputs (default 100 for `npm test`; `npm run fuzz`
 * uses 2000). A failure prints fast-check's seed and path: re-run with them to reproduce.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ingest, type IngestResult } from '../../src/ingest/ingest.ts';

const SEED_DIR = join(import.meta.dirname, 'seeds');
const SEEDS = readdirSync(SEED_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((name) => ({ name, bytes: readFileSync(join(SEED_DIR, name)) }));
const NUM_RUNS = Number(process.env.FUZZ_RUNS ?? 100);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = Array<string | number>;

/** Every path to a value in a JSON document, root included. */
function paths(value: Json, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  return out;
}

/** A copy of `doc` with the value at `path` replaced. */
function setAt(doc: Json, path: Path, replacement: Json): Json {
  if (path.length === 0) return replacement;
  const copy = structuredClone(doc) as Record<string | number, Json>;
  let cur = copy;
  for (const key of path.slice(0, -1)) cur = cur[key] as Record<string | number, Json>;
  cur[path[path.length - 1] as string | number] = replacement;
  return copy;
}

/** A copy of `doc` with every string value passed through `fn`, in document order. */
function mapStrings(doc: Json, fn: (s: string) => string): Json {
  if (typeof doc === 'string') return fn(doc);
  if (Array.isArray(doc)) return doc.map((v) => mapStrings(v, fn));
  if (doc !== null && typeof doc === 'object') return Object.fromEntries(Object.entries(doc).map(([k, v]) => [k, mapStrings(v, fn)]));
  return doc;
}

/** Strings that break naive code: controls, bidi, lone surrogates, BOM, emoji, NUL, huge numbers as text. */
const oddText = fc.constantFrom(
  '\u0000', '\u202e', '\u2066', '\ud800', '\udfff', '\ufeff', '\u001b[2J', '\u009b', '💥', '👩‍👩‍👧', 'e\u0301', '\r\n\r', '<!--', '```', '{{ 7*7 }}', '__proto__',
);

/** Replacement values for a type swap: every JSON type, plus shapes that look like the real thing. */
const swapValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constant(null), fc.boolean(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string({ maxLength: 20 }),
  fc.constant<Json>([]), fc.constant<Json>({}), fc.constant<Json>([null]), fc.constant<Json>(Number.MAX_SAFE_INTEGER + 2),
  fc.constant<Json>({ text: {} }), fc.constant<Json>([[[]]]), fc.constant<Json>(-1), fc.constant<Json>(0), oddText,
);

interface Mutated { label: string; bytes: Uint8Array }

/** One mutation of one seed, labelled so a failure says what was done. */
const mutated: fc.Arbitrary<Mutated> = fc
  .record({
    seed: fc.constantFrom(...SEEDS),
    kind: fc.constantFrom('truncate', 'swap', 'nest', 'huge', 'unicode', 'bytes', 'proto', 'numbers'),
    pick: fc.nat(),
    swap: swapValue,
    depth: fc.integer({ min: 1, max: 5000 }),
    odd: fc.array(oddText, { minLength: 1, maxLength: 6 }),
    hugeLength: fc.integer({ min: 1, max: 400_000 }),
    flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
  })
  .map(({ seed, kind, pick, swap, depth, odd, hugeLength, flips }): Mutated => {
    const text = seed.bytes.toString('utf8');
    const doc = JSON.parse(text) as Json;
    const all = paths(doc);
    const path = all[pick % all.length] as Path;
    const at = `${seed.name} ${kind} /${path.join('/')}`;
    const enc = (s: string): Uint8Array => Buffer.from(s, 'utf8');
    switch (kind) {
      case 'truncate':
        return { label: `${seed.name} truncate@${pick % (seed.bytes.length + 1)}`, bytes: seed.bytes.subarray(0, pick % (seed.bytes.length + 1)) };
      case 'swap':
        return { label: `${at} := ${JSON.stringify(swap)}`, bytes: enc(JSON.stringify(setAt(doc, path, swap))) };
      case 'nest': {
        // Built as text: a 5,000-deep value cannot go through JSON.stringify's recursion safely.
        const marker = '"__fuzz_deep__"';
        const withMarker = JSON.stringify(setAt(doc, path, '__fuzz_deep__'));
        return { label: `${at} nested ${depth}`, bytes: enc(withMarker.replace(marker, '['.repeat(depth) + ']'.repeat(depth))) };
      }
      case 'huge':
        return { label: `${at} huge ${hugeLength}`, bytes: enc(JSON.stringify(setAt(doc, path, odd.join('').repeat(Math.ceil(hugeLength / odd.join('').length))))) };
      case 'unicode': {
        // Odd characters appended to every third string value (which third depends on `pick`).
        let n = 0;
        const s = JSON.stringify(mapStrings(doc, (v) => (n++ % 3 === pick % 3 ? v + odd.join('') : v)));
        return { label: `${seed.name} unicode ${JSON.stringify(odd)}`, bytes: enc(s) };
      }
      case 'bytes': {
        const b = Buffer.from(seed.bytes);
        for (const [pos, val] of flips) b[pos % b.length] = val;
        return { label: `${seed.name} bytes ${JSON.stringify(flips)}`, bytes: b };
      }
      case 'proto': {
        const poisoned = JSON.stringify(setAt(doc, path, '__fuzz_proto__')).replace('"__fuzz_proto__"', '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}');
        return { label: `${at} proto`, bytes: enc(poisoned) };
      }
      default: {
        const big = ['1e400', '-1e400', '12345678901234567890', '-0', '1.5', '0.0000001'][pick % 6] as string;
        return { label: `${at} number ${big}`, bytes: enc(JSON.stringify(setAt(doc, path, '__fuzz_num__')).replace('"__fuzz_num__"', big)) };
      }
    }
  });

/** Any non-finite number anywhere in the result (what JSON output would turn into null). */
function nonFinite(value: unknown, path = ''): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path || '/';
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = nonFinite(value[i], `${path}/${i}`);
      if (hit) return hit;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const hit = nonFinite(v, `${path}/${k}`);
      if (hit) return hit;
    }
  }
  return undefined;
}

/** The contract every ingest result must meet, whatever the input. Returns the first violation. */
function violation(result: IngestResult): string | undefined {
  const errors = result.diagnostics.filter((d) => d.level === 'error');
  if (result.runs.length === 0 && errors.length === 0) return 'no runs and no error diagnostic';
  for (const d of result.diagnostics) {
    if (!/^[a-z0-9-]+\/[a-z0-9-]+$/.test(d.code)) return `diagnostic without a stable code: ${JSON.stringify(d)}`;
    if (!d.file) return `diagnostic without a file: ${d.code}`;
    if (typeof d.message !== 'string' || d.message === '') return `diagnostic without a message: ${d.code}`;
  }
  for (const run of result.runs) {
    const bad = nonFinite(run);
    if (bad) return `non-finite number in a run at ${bad}`;
    for (const f of run.findings) {
      if (!['critical', 'high', 'medium', 'low', 'info', 'unknown'].includes(f.severity)) return `severity outside the scale: ${String(f.severity)}`;
      if (typeof f.fingerprint !== 'string' || f.fingerprint === '') return 'finding without a fingerprint';
      const line = f.location?.startLine;
      if (line !== undefined && !(Number.isSafeInteger(line) && line > 0)) return `startLine is not a positive integer: ${line}`;
    }
  }
  if (({} as Record<string, unknown>).polluted !== undefined) return 'Object.prototype polluted';
  return undefined;
}

describe('ingest fuzzing', () => {
  test('every seed is valid before mutation (else the fuzzing proves nothing)', () => {
    expect(SEEDS.length).toBeGreaterThanOrEqual(10);
    for (const s of SEEDS) {
      const r = ingest([{ file: s.name, bytes: s.bytes }]);
      expect(r.diagnostics.filter((d) => d.level === 'error'), s.name).toEqual([]);
      expect(r.runs.length, s.name).toBeGreaterThan(0);
    }
  });

  test(`mutated real scanner outputs always end in runs or a located diagnostic (${NUM_RUNS} runs)`, () => {
    fc.assert(
      fc.property(mutated, (m) => {
        let result: IngestResult;
        try {
          result = ingest([{ file: m.label.split(' ')[0] as string, bytes: m.bytes }]);
        } catch (err) {
          throw new Error(`ingest threw on ${m.label}: ${(err as Error).stack ?? String(err)}`);
        }
        const v = violation(result);
        if (v) throw new Error(`${v} — input: ${m.label}`);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test('several mutated files in one call: each is reported on its own, the good one still read', () => {
    fc.assert(
      fc.property(mutated, (m) => {
        const good = SEEDS[0]!;
        const result = ingest([{ file: 'bad-' + m.label.split(' ')[0], bytes: m.bytes }, { file: good.name, bytes: good.bytes }]);
        expect(result.runs.some((r) => r.source.path === good.name), m.label).toBe(true);
        expect(violation(result), m.label).toBeUndefined();
      }),
      { numRuns: Math.max(10, Math.floor(NUM_RUNS / 4)) },
    );
  });
});
