import { diag, type Diagnostic } from '../../model/diagnostics.ts';
import { limitHint, type Limits } from '../../model/limits.ts';
import { decodeInput, parseJson } from '../json-text.ts';

/** The JSON value of a risk input (VEX, KEV, OSV record), or the located reason it is not JSON. */
export function readJsonValue(bytes: Uint8Array, file: string, limits: Pick<Limits, 'maxInputBytes' | 'maxJsonDepth'>, invalid: 'vex/invalid' | 'kev/invalid' | 'osv/invalid'): { ok: true; value: unknown } | { ok: false; diagnostics: Diagnostic[] } {
  if (bytes.length > limits.maxInputBytes) {
    return { ok: false, diagnostics: [diag('limit/input-size', 'error', `file is ${bytes.length} bytes, over the limit maxInputBytes=${limits.maxInputBytes}`, { file, expected: `at most ${limits.maxInputBytes} bytes`, fix: limitHint('maxInputBytes') })] };
  }
  const decoded = decodeInput(bytes, file);
  if (!decoded.ok) return { ok: false, diagnostics: [decoded.diagnostic] };
  const parsed = parseJson(decoded.text, file, limits);
  if (!parsed.ok) return { ok: false, diagnostics: [parsed.diagnostic] };
  // A VEX document or a catalog wrapped in log lines is not a document anyone signed: refuse it.
  if (parsed.stripped) return { ok: false, diagnostics: [diag(invalid, 'error', 'the file holds text around its JSON document', { file, expected: 'one JSON document and nothing else', fix: 'pass the file as its tool wrote it' })] };
  return { ok: true, value: parsed.value };
}

/** A trimmed non-empty string, else `undefined`. */
export function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** `YYYY-MM-DD` of an ISO date or date-time string, else `undefined`. */
export function dayOf(v: unknown): string | undefined {
  const s = text(v);
  const m = s ? /^(\d{4}-\d{2}-\d{2})(?:$|[T ])/.exec(s) : null;
  return m ? m[1] : undefined;
}
