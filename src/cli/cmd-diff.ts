import { evaluateGates, parseGates } from '../diff/gates.ts';
import { exitCode, type Phase } from '../diff/exit-code.ts';
import { closeBrowser } from '../emit/browser.ts';
import { buildManifest, reportProvenance, serializeManifest } from '../emit/manifest.ts';
import { writeOutputs } from '../emit/write-output.ts';
import { resolveSettings } from '../enrich/config.ts';
import { diag, hasErrors, type Diagnostic } from '../model/diagnostics.ts';
import { planDiff, renderDiffOutputs } from '../pipeline.ts';
import { parse, parseFormats } from './args.ts';
import { resolveClock } from './clock.ts';
import { loadAllTemplates, loadConfig, readText, resolveLimits } from './context.ts';
import { loadSide } from './load-side.ts';
import type { CommandResult } from './main.ts';
import type { Io } from './print.ts';
import { progressPrinter } from './progress.ts';
import { writeSummary } from './write.ts';
import { resolve } from 'node:path';

const DIFF_FORMATS = ['md', 'html', 'pdf', 'json'] as const;

/** `auditmark diff <baseline> <current>`: what changed, as data first, then documents and gates. */
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
  });
  if (!p.ok) return { diagnostics: [p.diagnostic], exitCode: 2 };
  const v = p.values;
  const diagnostics: Diagnostic[] = [];
  let phase: Phase = 'prepare';
  const done = (): CommandResult => ({ diagnostics, exitCode: exitCode({ diagnostics, phase }) });
  if (p.positionals.length !== 2) {
    diagnostics.push(diag('usage/invalid', 'error', `diff: expected <baseline> <current>, got ${p.positionals.length} argument(s)`, { fix: 'auditmark diff previous/report.json current-scan.json --out diff/' }));
  }
  const formats = parseFormats(v.format, DIFF_FORMATS, ['md', 'json']);
  diagnostics.push(...formats.diagnostics);
  const { gates, diagnostics: gateProblems } = parseGates(v['fail-on'], 'diff');
  diagnostics.push(...gateProblems);
  const clock = resolveClock(process.env);
  const cfg = loadConfig(v.config);
  diagnostics.push(...clock.diagnostics, ...cfg.diagnostics);
  const lim = resolveLimits(cfg.config, v.limit);
  diagnostics.push(...lim.diagnostics);
  const out = v.out ?? 'audit-diff';
  const [baseSpec = '', curSpec = ''] = p.positionals;
  // A baseline inside the output directory would be replaced by the very diff it feeds.
  for (const spec of [baseSpec, curSpec]) {
    for (const f of spec.split(',')) {
      if (f && formats.formats.some((fmt) => resolve(f) === resolve(out, `diff.${fmt}`))) {
        diagnostics.push(diag('usage/input-is-output', 'error', `input ${f} is also an output of this diff`, { file: f, fix: 'choose another --out directory' }));
      }
    }
  }
  if (hasErrors(diagnostics)) return done();
  const templates = loadAllTemplates(v['templates-dir'] ?? cfg.config?.options.templatesDir);
  const state = readText(v.checklist, lim.limits);
  diagnostics.push(...templates.diagnostics, ...state.diagnostics);
  if (hasErrors(diagnostics)) return done();
  const ctx = { templates: templates.templates, config: cfg.config, checklistState: state.input, now: clock.now };
  const base = loadSide(baseSpec, lim.limits, ctx);
  const cur = loadSide(curSpec, lim.limits, ctx);
  diagnostics.push(...base.diagnostics, ...cur.diagnostics);
  if (!base.report || !cur.report || hasErrors(diagnostics)) return done();
  const settings = resolveSettings(cfg.config?.options ?? {}, { limits: lim.limits });
  const planned = planDiff(base.report, cur.report, templates.templates, settings, clock.now);
  diagnostics.push(...planned.diagnostics);
  if (!planned.plan) return done();
  phase = 'render';
  try {
    const rendered = await renderDiffOutputs(planned.plan, formats.formats, {
      chromePath: v.chrome, env: process.env, onProgress: progressPrinter(io, v.quiet === true || v.json === true, 'printing PDF'),
    });
    diagnostics.push(...rendered.diagnostics);
    if (hasErrors(rendered.diagnostics)) return done();
    const manifest = buildManifest({
      kind: 'diff',
      metadata: { auditmarkVersion: planned.plan.current.metadata.auditmarkVersion, created: clock.now.toISOString(), template: { id: planned.plan.template.id, version: planned.plan.template.version } },
      chromium: rendered.chromium,
      ...reportProvenance(planned.plan.current),
      inputs: [],
      outputs: rendered.files,
    });
    phase = 'write';
    const written = await writeOutputs(out, [...rendered.files, { name: 'manifest.json', bytes: serializeManifest(manifest) }], { allowSymlinks: v['allow-symlinks'] === true });
    diagnostics.push(...written.diagnostics);
    if (hasErrors(written.diagnostics)) return done();
    diagnostics.push(...(await writeSummary(planned.plan.diff, v.summary, process.env)));
  } finally {
    await closeBrowser();
  }
  phase = 'done';
  const gateResults = evaluateGates(gates, planned.plan.diff);
  for (const g of gateResults.filter((r) => r.failed)) diagnostics.push(diag('gate/failed', 'error', `${g.gate}: ${g.reason}`, { fix: 'resolve what the gate names, or change the --fail-on policy' }));
  return { diagnostics, exitCode: exitCode({ diagnostics, gateResults, phase }) };
}
