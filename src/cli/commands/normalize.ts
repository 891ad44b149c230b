import { normalize as runNormalize, scanDocumentText } from '../../bundle/normalize.ts';
import { probeOutputFile } from '../../bundle/output-dir.ts';
import { writeSingleFile } from '../../bundle/write.ts';
import { diag, hasErrors } from '../../model/diagnostics.ts';
import { exitCode } from '../../policy/exit-code.ts';
import { parseLimitFlags } from '../../settings/limits.ts';
import { parse } from '../args.ts';
import type { CommandResult } from '../main.ts';
import type { Io } from '../print.ts';

/** `auditmark normalize <file…>`: one normalised scan document on stdout, or atomically to `-o`. */
export async function normalize(argv: string[], io: Io): Promise<CommandResult> {
  const p = parse('normalize', argv, { format: { type: 'string' }, output: { type: 'string', short: 'o' }, 'allow-symlinks': { type: 'boolean' } });
  if (!p.ok) return { diagnostics: [p.diagnostic], exitCode: 2 };
  if (p.positionals.length === 0) {
    return { diagnostics: [diag('usage/missing-input', 'error', 'normalize: no input file given', { fix: 'auditmark normalize <file…>' })], exitCode: 2 };
  }
  const limits = parseLimitFlags(p.values.limit);
  if (hasErrors(limits.diagnostics)) return { diagnostics: limits.diagnostics, exitCode: 2 };
  const allowSymlinks = p.values['allow-symlinks'] === true;
  // Where -o goes is checked before the inputs are read: a bad target costs nothing.
  const target = p.values.output ? probeOutputFile(p.values.output, { allowSymlinks }) : [];
  if (hasErrors(target)) return { diagnostics: target, exitCode: exitCode(target) };
  const r = runNormalize(p.positionals, { format: p.values.format, limits: limits.limits });
  if (!r.document) return { diagnostics: r.diagnostics, exitCode: exitCode(r.diagnostics) };
  const text = scanDocumentText(r.document);
  const diagnostics = [...r.diagnostics, ...(p.values.output ? await writeSingleFile(p.values.output, text, { allowSymlinks }) : [])];
  if (!p.values.output) io.stdout(text);
  return { diagnostics, exitCode: exitCode(diagnostics) };
}
