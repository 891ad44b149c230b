import { isAscii } from 'node:buffer';
import { parse as parseTolerant, printParseErrorCode, visit, type ParseError } from 'jsonc-parser';
import { diag, pointerToken, type Diagnostic } from '../model/diagnostics.ts';
import type { Limits } from '../model/limits.ts';
import { limitHint } from '../model/limits.ts';

/** Text decoded from an input file, or the reason it cannot be. */
export type Decoded = { ok: true; text: string; bom: boolean } | { ok: false; diagnostic: Diagnostic };

/**
 * Decode input bytes as UTF-8. A UTF-8 BOM is accepted and dropped (same result as without);
 * UTF-16/32 are refused by name because PowerShell's `>` writes UTF-16 and the fix is known.
 */
export function decodeInput(bytes: Uint8Array, file: string): Decoded {
  const b0 = bytes[0], b1 = bytes[1];
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) {
    return {
      ok: false,
      diagnostic: diag('input/utf16', 'error', 'the file is UTF-16 encoded; auditmark reads UTF-8 JSON', {
        file, line: 1, column: 1, expected: 'UTF-8 text',
        fix: 'write the scanner output as UTF-8 (PowerShell: `| Out-File -Encoding utf8`), or convert it with `iconv -f UTF-16 -t UTF-8`',
      }),
    };
  }
  if (looksUtf16WithoutBom(bytes)) {
    return {
      ok: false,
      diagnostic: diag('input/utf16', 'error', 'the file looks UTF-16 encoded (no byte-order mark, NUL bytes between ASCII characters); auditmark reads UTF-8 JSON', {
        file, line: 1, column: 1, expected: 'UTF-8 text',
        fix: 'write the scanner output as UTF-8 (PowerShell: `| Out-File -Encoding utf8`), or convert it with `iconv -f UTF-16LE -t UTF-8`',
      }),
    };
  }
  // Scanner output is nearly always plain ASCII: then UTF-8 and Latin-1 decode alike, and the
  // Latin-1 decoder (after one SIMD pass that checks every byte) is the faster of the two.
  if (isAscii(bytes)) return { ok: true, text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'), bom: false };
  const bom = b0 === 0xef && b1 === 0xbb && bytes[2] === 0xbf;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    const { line, column } = lineCol(Buffer.from(bytes.subarray(0, at)).toString('utf8'), Infinity);
    return {
      ok: false,
      diagnostic: diag('input/not-utf8', 'error', `invalid UTF-8 byte sequence at byte ${at}`, {
        file, line, column, expected: 'UTF-8 text', fix: 'convert the file to UTF-8 (e.g. `iconv -t UTF-8`)',
      }),
    };
  }
  return { ok: true, text, bom };
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  let lo = 0, hi = bytes.length;
  const dec = new TextDecoder('utf-8', { fatal: true });
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    try {
      dec.decode(bytes.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  return lo;
}

/**
 * UTF-16 without a BOM: JSON starts with ASCII, so half of the first bytes are NUL. UTF-8 JSON
 * never contains NUL bytes, so this cannot misfire on valid input.
 */
function looksUtf16WithoutBom(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 64);
  if (n < 4) return false;
  let evenNul = 0, oddNul = 0;
  for (let i = 0; i < n; i++) if (bytes[i] === 0) (i % 2 === 0 ? evenNul++ : oddNul++);
  return evenNul >= n / 4 || oddNul >= n / 4;
}

/** 1-based line and column of a UTF-16 offset in `text`. */
export function lineCol(text: string, offset: number): { line: number; column: number } {
  const end = Math.min(offset, text.length);
  let line = 1, last = -1;
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) { line++; last = i; }
  return { line, column: end - last };
}

/** What one pass over JSON text finds without parsing it. */
export interface JsonShape {
  /** Deepest `[`/`{` nesting seen (up to the point where the limit was exceeded). */
  depth: number;
  /** Offset where the nesting first went over the limit, if it did. */
  exceededAt?: number;
  /** `:` outside strings: in valid JSON exactly the number of object members written. */
  members: number;
}

/**
 * Measure nesting and count object members in one pass without parsing (strings skipped), so a
 * 100,000-deep document is refused before anything could overflow a stack, and duplicate keys
 * can be detected by comparing with the members the parser kept ({@link countMembers}).
 *
 * Strings are skipped with `indexOf` to the next quote rather than character by character: most
 * of a scanner's output is string content, and this pass runs on every input.
 */
export function scanJson(text: string, limit: number, start = 0, end = text.length): JsonShape {
  let depth = 0, max = 0, members = 0;
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      let j = text.indexOf('"', i + 1);
      // A quote preceded by an odd run of backslashes is escaped and does not end the string.
      while (j !== -1 && text.charCodeAt(j - 1) === 92) {
        let k = j - 1, run = 0;
        while (text.charCodeAt(k) === 92) { run++; k--; }
        if ((run & 1) === 0) break;
        j = text.indexOf('"', j + 1);
      }
      if (j === -1 || j >= end) break;
      i = j + 1;
      continue;
    }
    if (c === 58) members++;
    else if (c === 91 || c === 123) {
      if (++depth > max) {
        max = depth;
        if (max > limit) return { depth: max, exceededAt: i, members };
      }
    } else if (c === 93 || c === 125) depth--;
    i++;
  }
  return { depth: max, members };
}

/**
 * Measure the deepest `[`/`{` nesting without parsing (strings skipped). Returns the depth and
 * the offset where the limit was first exceeded.
 */
export function jsonDepth(text: string, limit: number): { depth: number; exceededAt?: number } {
  const { depth, exceededAt } = scanJson(text, limit);
  return exceededAt === undefined ? { depth } : { depth, exceededAt };
}

/**
 * Object members a parsed JSON value holds. `JSON.parse` keeps only the last of repeated keys,
 * so fewer members than {@link scanJson} counted in the text means some key was repeated. The
 * caller has bounded the depth, so the recursion is bounded too.
 */
export function countMembers(v: unknown): number {
  let n = 0;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x === 'object' && x !== null) n += countMembers(x);
    }
    return n;
  }
  const o = v as Record<string, unknown>;
  for (const k in o) {
    n++;
    const x = o[k];
    if (typeof x === 'object' && x !== null) n += countMembers(x);
  }
  return n;
}

/** One key written twice in one object. */
export interface DuplicateKey {
  key: string;
  /** JSON pointer of the second occurrence (the one `JSON.parse` keeps). */
  pointer: string;
  first: { line: number; column: number };
  second: { line: number; column: number };
  /** True when both occurrences hold the same value (no reader can disagree on the meaning). */
  sameValue: boolean;
}

/** Largest value (in characters) re-parsed to compare the two values of a repeated key; longer ones are compared as written. */
const COMPARE_PARSED_MAX = 64 * 1024;

function sameJson(a: string, b: string): boolean {
  if (a === b) return true;
  if (a.length > COMPARE_PARSED_MAX || b.length > COMPARE_PARSED_MAX) return false;
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return false;
  }
}

interface Member {
  line: number;
  column: number;
  valueStart: number;
  /** Set when this member repeats an earlier key: the earlier value's span, compared once this value is read. */
  repeat?: { dup?: DuplicateKey; first: readonly [number, number] };
}

interface Frame {
  object: boolean;
  /** Last occurrence of each key seen so far (objects): where it was written and where its value starts. */
  keys: Map<string, Member & { valueEnd: number }>;
  /** The token of this container in its parent (for pointers). */
  token: string;
  /** The member whose value is being read (objects). */
  pending?: string;
  /** The next index (arrays). */
  index: number;
}

/**
 * Locate every repeated key (at most `max`; `total` counts all), with both places and whether
 * the values agree. Slow (a full tokenising pass): run only when {@link countMembers} says a key
 * repeats. `lineOffset` shifts lines for text that is one line of a larger file (JSON lines).
 */
export function findDuplicateKeys(text: string, max: number, lineOffset = 0): { duplicates: DuplicateKey[]; total: number; differing: number } {
  const duplicates: DuplicateKey[] = [];
  let total = 0, differing = 0;
  const stack: Frame[] = [];
  const pointerOf = (extra: string) => stack.slice(1).map((f) => f.token).join('') + extra;
  // A value starts: remember where, so a later repeat of its key can compare the two values.
  const valueStart = (offset: number): string => {
    const top = stack.at(-1);
    if (!top) return '';
    if (!top.object) return `/${top.index++}`;
    const key = top.pending ?? '';
    const entry = top.keys.get(key);
    if (entry) entry.valueStart = offset;
    return `/${pointerToken(key)}`;
  };
  const valueEnd = (end: number) => {
    const top = stack.at(-1);
    if (!top?.object || top.pending === undefined) return;
    const entry = top.keys.get(top.pending);
    top.pending = undefined;
    if (!entry) return;
    entry.valueEnd = end;
    if (entry.repeat) {
      const [a, b] = entry.repeat.first;
      const same = a >= 0 && sameJson(text.slice(a, b), text.slice(entry.valueStart, end));
      if (!same) differing++;
      if (entry.repeat.dup) entry.repeat.dup.sameValue = same;
      entry.repeat = undefined;
    }
  };
  const open = (object: boolean, offset: number) => {
    const token = valueStart(offset);
    stack.push({ object, keys: new Map(), token, index: 0 });
  };
  const close = (offset: number, length: number) => {
    stack.pop();
    valueEnd(offset + length);
  };
  visit(text, {
    onObjectBegin: (offset) => open(true, offset),
    onArrayBegin: (offset) => open(false, offset),
    onObjectEnd: close,
    onArrayEnd: close,
    onLiteralValue: (_v, offset, length) => {
      valueStart(offset);
      valueEnd(offset + length);
    },
    onObjectProperty: (property, _offset, _length, line, character) => {
      const top = stack.at(-1);
      if (!top) return;
      const member: Member & { valueEnd: number } = { line: line + 1 + lineOffset, column: character + 1, valueStart: -1, valueEnd: -1 };
      const earlier = top.keys.get(property);
      if (earlier) {
        total++;
        member.repeat = { first: [earlier.valueStart, earlier.valueEnd] };
        if (duplicates.length < max) {
          member.repeat.dup = {
            key: property, pointer: pointerOf(`/${pointerToken(property)}`),
            first: { line: earlier.line, column: earlier.column }, second: { line: member.line, column: member.column }, sameValue: false,
          };
          duplicates.push(member.repeat.dup);
        }
      }
      top.keys.set(property, member);
      top.pending = property;
    },
  }, { disallowComments: true, allowTrailingComma: false });
  return { duplicates, total, differing };
}

/** Result of parsing JSON text. */
export type Parsed =
  | {
    ok: true;
    /** The document; for JSON lines, the array of the records in file order. */
    value: unknown;
    /** Line ranges outside the JSON that were dropped. */
    stripped?: { before: number; after: number };
    /** Set for JSON lines: the 1-based line of each record of `value`. */
    lines?: number[];
    /**
     * Problems that did not stop the parse: repeated keys (`input/duplicate-key`), and for JSON
     * lines the lines that are not JSON. Errors among them mean the content must not be used.
     */
    diagnostics: Diagnostic[];
  }
  | { ok: false; diagnostic: Diagnostic };

/** Options of {@link parseJson}. */
export interface ParseJsonOptions {
  /**
   * Asked when the text is not one JSON document but one JSON value per line: given the records,
   * say whether they are JSON lines of a format that is written that way (TruffleHog, Nuclei).
   * Without it, or when it says no, several documents in one file are refused.
   */
  acceptLines?: (records: readonly unknown[]) => boolean;
}

/** Most repeated keys reported one by one per document; the rest are counted in one more diagnostic. */
const MAX_DUPLICATE_REPORTS = 20;

function parseError(text: string, file: string, lineOffset = 0): Diagnostic {
  // JSON.parse in Node 20 gives no position for "Unexpected token" errors; jsonc-parser (strict
  // options) reports the offset of the first problem, so the error points at the real place.
  const errors: ParseError[] = [];
  parseTolerant(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  const offset = first ? first.offset : text.length;
  const { line, column } = lineCol(text, offset);
  const atEnd = offset >= text.trimEnd().length;
  const what = first ? printParseErrorCode(first.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase() : 'unexpected content';
  return diag('input/invalid-json', 'error', atEnd ? 'JSON ends early (truncated file?)' : `invalid JSON: ${what}`, {
    file, line: line + lineOffset, column,
    expected: atEnd ? 'the rest of the JSON document' : 'valid JSON',
    fix: atEnd ? 'the capture was cut off: re-run the scanner and write its output with its own -o/--output option' : 'check the file was written by the scanner alone, with no other output mixed in',
  });
}

/** Describe well-known non-JSON captures so the user learns what actually happened. */
function describeNoise(text: string): { message: string; fix: string } | undefined {
  if (/log\s*in|register|authenticat/i.test(text) && /safety/i.test(text)) {
    return {
      message: "this is Safety's interactive login prompt, not a scan result: `safety scan` did not run",
      fix: 'authenticate first (`safety auth login`, or SAFETY_API_KEY in CI), then run `safety scan --output json --save-as json report.json`',
    };
  }
  if (/No known vulnerabilities found/.test(text)) {
    return { message: "this is pip-audit's console message, not its JSON", fix: 'run `pip-audit -f json -o report.json`' };
  }
  return undefined;
}

/**
 * Repeated keys in one object, as located diagnostics. `JSON.parse` keeps the last value, other
 * parsers keep the first or refuse the file, so a document with two different values for one
 * key means different things to different readers (a parser-differential trick: the file a
 * reviewer opens says `"LOW"`, the one auditmark reads says `"HIGH"`). Different values are an
 * error: an audit document must not rest on one parser's reading of an ambiguous file. The same
 * value twice is harmless (every parser reads one meaning) and only warned about. The check is
 * cheap on the common path: members counted in the text against members kept by the parser.
 */
function duplicateKeyDiagnostics(text: string, value: unknown, members: number, file: string, lineOffset = 0): Diagnostic[] {
  if (typeof value !== 'object' || value === null || countMembers(value) === members) return [];
  const { duplicates, total, differing } = findDuplicateKeys(text, MAX_DUPLICATE_REPORTS, lineOffset);
  const out = duplicates.map((d) => {
    const where = `line ${d.first.line}:${d.first.column} and line ${d.second.line}:${d.second.column}`;
    const message = d.sameValue
      ? `key "${shortKey(d.key)}" is written twice in one object (${where}) with the same value; read once`
      : `key "${shortKey(d.key)}" is written twice in one object with different values (${where}): JSON readers disagree on which one counts (JSON.parse keeps the second, others the first or refuse the file)`;
    const extra = {
      file, pointer: d.pointer, line: d.second.line, column: d.second.column, expected: 'each key at most once per object (RFC 8259: names SHOULD be unique)',
      fix: d.sameValue ? 'remove the repeated key, or regenerate the file with the tool that wrote it' : 'regenerate the file with the tool that wrote it (the scanner, or auditmark for report.json and normalised scans): their JSON writers write each key once, so the file was most likely edited or assembled by other means',
    };
    return d.sameValue ? diag('input/duplicate-key', 'warning', message, extra) : diag('input/duplicate-key', 'error', message, extra);
  });
  if (total > duplicates.length) {
    const rest = total - duplicates.length;
    const restDiffering = differing - duplicates.filter((d) => !d.sameValue).length;
    const message = `${rest} more repeated key(s) not listed (${restDiffering} of them with different values)`;
    const extra = { file, expected: 'each key at most once per object', fix: 'regenerate the file with the tool that wrote it' };
    out.push(restDiffering > 0 ? diag('input/duplicate-key', 'error', message, extra) : diag('input/duplicate-key', 'warning', message, extra));
  }
  return out;
}

const shortKey = (k: string) => (k.length > 60 ? `${k.slice(0, 60)}…` : k);

function depthError(text: string, at: number, file: string, limit: number, lineOffset = 0): Diagnostic {
  const { line, column } = lineCol(text, at);
  return diag('limit/json-depth', 'error', `JSON nesting deeper than the limit maxJsonDepth=${limit}`, {
    file, line: line + lineOffset, column, expected: `at most ${limit} nested arrays/objects`, fix: limitHint('maxJsonDepth'),
  });
}

/** A line that holds one JSON value: it starts with `{` or `[` after optional white space. */
const JSON_LINE = /^\s*[[{]/;

/**
 * Read text as JSON lines (one value per line; blank lines are fine). Lines that start like JSON
 * but do not parse are located errors (one per line: a lost record must not pass unseen); other
 * lines are log text (older TruffleHog interleaves it on stdout) and are dropped with one
 * warning. `undefined` when the text does not look like JSON lines at all: its first JSON-like
 * line is not a whole value by itself (a pretty-printed document), or it is one record alone.
 */
function parseLines(text: string, file: string, limits: Pick<Limits, 'maxJsonDepth'>): { records: unknown[]; lines: number[]; diagnostics: Diagnostic[] } | undefined {
  const all = text.split('\n');
  const first = all.findIndex((l) => JSON_LINE.test(l));
  if (first < 0) return undefined;
  try {
    JSON.parse(all[first]!);
  } catch {
    return undefined;
  }
  const records: unknown[] = [];
  const lines: number[] = [];
  const diagnostics: Diagnostic[] = [];
  const noise: number[] = [];
  let bad = 0;
  for (let i = 0; i < all.length; i++) {
    const raw = all[i]!;
    const lineText = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (lineText.trim() === '') continue;
    if (!JSON_LINE.test(lineText)) {
      noise.push(i + 1);
      continue;
    }
    const shape = scanJson(lineText, limits.maxJsonDepth);
    if (shape.exceededAt !== undefined) {
      diagnostics.push(depthError(lineText, shape.exceededAt, file, limits.maxJsonDepth, i));
      bad++;
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(lineText);
    } catch {
      const d = parseError(lineText, file, i);
      diagnostics.push({ ...d, message: `line ${i + 1} is not a whole JSON value: ${d.message}`, expected: 'one JSON value per line' });
      bad++;
      continue;
    }
    diagnostics.push(...duplicateKeyDiagnostics(lineText, value, shape.members, file, i));
    records.push(value);
    lines.push(i + 1);
  }
  // One record alone is a document, not JSON lines, unless other lines (broken records, log text) come with it.
  if (records.length === 0 || records.length + bad + noise.length < 2) return undefined;
  if (noise.length > 0) {
    const shown = noise.slice(0, 5).join(', ') + (noise.length > 5 ? ', …' : '');
    diagnostics.push(diag('input/noise-stripped', 'warning', `${noise.length} line(s) that are not JSON were ignored (lines ${shown}): log output mixed into the JSON lines`, {
      file, line: noise[0]!, column: 1, fix: 'write the scanner output with its own output option so logs stay out of it',
    }));
  }
  return { records, lines, diagnostics };
}

/**
 * Parse scanner JSON as it really comes. Checks depth first (and counts object members in the
 * same pass, for the repeated-key check). When the whole text is not JSON: JSON lines, if the
 * caller accepts them for these records; else one JSON document surrounded by log lines or
 * banners (Bandit's `[main] INFO` preamble, Safety 3's DEPRECATED banner, pip-audit's "No known
 * vulnerabilities found") is extracted and the caller warns; text with no JSON document (a
 * login prompt) and several documents in one file are refused.
 */
export function parseJson(text: string, file: string, limits: Pick<Limits, 'maxJsonDepth'>, options: ParseJsonOptions = {}): Parsed {
  const shape = scanJson(text, limits.maxJsonDepth);
  if (shape.exceededAt !== undefined) return { ok: false, diagnostic: depthError(text, shape.exceededAt, file, limits.maxJsonDepth) };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return recover(text, file, limits, options);
  }
  return { ok: true, value, diagnostics: duplicateKeyDiagnostics(text, value, shape.members, file) };
}

/** The text as a whole is not JSON: JSON lines, a document inside log noise, or a located refusal. */
function recover(text: string, file: string, limits: Pick<Limits, 'maxJsonDepth'>, options: ParseJsonOptions): Parsed {
  if (options.acceptLines) {
    const jl = parseLines(text, file, limits);
    if (jl && options.acceptLines(jl.records)) return { ok: true, value: jl.records, lines: jl.lines, diagnostics: jl.diagnostics };
  }
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^\s*[[{]/.test(l));
  let end = -1;
  for (let i = lines.length - 1; i >= 0; i--) if (/[\]}]\s*$/.test(lines[i] ?? '')) { end = i; break; }
  // Log lines such as Bandit's `[main]\tINFO ...` also start with `[`, so try each candidate
  // start line (a bounded number) until one yields a whole JSON document.
  let tries = 0;
  for (let s = start; start >= 0 && s <= end && tries < 32; s++) {
    if (!/^\s*[[{]/.test(lines[s] ?? '')) continue;
    tries++;
    if (s === 0 && end === lines.length - 1) continue;
    const inner = lines.slice(s, end + 1).join('\n');
    let value: unknown;
    try {
      value = JSON.parse(inner);
    } catch {
      // try the next candidate; if none parses, report the original error, located in the original text
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    // Noise is log text; a dropped part that itself ends a JSON value means several
    // documents were concatenated, and reading only one would silently lose data.
    const before = lines.slice(0, s).join('\n').trimEnd();
    if (/[\]}]$/.test(before)) {
      const at = lineCol(text, before.length);
      return {
        ok: false,
        diagnostic: diag('input/multiple-documents', 'error', `the file holds more than one JSON document (one ends at line ${at.line}, another starts at line ${s + 1})`, {
          file, line: s + 1, column: 1, expected: 'exactly one JSON document per file',
          fix: 'write each scanner run to its own file and pass each one (e.g. --scan a.json --scan b.json)',
        }),
      };
    }
    const members = scanJson(inner, Number.POSITIVE_INFINITY).members;
    return {
      ok: true, value,
      stripped: { before: s, after: lines.length - 1 - end - (lines.at(-1) === '' ? 1 : 0) },
      diagnostics: duplicateKeyDiagnostics(inner, value, members, file, s),
    };
  }
  const d = parseError(text, file);
  const hint = describeNoise(text);
  if (hint && start < 0) {
    return { ok: false, diagnostic: { ...d, code: 'input/not-json', message: hint.message, fix: hint.fix, line: 1, column: 1, expected: 'scanner JSON output' } };
  }
  if (start < 0) {
    return { ok: false, diagnostic: { ...d, code: 'input/not-json', message: 'the file holds no JSON document', line: 1, column: 1, expected: 'scanner JSON output', fix: 'check the scanner ran and wrote JSON (e.g. bandit -f json -o out.json); a captured console transcript is not a report' } };
  }
  return { ok: false, diagnostic: d };
}
