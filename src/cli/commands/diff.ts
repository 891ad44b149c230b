import { diff as runDiff } from '../../pipeline.ts';
import { parseLimitFlags } from '../../settings/limits.ts';
import { diag, hasErrors } from '../../model/diagnostics.ts';
import { exitCode } from '../../policy/exit-code.ts';
import { list, parse } from '../args.ts';
import type { CommandResult } from '../main.ts';
import type { Io } from '../print.ts';
import { progressPrinter } from '../progress.ts';

/** `auditmark diff <baseline> <current>`: argv → `diff()` options. */
export async function diff(argv: string[], io: Io): Promise<CommandResult> {
  const p = parse('diff', argv, {
    format: { type: 'string' },
    out: { type: 'string' },
    'fail-on': { type: 'string', multiple: true },
    config: { type: 'string' },
    checklist: { type: 'string' },
    'templates-dir': { type: 'string' },
    chrome: { type: 'string' },
    summary: { type: 'string' },
    'allow-symlinks': { type: 'boolean' },
    vex: { type: 'string', multiple: true },
    kev: { type: 'string' },
    epss: { type: 'string' },
    osv: { type: 'string', multiple: true },
  });
  if (!p.ok) return { diagnostics: [p.diagnostic], exitCode: 2 };
  const v = p.values;
  const limits = parseLimitFlags(v.limit);
  const diagnostics = [...limits.diagnostics];
  if (p.positionals.length !== 2) {
    diagnostics.push(diag('usage/invalid', 'error', `diff: expected <baseline> <current>, got ${p.positionals.length} argument(s)`, { fix: 'auditmark diff previous/report.json current-scan.json --out diff/' }));
  }
  if (hasErrors(diagnostics)) return { diagnostics, exitCode: exitCode(diagnostics) };
  const [baseline = '', current = ''] = p.positionals;
  const r = await runDiff({
    baseline,
    current,
    formats: list(v.format),
    out: v.out,
    failOn: v['fail-on'],
    config: v.config,
    checklist: v.checklist,
    templatesDir: v['templates-dir'],
    chrome: v.chrome,
    summary: v.summary,
    allowSymlinks: v['allow-symlinks'],
    limits: limits.limits,
    vex: v.vex,
    kev: v.kev,
    epss: v.epss,
    osv: v.osv,
  }, { onProgress: progressPrinter(io, v.quiet === true || v.json === true, 'printing PDF') });
  return { diagnostics: r.diagnostics, exitCode: r.exitCode };
}
