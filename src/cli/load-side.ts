import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadedTemplate } from '../compose/template-registry.ts';
import { parseJson } from '../ingest/json-text.ts';
import type { Diagnostic } from '../model/diagnostics.ts';
import { hasErrors } from '../model/diagnostics.ts';
import type { Limits } from '../model/limits.ts';
import type { Report } from '../model/report.ts';
import { assembleReport, checkReportVersion, isReportJson } from '../pipeline.ts';
import type { LoadedConfig } from './context.ts';
import { readScans } from './context.ts';
import { AUDITMARK_VERSION } from './version.ts';

/** What is needed to turn raw scan files into a Report for one side of a diff. */
export interface SideContext {
  templates?: readonly LoadedTemplate[];
  config?: LoadedConfig;
  checklistState?: { file: string; text: string };
  now?: Date;
}

/**
 * Load one side of a diff (or a `--baseline`): a build output directory (its report.json), a
 * report.json, or scanner files — raw or normalised, several separated by commas — which are
 * assembled into a Report with the same config so both sides are judged alike.
 */
export function loadSide(spec: string, limits: Limits, ctx: SideContext = {}): { report?: Report; diagnostics: Diagnostic[] } {
  const first = spec.split(',')[0] ?? spec;
  const path = existsSync(first) && statSync(first).isDirectory() ? join(first, 'report.json') : undefined;
  const files = path ? [path] : spec.split(',').filter(Boolean);
  const read = readScans(files, limits);
  if (hasErrors(read.diagnostics)) return { diagnostics: read.diagnostics };
  if (read.scans.length === 1) {
    const only = read.scans[0]!;
    const parsed = parseJson(Buffer.from(only.bytes).toString('utf8').replace(/^\uFEFF/, ''), only.file, limits);
    if (parsed.ok && isReportJson(parsed.value)) {
      const problems = checkReportVersion(parsed.value, only.file);
      return problems.length ? { diagnostics: problems } : { report: parsed.value, diagnostics: [] };
    }
  }
  const assembled = assembleReport({
    scans: read.scans,
    config: ctx.config,
    overrides: { limits },
    checklistState: ctx.checklistState,
    templates: ctx.templates ?? [],
    now: ctx.now ?? new Date(0),
    auditmarkVersion: AUDITMARK_VERSION,
  });
  return { report: assembled.assembled?.report, diagnostics: assembled.diagnostics };
}
