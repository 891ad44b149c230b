import type { Diagnostic } from '../model/diagnostics.ts';
import type { GateResult } from './gates.ts';

/** Where a command stopped: before writing anything, while rendering, while writing, or at the end. */
export type Phase = 'prepare' | 'render' | 'write' | 'done';

/** Exit codes of every command (DESIGN.md public contract). */
export const EXIT = { ok: 0, gate: 1, usage: 2, render: 3 } as const;

/** Diagnostic code prefixes that belong to rendering or writing, whatever phase reported them. */
const RENDER_CODES = /^(pdf|output|render|html|emit)\/|^template\/render-error$/;

/**
 * The one exit-code policy. Pure.
 *
 * - 2 when any error diagnostic belongs to usage, input, ingest, config, schema or template
 *   selection (everything checked before writing), so nothing was written;
 * - 3 when an error happened while rendering or writing (phase `render`/`write`, or a render/output code);
 * - 1 when no error happened but a policy gate failed;
 * - 0 otherwise.
 *
 * Input errors win over render errors: the input is what the user must fix first.
 */
export function exitCode(input: { diagnostics: readonly Diagnostic[]; gateResults?: readonly GateResult[]; phase: Phase }): number {
  // `gate/failed` diagnostics only report gate results; the gate results themselves decide exit 1.
  const errors = input.diagnostics.filter((d) => d.level === 'error' && !d.code.startsWith('gate/'));
  if (errors.length > 0) {
    const inRender = (d: Diagnostic) => RENDER_CODES.test(d.code) || (input.phase !== 'prepare' && input.phase !== 'done' && !/^(usage|input|ingest|config|schema|limit|yaml|checklist|template)\//.test(d.code));
    return errors.every(inRender) ? EXIT.render : EXIT.usage;
  }
  return (input.gateResults ?? []).some((g) => g.failed) ? EXIT.gate : EXIT.ok;
}
