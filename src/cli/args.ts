import { parseArgs, type ParseArgsConfig } from 'node:util';
import { diag, type Diagnostic } from '../model/diagnostics.ts';

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

/** A comma-separated flag value (`--format md,html`) as a list; absent stays absent. */
export function list(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : value.split(',');
}

/** A usage error for a missing required option. */
export function missing(command: string, what: string, example: string): Diagnostic {
  return diag('usage/missing-input', 'error', `${command}: ${what}`, { fix: example });
}
