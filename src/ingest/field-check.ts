import { diag, pointer, type Diagnostic } from '../model/diagnostics.ts';
import { fromTable } from '../model/severity.ts';
import type { Severity } from '../model/types.ts';
import { isObject } from './reader.ts';

/**
 * Typed field access for readers, recording a located diagnostic for every value of the wrong
 * type. Scanner output is untrusted and hand-edited files exist, so a reader asks for each field
 * through here instead of trusting casts: a wrong type never crashes and never passes silently.
 */
export class FieldCheck {
  /** Every diagnostic recorded so far, in encounter order. */
  readonly diagnostics: Diagnostic[] = [];

  /** Record a diagnostic. */
  push(d: Diagnostic): void {
    this.diagnostics.push(d);
  }

  /**
   * A value of the wrong type at `ptr`. `dropped` = the whole item is skipped (an error: a finding
   * the report cannot show must stop the build rather than vanish); otherwise only the field is
   * ignored (a warning).
   */
  bad(ptr: string, expected: string, found: unknown, dropped: boolean): void {
    this.push(diag('ingest/bad-field', dropped ? 'error' : 'warning',
      `${ptr || '/'}: expected ${expected}, found ${describeValue(found)}${dropped ? '; the item was skipped' : '; the field was ignored'}`, {
        pointer: ptr, expected,
        fix: dropped ? 'regenerate the file with the scanner (hand edits or a broken converter changed its types)' : 'regenerate the file with the scanner, or remove the field',
      }));
  }

  /** A required string (numbers are accepted and stringified: ids come as both). */
  reqStr(obj: Record<string, unknown>, key: string, base: string): string | undefined {
    const v = obj[key];
    if (typeof v === 'string') return v;
    if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
    this.bad(base + pointer(key), typeof v === 'number' ? 'a string or an integer within 2^53' : 'a string', v, true);
    return undefined;
  }

  /** An optional string; `null`/absent give undefined silently, other types warn. */
  optStr(obj: Record<string, unknown>, key: string, base: string): string | undefined {
    const v = obj[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
    this.bad(base + pointer(key), 'a string', v, false);
    return undefined;
  }

  /** A required positive integer (1-based line). */
  reqPosInt(obj: Record<string, unknown>, key: string, base: string): number | undefined {
    const v = obj[key];
    if (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) return v;
    this.bad(base + pointer(key), 'a positive integer', v, true);
    return undefined;
  }

  /** An optional non-negative integer (0 allowed for 0-based offsets); wrong types warn. */
  optInt(obj: Record<string, unknown>, key: string, base: string, min = 1): number | undefined {
    const v = obj[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= min) return v;
    this.bad(base + pointer(key), min === 0 ? 'a non-negative integer' : 'a positive integer', v, false);
    return undefined;
  }

  /** An optional finite number; wrong types warn. */
  optNum(obj: Record<string, unknown>, key: string, base: string): number | undefined {
    const v = obj[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    this.bad(base + pointer(key), 'a finite number', v, false);
    return undefined;
  }

  /** An optional array; `null`/absent give `[]`, other types warn. */
  optArr(obj: Record<string, unknown>, key: string, base: string): unknown[] {
    const v = obj[key];
    if (v === undefined || v === null) return [];
    if (Array.isArray(v)) return v;
    this.bad(base + pointer(key), 'an array', v, false);
    return [];
  }

  /** An optional object; `null`/absent give undefined, other types warn. */
  optObj(obj: Record<string, unknown>, key: string, base: string): Record<string, unknown> | undefined {
    const v = obj[key];
    if (v === undefined || v === null) return undefined;
    if (isObject(v)) return v;
    this.bad(base + pointer(key), 'an object', v, false);
    return undefined;
  }

  /** Strings of an optional array; non-string elements warn and are dropped. */
  strList(obj: Record<string, unknown>, key: string, base: string): string[] {
    const out: string[] = [];
    this.optArr(obj, key, base).forEach((x, i) => {
      if (typeof x === 'string') out.push(x);
      else if (x !== null) this.bad(base + pointer(key, i), 'a string', x, false);
    });
    return out;
  }

  /** An array item that must be an object; other types are reported and skipped. */
  item(v: unknown, ptr: string): Record<string, unknown> | undefined {
    if (isObject(v)) return v;
    this.bad(ptr, 'an object', v, true);
    return undefined;
  }

  /**
   * Map a tool's severity word through its fixed table. A missing word gives `unknown` silently
   * (the tool has none there); a word not in the table gives `unknown` plus a warning naming the
   * allowed values, never a guess.
   */
  severity(raw: unknown, table: Readonly<Record<string, Severity>>, ptr: string): { severity: Severity; rawSeverity?: string } {
    if (raw === undefined || raw === null) return { severity: 'unknown' };
    const mapped = fromTable(raw, table);
    const rawSeverity = typeof raw === 'string' ? raw : JSON.stringify(raw);
    if (mapped) return { severity: mapped, rawSeverity };
    const allowed = Object.keys(table).join(', ');
    this.push(diag('ingest/unknown-severity', 'warning', `${ptr}: unknown severity ${describeValue(raw)}; the finding is marked "unknown"`, {
      pointer: ptr, expected: `one of (case-insensitive): ${allowed}`, fix: 'check the scanner version is supported, or correct the value',
    }));
    return { severity: 'unknown', rawSeverity };
  }
}

/** Short, safe description of a JSON value for messages (never the whole value: it may be huge or secret). */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing (the key is missing)';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'number') return Number.isFinite(v) ? (Number.isSafeInteger(v) || !Number.isInteger(v) ? `the number ${v}` : 'an integer too large to keep exactly') : 'a number out of range (e.g. 1e400)';
  if (typeof v === 'string') return v.length > 40 ? `a string "${v.slice(0, 40)}…"` : `the string ${JSON.stringify(v)}`;
  return `a ${typeof v}`;
}
