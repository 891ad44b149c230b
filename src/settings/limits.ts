/**
 * Limits from their three layers: defaults < config `limits:` < `--limit name=value` flags.
 * Pure: the flags arrive as strings, the config as parsed data.
 */
import { diag, type Diagnostic } from '../model/diagnostics.ts';
import { DEFAULT_LIMITS, type Limits } from '../model/limits.ts';

const NAMES = Object.keys(DEFAULT_LIMITS) as Array<keyof Limits>;

/**
 * Parse repeated `--limit name=value` flags into a partial Limits. A value must be a positive
 * safe integer: `99999999999999999999` would silently become 1e20 (and compare wrongly), so it
 * is refused like any other malformed value.
 */
export function parseLimitFlags(flags: readonly string[] | undefined): { limits: Partial<Limits>; diagnostics: Diagnostic[] } {
  const limits: Partial<Limits> = {};
  const diagnostics: Diagnostic[] = [];
  for (const f of flags ?? []) {
    const m = /^([A-Za-z]+)=(\d+)$/.exec(f);
    const name = m?.[1] as keyof Limits | undefined;
    if (!m || !name || !NAMES.includes(name)) {
      diagnostics.push(diag('usage/invalid-limit', 'error', `--limit ${f}: expected name=<positive integer>`, {
        expected: `one of ${NAMES.join(', ')}`, fix: 'e.g. --limit maxInputBytes=209715200',
      }));
      continue;
    }
    const value = Number(m[2]);
    if (!Number.isSafeInteger(value) || value <= 0) {
      diagnostics.push(diag('usage/invalid-limit', 'error', `--limit ${f}: a limit must be a positive integer of at most ${Number.MAX_SAFE_INTEGER}`, {
        expected: `1 … ${Number.MAX_SAFE_INTEGER}`, fix: 'raise the limit to a realistic value instead of disabling it, e.g. --limit maxFindings=1000000',
      }));
      continue;
    }
    limits[name] = value;
  }
  return { limits, diagnostics };
}

/** Limits: defaults < config `limits:` < flags. */
export function resolveLimits(config: Partial<Limits> | undefined, flags: Partial<Limits> | undefined): Limits {
  return { ...DEFAULT_LIMITS, ...config, ...flags };
}
