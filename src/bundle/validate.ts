/**
 * `auditmark validate`: check normalised scans, checklist state and definitions, config and raw
 * scanner output, each file by what it is.
 */
import { detectFormat } from '../ingest/detect.ts';
import { ingest } from '../ingest/ingest.ts';
import { diag, hasErrors, type Diagnostic } from '../model/diagnostics.ts';
import { DEFAULT_LIMITS, type Limits } from '../model/limits.ts';
import { parseChecklistDefinition, parseChecklistState } from '../settings/checklist.ts';
import { parseConfig } from '../settings/config.ts';
import { parseYaml } from '../settings/yaml.ts';
import { readInputFile } from './read-input.ts';

/** What a file passed to `validate` is. */
export type Kind = 'scan' | 'scanner-output' | 'checklist' | 'checklist-definition' | 'config';

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

/** The kinds `validate --as` accepts. */
export const VALIDATE_KINDS: readonly Kind[] = ['scan', 'checklist', 'checklist-definition', 'config'];

/** One validated file: its kind, and whether it is valid (no error diagnostic). */
export interface ValidatedFile {
  file: string;
  kind?: Kind;
  valid: boolean;
}

/** Validate files; `as` forces the kind of every file. */
export function validate(files: readonly string[], options: { as?: Kind; limits?: Partial<Limits> } = {}): { files: ValidatedFile[]; diagnostics: Diagnostic[] } {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const diagnostics: Diagnostic[] = [];
  const out: ValidatedFile[] = [];
  for (const file of files) {
    const r = readInputFile(file, limits.maxInputBytes);
    if (!r.ok) {
      diagnostics.push(r.diagnostic);
      out.push({ file, valid: false });
      continue;
    }
    const text = Buffer.from(r.bytes).toString('utf8');
    const parsed = parseYaml(text, file, limits);
    // A .json/.sarif file that is not even YAML is most often captured scanner output (a login
    // prompt, a log preamble): the readers explain those far better than a YAML syntax error.
    const scannerLike = !parsed.ok && /\.(json|sarif)$/i.test(file) && !/config/i.test(file.split(/[\\/]/).pop() ?? '');
    if (!parsed.ok && !scannerLike) {
      diagnostics.push(...parsed.diagnostics);
      out.push({ file, valid: false });
      continue;
    }
    const kind: Kind = parsed.ok ? (options.as ?? kindOf(file, parsed.value)) : 'scanner-output';
    const found = check(kind, file, r.bytes, text, limits);
    diagnostics.push(...found);
    out.push({ file, kind, valid: !hasErrors(found) });
  }
  return { files: out, diagnostics };
}

function check(kind: Kind, file: string, bytes: Uint8Array, text: string, limits: Limits): Diagnostic[] {
  if (kind === 'scan') return ingest([{ file, bytes }], { format: 'auditmark', limits }).diagnostics;
  if (kind === 'scanner-output') return ingest([{ file, bytes }], { format: 'auto', limits }).diagnostics;
  const s = kind === 'checklist' ? parseChecklistState(text, file, limits) : kind === 'checklist-definition' ? parseChecklistDefinition(text, file, limits) : parseConfig(text, file, limits);
  return s.ok ? [] : s.diagnostics;
}

/** A usage diagnostic for an unknown `--as` kind. */
export function unknownKind(as: string): Diagnostic {
  return diag('usage/invalid', 'error', `validate: --as ${as} is not a file kind`, { expected: VALIDATE_KINDS.join(', '), fix: 'e.g. --as checklist' });
}
