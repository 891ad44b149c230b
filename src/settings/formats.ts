import { diag, type Diagnostic } from '../model/diagnostics.ts';

/**
 * Check an output format list (`--format md,html,pdf`): entries are trimmed, lower-cased and
 * de-duplicated; any entry not in `allowed` is a usage error. No list gives `fallback`.
 */
export function parseFormats(list: readonly string[] | undefined, allowed: readonly string[], fallback: readonly string[]): { formats: string[]; diagnostics: Diagnostic[] } {
  const formats = list ? [...new Set(list.map((s) => s.trim().toLowerCase()).filter(Boolean))] : [...fallback];
  const bad = formats.filter((f) => !allowed.includes(f));
  return {
    formats,
    diagnostics: bad.map((b) => diag('usage/invalid-format', 'error', `--format ${b} is not an output format`, { expected: `a comma-separated list of ${allowed.join(', ')}`, fix: `e.g. --format ${allowed.join(',')}` })),
  };
}
