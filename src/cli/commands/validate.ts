import { unknownKind, validate as runValidate, VALIDATE_KINDS, type Kind } from '../../bundle/validate.ts';
import { diag, hasErrors } from '../../model/diagnostics.ts';
import { exitCode } from '../../policy/exit-code.ts';
import { parseLimitFlags } from '../../settings/limits.ts';
import { parse } from '../args.ts';
import type { CommandResult } from '../main.ts';
import type { Io } from '../print.ts';
import { terminalName } from '../../model/sanitize-terminal.ts';

/** `auditmark validate <file…>`: schema-check normalised scans, checklist state/definitions and config. */
export async function validate(argv: string[], io: Io): Promise<CommandResult> {
  const p = parse('validate', argv, { as: { type: 'string' } });
  if (!p.ok) return { diagnostics: [p.diagnostic], exitCode: 2 };
  if (p.positionals.length === 0) return { diagnostics: [diag('usage/missing-input', 'error', 'validate: no file given', { fix: 'auditmark validate <file…>' })], exitCode: 2 };
  const limits = parseLimitFlags(p.values.limit);
  const as = p.values.as;
  if (as !== undefined && !VALIDATE_KINDS.includes(as as Kind)) return { diagnostics: [...limits.diagnostics, unknownKind(as)], exitCode: 2 };
  if (hasErrors(limits.diagnostics)) return { diagnostics: limits.diagnostics, exitCode: 2 };
  const r = runValidate(p.positionals, { as: as as Kind | undefined, limits: limits.limits });
  if (!p.values.quiet) for (const f of r.files) if (f.valid) io.stdout(`${terminalName(f.file)}: valid ${f.kind}\n`);
  return { diagnostics: r.diagnostics, exitCode: exitCode(r.diagnostics) };
}
