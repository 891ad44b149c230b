/**
 * Problems are data: every stage returns diagnostics instead of throwing strings, so one
 * failing input is reported while the others still complete.
 */

import type { DiagnosticCode, LevelOf } from './diagnostic-catalogue.ts';

export type { DiagnosticCode } from './diagnostic-catalogue.ts';

/** How bad a diagnostic is. Any `error` means the command writes nothing. */
export type DiagnosticLevel = 'error' | 'warning' | 'info';

/** One problem, located. */
export interface Diagnostic {
  /** Stable code, declared in `diagnostic-catalogue.ts` and documented in the README (e.g. `input/not-json`). */
  code: DiagnosticCode;
  level: DiagnosticLevel;
  /** What is wrong, one sentence. */
  message: string;
  /** The input file (as given on the command line). */
  file?: string;
  /** JSON pointer into the file, when the input is JSON/YAML. */
  pointer?: string;
  /** 1-based line and column, when known. */
  line?: number;
  column?: number;
  /** What was expected there. */
  expected?: string;
  /** How to fix it. */
  fix?: string;
}

/** Build a diagnostic; keeps call sites short and the shape uniform. The level must be one the catalogue declares for the code. */
export function diag<C extends DiagnosticCode>(
  code: C,
  level: LevelOf<C>,
  message: string,
  extra: Omit<Diagnostic, 'code' | 'level' | 'message'> = {},
): Diagnostic {
  return { code, level, message, ...extra };
}

/** True when any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.level === 'error');
}

/**
 * Thrown only inside a stage to abort one input; stages catch it and turn it back into data.
 * Never escapes the library API.
 */
export class DiagnosticError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
    this.name = 'DiagnosticError';
  }
}

/** Escape a JSON-pointer token (RFC 6901). */
export function pointerToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Join JSON-pointer tokens into a pointer. */
export function pointer(...tokens: Array<string | number>): string {
  return tokens.map((t) => '/' + pointerToken(t)).join('');
}
