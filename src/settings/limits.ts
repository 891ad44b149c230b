/**
 * Limits from their three layers: defaults < config `limits:` < `--limit name=value` flags.
 * Pure: the flags arrive as strings, the config as parsed data.
 */
import { diag, type Diagnostic } from '../model/diagnostics.ts';
import { DEFAULT_LIMITS, LIMIT_RANGES, type Limits } from '../model/limits.ts';

const NAMES = Object.keys(DEFAULT_LIMITS) as Array<keyof Limits>;

/**
 * Parse repeated `--limit name=value` flags into a partial Limits. A value must be an integer
 * within the limit's range ({@link LIMIT_RANGES}): `99999999999999999999` would silently become
 * 1e20 (and compare wrongly), and a timeout beyond Node's timer range would fire at once.
 */
export function parseLimitFlags(flags: readonly string[] | undefined): { limits: Partial<Limits>; diagnostics: Diagnostic[] } {
  const limits: Partial<Limits> = {};
  const diagnostics: Diagnostic[] = [];
  for (const f of flags ?? []) {
    const m = /^([A-Za-z]+)=(\d+)$/.exec(f);
    const name = m?.[1] as keyof Limits | undefined;
    if (!m || !name || !NAMES.includes(name)) {
      diagnostics.push(diag('usage/invalid-limit', 'error', `--limit ${f}: expected name=<integer>`, {
        expected: `one of ${NAMES.join(', ')}`, fix: 'e.g. --limit maxInputBytes=209715200',
      }));
      continue;
    }
    const value = Number(m[2]);
    const { min, max } = LIMIT_RANGES[name];
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      diagnostics.push(diag('usage/invalid-limit', 'error', `--limit ${f}: ${name} must be an integer from ${min} to ${max}`, {
        expected: `${min} … ${max}`, fix: `raise the limit to a realistic value instead of disabling it, e.g. --limit ${name}=${DEFAULT_LIMITS[name] * 4}`,
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
