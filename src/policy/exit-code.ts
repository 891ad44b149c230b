import { CATALOGUE, type DiagnosticCategory } from '../model/diagnostic-catalogue.ts';
import type { Diagnostic } from '../model/diagnostics.ts';

/** Exit codes of every command (DESIGN.md public contract). */
export const EXIT = { ok: 0, gate: 1, usage: 2, render: 3 } as const;

/** The exit code each category of error leads to; warnings and infos never change it. */
const BY_CATEGORY: Readonly<Record<DiagnosticCategory, number>> = {
  usage: EXIT.usage,
  input: EXIT.usage,
  render: EXIT.render,
  output: EXIT.render,
  internal: EXIT.render,
  policy: EXIT.gate,
  verify: EXIT.gate,
};

/**
 * Which exit wins when errors of several categories are present: what the user must fix first.
 * A usage or input error means nothing could be trusted (2); a rendering or writing failure
 * means nothing was written (3); only when everything ran does a failed gate or a bundle that
 * does not verify decide the outcome (1).
 */
const PRECEDENCE: readonly number[] = [EXIT.usage, EXIT.render, EXIT.gate];

/**
 * The one exit-code policy, used by every command. Pure: the exit code follows from the error
 * diagnostics alone, through the category each code is declared with in the catalogue.
 */
export function exitCode(diagnostics: readonly Diagnostic[]): number {
  const found = new Set<number>();
  for (const d of diagnostics) if (d.level === 'error') found.add(BY_CATEGORY[CATALOGUE[d.code].category]);
  return PRECEDENCE.find((code) => found.has(code)) ?? EXIT.ok;
}
