import { build as runBuild } from '../../pipeline.ts';
import { parseLimitFlags } from '../../settings/limits.ts';
import { diag, hasErrors } from '../../model/diagnostics.ts';
import { exitCode } from '../../policy/exit-code.ts';
import { list, parse } from '../args.ts';
import type { CommandResult } from '../main.ts';
import type { Io } from '../print.ts';
import { progressPrinter } from '../progress.ts';

/** `auditmark build`: argv → `build()` options; everything else happens in the pipeline. */
export async function build(argv: string[], io: Io): Promise<CommandResult> {
  const p = parse('build', argv, {
    scan: { type: 'string', multiple: true },
    checklist: { type: 'string' },
    config: { type: 'string' },
    template: { type: 'string' },
    'templates-dir': { type: 'string' },
    format: { type: 'string' },
    'format-in': { type: 'string' },
    out: { type: 'string' },
    baseline: { type: 'string' },
    source: { type: 'string' },
    'fail-on': { type: 'string', multiple: true },
    summary: { type: 'string' },
    sign: { type: 'string' },
    'sign-pdf': { type: 'string' },
    'pdf-one-part': { type: 'boolean' },
    chrome: { type: 'string' },
    paper: { type: 'string' },
    project: { type: 'string' },
    'app-version': { type: 'string' },
    classification: { type: 'string' },
    'allow-symlinks': { type: 'boolean' },
    vex: { type: 'string', multiple: true },
    kev: { type: 'string' },
    epss: { type: 'string' },
    osv: { type: 'string', multiple: true },
    history: { type: 'string', multiple: true },
  });
  if (!p.ok) return { diagnostics: [p.diagnostic], exitCode: 2 };
  const v = p.values;
  const limits = parseLimitFlags(v.limit);
  const diagnostics = [...limits.diagnostics];
  if (p.positionals.length) diagnostics.push(diag('usage/invalid', 'error', `build: unexpected argument "${p.positionals[0]}"`, { fix: 'pass scanner files with --scan <file>' }));
  if (hasErrors(diagnostics)) return { diagnostics, exitCode: exitCode(diagnostics) };
  const r = await runBuild({
    scans: v.scan ?? [],
    checklist: v.checklist,
    config: v.config,
    template: v.template,
    templatesDir: v['templates-dir'],
    formats: list(v.format),
    formatIn: v['format-in'],
    out: v.out,
    baseline: v.baseline,
    source: v.source,
    failOn: v['fail-on'],
    summary: v.summary,
    sign: v.sign,
    signPdf: v['sign-pdf'],
    pdfOnePart: v['pdf-one-part'],
    chrome: v.chrome,
    paper: v.paper,
    project: v.project,
    appVersion: v['app-version'],
    classification: v.classification,
    allowSymlinks: v['allow-symlinks'],
    limits: limits.limits,
    vex: v.vex,
    kev: v.kev,
    epss: v.epss,
    osv: v.osv,
    history: v.history,
  }, { onProgress: progressPrinter(io, v.quiet === true || v.json === true, 'printing PDF') });
  return { diagnostics: r.diagnostics, exitCode: r.exitCode };
}
