import { appendFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { toStepSummary } from '../emit/summary.ts';
import { writeOutputs } from '../emit/write-output.ts';
import { diag, type Diagnostic } from '../model/diagnostics.ts';
import type { ReportDiff } from '../model/diff.ts';
import type { Report } from '../model/report.ts';

/** Write one file atomically (normalize -o, --summary): same guarantees as a build's outputs. */
export async function writeSingleFile(path: string, text: string): Promise<Diagnostic[]> {
  const r = await writeOutputs(dirname(path), [{ name: basename(path), bytes: Buffer.from(text, 'utf8') }]);
  return r.diagnostics;
}

/**
 * Write the compact CI summary: to `--summary <file>` (atomically), else appended to
 * `$GITHUB_STEP_SUMMARY` when set (GitHub's protocol is append).
 */
export async function writeSummary(subject: Report | ReportDiff, explicit: string | undefined, env: NodeJS.ProcessEnv): Promise<Diagnostic[]> {
  if (explicit) return writeSingleFile(explicit, toStepSummary(subject));
  const gh = env.GITHUB_STEP_SUMMARY;
  if (!gh) return [];
  try {
    appendFileSync(gh, toStepSummary(subject));
    return [];
  } catch (e) {
    return [diag('output/summary', 'warning', `cannot append the step summary: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: gh })];
  }
}
