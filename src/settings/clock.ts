import { diag, type Diagnostic } from '../model/diagnostics.ts';

/**
 * The injected clock: `SOURCE_DATE_EPOCH` (seconds, reproducible-builds.org) when set, else
 * `fallback()` (the real clock, read by the caller). An invalid value is an input error, not a
 * silent fallback, because it breaks reproducibility.
 */
export function resolveClock(env: Readonly<Record<string, string | undefined>>, fallback: () => Date): { now: Date; diagnostics: Diagnostic[] } {
  const raw = env.SOURCE_DATE_EPOCH;
  if (raw === undefined || raw === '') return { now: fallback(), diagnostics: [] };
  if (!/^\d{1,12}$/.test(raw.trim())) {
    return {
      now: fallback(),
      diagnostics: [diag('usage/source-date-epoch', 'error', `SOURCE_DATE_EPOCH="${raw}" is not a whole number of seconds`, { expected: 'seconds since 1970-01-01 UTC', fix: 'export SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)' })],
    };
  }
  return { now: new Date(Number(raw.trim()) * 1000), diagnostics: [] };
}
