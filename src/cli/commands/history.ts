import { history as runHistory } from '../../pipeline.ts';
import { parseLimitFlags } from '../../settings/limits.ts';
import { hasErrors } from '../../model/diagnostics.ts';
import { exitCode } from '../../policy/exit-code.ts';
import { list, parse } from '../args.ts';
import type { CommandResult } from '../main.ts';
import type { Io } from '../print.ts';
import { progressPrinter } from '../progress.ts';

/** `auditmark history <report…>`: argv → `history()` options. */
export async function history(argv: string[], io: Io): Promise<CommandResult> {
  const p = parse('history', argv, {
    format: { type: 'string' },
    out: { type: 'string' },
    config: { type: 'string' },
    'templates-dir': { type: 'string' },
    chrome: { type: 'string' },
    'allow-symlinks': { type: 'boolean' },
  });
  if (!p.ok) return { diagnostics: [p.diagnostic], exitCode: 2 };
  const v = p.values;
  const limits = parseLimitFlags(v.limit);
  if (hasErrors(limits.diagnostics)) return { diagnostics: limits.diagnostics, exitCode: exitCode(limits.diagnostics) };
  const r = await runHistory({
    inputs: p.positionals,
    formats: list(v.format),
    out: v.out,
    config: v.config,
    templatesDir: v['templates-dir'],
    chrome: v.chrome,
    allowSymlinks: v['allow-symlinks'],
    limits: limits.limits,
  }, { onProgress: progressPrinter(io, v.quiet === true || v.json === true, 'printing PDF') });
  return { diagnostics: [...limits.diagnostics, ...r.diagnostics], exitCode: r.exitCode };
}
