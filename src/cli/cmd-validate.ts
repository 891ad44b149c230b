import { parseChecklistDefinition, parseChecklistState } from '../enrich/checklist.ts';
import { parseConfig } from '../enrich/config.ts';
import { parseYaml } from '../enrich/yaml-safe.ts';
import { diag, hasErrors, type Diagnostic } from '../model/diagnostics.ts';
import { ingest } from '../ingest/ingest.ts';
import { parse } from './args.ts';
import { limitsFrom, type CommandResult } from './main.ts';
import type { Io } from './print.ts';
import { readInputFile } from './read-input.ts';

type Kind = 'scan' | 'checklist' | 'checklist-definition' | 'config';

/**
 * Decide what a file is from its content first (a `runs` array is a scan document, `items` a
 * checklist definition, `attestations`/`waivers` a checklist state) and its name second
 * (`auditmark.config.*` is config), so users need no flag for the common cases.
 */
function kindOf(file: string, value: unknown): Kind {
  const o = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  if ('runs' in o) return 'scan';
  if ('items' in o) return 'checklist-definition';
  if ('attestations' in o || 'waivers' in o || 'checklist' in o) return 'checklist';
  if (/config/i.test(file.split(/[\\/]/).pop() ?? '')) return 'config';
  return 'schemaVersion' in o ? 'checklist' : 'config';
}

/** `auditmark validate <file…>`: schema-check normalised scans, checklist state/definitions and config. */
export async function validate(argv: string[], io: Io): Promise<CommandResult> {
  const p = parse('validate', argv, { as: { type: 'string' } });
  if (!p.ok) return { diagnostics: [p.diagnostic], exitCode: 2 };
  if (p.positionals.length === 0) return { diagnostics: [diag('usage/missing-input', 'error', 'validate: no file given', { fix: 'auditmark validate <file…>' })], exitCode: 2 };
  const { limits, diagnostics } = limitsFrom(p.values.limit);
  for (const file of p.positionals) {
    const r = readInputFile(file, limits.maxInputBytes);
    if (!r.ok) { diagnostics.push(r.diagnostic); continue; }
    const text = Buffer.from(r.bytes).toString('utf8');
    const parsed = parseYaml(text, file, limits);
    if (!parsed.ok) { diagnostics.push(...parsed.diagnostics); continue; }
    const kind = (p.values.as as Kind | undefined) ?? kindOf(file, parsed.value);
    let found: Diagnostic[] = [];
    if (kind === 'scan') found = ingest([{ file, bytes: r.bytes }], { format: 'auditmark', limits }).diagnostics;
    else if (kind === 'checklist') { const s = parseChecklistState(text, file, limits); found = s.ok ? [] : s.diagnostics; }
    else if (kind === 'checklist-definition') { const s = parseChecklistDefinition(text, file, limits); found = s.ok ? [] : s.diagnostics; }
    else { const s = parseConfig(text, file, limits); found = s.ok ? [] : s.diagnostics; }
    diagnostics.push(...found);
    if (!hasErrors(found) && !p.values.quiet) io.stdout(`${file}: valid ${kind}\n`);
  }
  return { diagnostics, exitCode: hasErrors(diagnostics) ? 2 : 0 };
}
