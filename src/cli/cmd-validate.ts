import { parseChecklistDefinition, parseChecklistState } from '../enrich/checklist.ts';
import { parseConfig } from '../enrich/config.ts';
import { parseYaml } from '../enrich/yaml-safe.ts';
import { diag, hasErrors, type Diagnostic } from '../model/diagnostics.ts';
import { detectFormat } from '../ingest/detect.ts';
import { ingest } from '../ingest/ingest.ts';
import { parse } from './args.ts';
import { resolveLimits } from './context.ts';
import type { CommandResult } from './main.ts';
import type { Io } from './print.ts';
import { readInputFile } from './read-input.ts';

type Kind = 'scan' | 'scanner-output' | 'checklist' | 'checklist-definition' | 'config';

/**
 * Decide what a file is from its content first (a `runs` array is a scan document, `items` a
 * checklist definition, `attestations`/`waivers` a checklist state) and its name second
 * (`auditmark.config.*` is config), so users need no flag for the common cases. Raw scanner
 * output (Bandit, SARIF, …) is recognised by the readers' detection and checked by reading it,
 * rather than being misreported as a config file with unknown keys.
 */
function kindOf(file: string, value: unknown): Kind {
  const o = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  // SARIF also has `runs`: only the auditmark reader's documents are normalised scans.
  if ('runs' in o) return detectFormat(value, file).reader?.id === 'sarif' ? 'scanner-output' : 'scan';
  if ('items' in o) return 'checklist-definition';
  if ('attestations' in o || 'waivers' in o || 'checklist' in o) return 'checklist';
  if (/config/i.test(file.split(/[\\/]/).pop() ?? '')) return 'config';
  if (detectFormat(value, file).reader) return 'scanner-output';
  return 'schemaVersion' in o ? 'checklist' : 'config';
}

/** `auditmark validate <file…>`: schema-check normalised scans, checklist state/definitions and config. */
export async function validate(argv: string[], io: Io): Promise<CommandResult> {
  const p = parse('validate', argv, { as: { type: 'string' } });
  if (!p.ok) return { diagnostics: [p.diagnostic], exitCode: 2 };
  if (p.positionals.length === 0) return { diagnostics: [diag('usage/missing-input', 'error', 'validate: no file given', { fix: 'auditmark validate <file…>' })], exitCode: 2 };
  const { limits, diagnostics } = resolveLimits(undefined, p.values.limit);
  const kinds: Kind[] = ['scan', 'checklist', 'checklist-definition', 'config'];
  if (p.values.as !== undefined && !kinds.includes(p.values.as as Kind)) {
    diagnostics.push(diag('usage/invalid', 'error', `validate: --as ${p.values.as} is not a file kind`, { expected: kinds.join(', '), fix: 'e.g. --as checklist' }));
    return { diagnostics, exitCode: 2 };
  }
  for (const file of p.positionals) {
    const r = readInputFile(file, limits.maxInputBytes);
    if (!r.ok) { diagnostics.push(r.diagnostic); continue; }
    const text = Buffer.from(r.bytes).toString('utf8');
    const parsed = parseYaml(text, file, limits);
    // A .json/.sarif file that is not even YAML is most often captured scanner output (a login
    // prompt, a log preamble): the readers explain those far better than a YAML syntax error.
    const scannerLike = !parsed.ok && /\.(json|sarif)$/i.test(file) && !/config/i.test(file.split(/[\\/]/).pop() ?? '');
    if (!parsed.ok && !scannerLike) { diagnostics.push(...parsed.diagnostics); continue; }
    const kind: Kind = parsed.ok ? ((p.values.as as Kind | undefined) ?? kindOf(file, parsed.value)) : 'scanner-output';
    let found: Diagnostic[] = [];
    if (kind === 'scan') found = ingest([{ file, bytes: r.bytes }], { format: 'auditmark', limits }).diagnostics;
    else if (kind === 'scanner-output') found = ingest([{ file, bytes: r.bytes }], { format: 'auto', limits }).diagnostics;
    else if (kind === 'checklist') { const s = parseChecklistState(text, file, limits); found = s.ok ? [] : s.diagnostics; }
    else if (kind === 'checklist-definition') { const s = parseChecklistDefinition(text, file, limits); found = s.ok ? [] : s.diagnostics; }
    else { const s = parseConfig(text, file, limits); found = s.ok ? [] : s.diagnostics; }
    diagnostics.push(...found);
    if (!hasErrors(found) && !p.values.quiet) io.stdout(`${file}: valid ${kind}\n`);
  }
  return { diagnostics, exitCode: hasErrors(diagnostics) ? 2 : 0 };
}
