import { parseArgs, type ParseArgsConfig } from 'node:util';
import { diag, type Diagnostic } from '../model/diagnostics.ts';
import { DEFAULT_LIMITS, type Limits } from '../model/limits.ts';

/** Options every command accepts. */
export const COMMON_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  limit: { type: 'string', multiple: true },
} as const satisfies ParseArgsConfig['options'];

/** Parsed argv, or a usage diagnostic. */
export type Parsed<V> = { ok: true; values: V; positionals: string[] } | { ok: false; diagnostic: Diagnostic };

/** Parse argv strictly with node:util; unknown flags are usage errors (exit 2), never ignored. */
export function parse<O extends NonNullable<ParseArgsConfig['options']>>(
  command: string,
  argv: string[],
  options: O,
): Parsed<ReturnType<typeof parseArgs<{ options: O & typeof COMMON_OPTIONS; allowPositionals: true; strict: true }>>['values']> {
  try {
    const r = parseArgs({ args: argv, options: { ...options, ...COMMON_OPTIONS }, allowPositionals: true, strict: true });
    return { ok: true, values: r.values as never, positionals: r.positionals };
  } catch (err) {
    return {
      ok: false,
      diagnostic: diag('usage/invalid', 'error', `${command}: ${(err as Error).message}`, { fix: `run \`auditmark ${command} --help\`` }),
    };
  }
}

/** Parse repeated `--limit name=value` flags into a partial Limits. */
export function parseLimitFlags(flags: readonly string[] | undefined): { limits: Partial<Limits>; diagnostics: Diagnostic[] } {
  const limits: Partial<Limits> = {};
  const diagnostics: Diagnostic[] = [];
  for (const f of flags ?? []) {
    const m = /^([A-Za-z]+)=(\d+)$/.exec(f);
    const name = m?.[1] as keyof Limits | undefined;
    if (!m || !name || !(name in DEFAULT_LIMITS)) {
      diagnostics.push(diag('usage/invalid-limit', 'error', `--limit ${f}: expected name=<positive integer>`, {
        expected: `one of ${Object.keys(DEFAULT_LIMITS).join(', ')}`, fix: 'e.g. --limit maxInputBytes=209715200',
      }));
      continue;
    }
    if (Number(m[2]) <= 0) {
      diagnostics.push(diag('usage/invalid-limit', 'error', `--limit ${f}: a limit must be a positive integer`, { fix: 'raise the limit instead of disabling it, e.g. --limit maxFindings=1000000' }));
      continue;
    }
    limits[name] = Number(m[2]);
  }
  return { limits, diagnostics };
}

/** Split `md,html,pdf` lists and check every entry. */
export function parseFormats(text: string | undefined, allowed: readonly string[], fallback: readonly string[]): { formats: string[]; diagnostics: Diagnostic[] } {
  const formats = text ? [...new Set(text.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean))] : [...fallback];
  const bad = formats.filter((f) => !allowed.includes(f));
  return {
    formats,
    diagnostics: bad.map((b) => diag('usage/invalid-format', 'error', `--format ${b} is not an output format`, { expected: `a comma-separated list of ${allowed.join(', ')}`, fix: `e.g. --format ${allowed.join(',')}` })),
  };
}
