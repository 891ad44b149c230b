import { parse as parseTolerant, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { diag, type Diagnostic } from '../model/diagnostics.ts';
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

/**
 * Measure the deepest `[`/`{` nesting without parsing (strings skipped), so a 100,000-deep
 * document is refused before `JSON.parse` could overflow the stack. Returns the depth and the
 * offset where the limit was first exceeded.
 */
export function jsonDepth(text: string, limit: number): { depth: number; exceededAt?: number } {
  let depth = 0, max = 0, inStr = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inStr) {
      if (c === 92) i++;
      else if (c === 34) inStr = false;
      continue;
    }
    if (c === 34) inStr = true;
    else if (c === 91 || c === 123) {
      if (++depth > max) {
        max = depth;
        if (max > limit) return { depth: max, exceededAt: i };
      }
    } else if (c === 93 || c === 125) depth--;
  }
  return { depth: max };
}

/** Result of parsing JSON text. */
export type Parsed =
  | { ok: true; value: unknown; /** line ranges outside the JSON that were dropped */ stripped?: { before: number; after: number } }
  | { ok: false; diagnostic: Diagnostic };

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
 * Parse scanner JSON as it really comes. Checks depth first. When the whole text is not JSON
 * but one JSON document is surrounded by log lines or banners (Bandit's `[main] INFO` preamble,
 * Safety 3's DEPRECATED banner, pip-audit's "No known vulnerabilities found"), the document is
 * extracted and the caller warns; text with no JSON document (a login prompt) is refused.
 */
export function parseJson(text: string, file: string, limits: Pick<Limits, 'maxJsonDepth'>): Parsed {
  const depth = jsonDepth(text, limits.maxJsonDepth);
  if (depth.exceededAt !== undefined) {
    const { line, column } = lineCol(text, depth.exceededAt);
    return {
      ok: false,
      diagnostic: diag('limit/json-depth', 'error', `JSON nesting deeper than the limit maxJsonDepth=${limits.maxJsonDepth}`, {
        file, line, column, expected: `at most ${limits.maxJsonDepth} nested arrays/objects`, fix: limitHint('maxJsonDepth'),
      }),
    };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
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
      try {
        const value = JSON.parse(inner);
        if (value !== null && typeof value === 'object') {
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
          return { ok: true, value, stripped: { before: s, after: lines.length - 1 - end - (lines.at(-1) === '' ? 1 : 0) } };
        }
      } catch {
        // try the next candidate; if none parses, report the original error, located in the original text
      }
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
}
