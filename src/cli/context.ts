import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve, sep } from 'node:path';
import type { LoadedTemplate } from '../compose/template-registry.ts';
import { parseConfig } from '../enrich/config.ts';
import type { RawInput } from '../ingest/ingest.ts';
import type { ConfigOptions } from '../model/config.ts';
import { diag, type Diagnostic } from '../model/diagnostics.ts';
import { DEFAULT_LIMITS, type Limits } from '../model/limits.ts';
import { parseLimitFlags } from './args.ts';
import { readInputFile } from './read-input.ts';
import { SHIPPED_TEMPLATES_DIR, loadTemplates } from './templates-fs.ts';

/** Config files looked for in the working directory when `--config` is not given. */
export const DEFAULT_CONFIG_NAMES = ['auditmark.config.yaml', 'auditmark.config.yml', 'auditmark.config.json'];

/** The configuration file as the build needs it: parsed options and the hash of its bytes. */
export interface LoadedConfig {
  file: string;
  sha256: string;
  /** Size in bytes, for the manifest. */
  bytes: number;
  options: ConfigOptions;
}

/**
 * Find and parse the config file. Relative `templatesDir` in it is resolved against the
 * config file's folder, so a config works from any working directory.
 */
export function loadConfig(explicit: string | undefined, cwd = process.cwd()): { config?: LoadedConfig; diagnostics: Diagnostic[] } {
  const file = explicit ?? DEFAULT_CONFIG_NAMES.map((n) => resolve(cwd, n)).find((p) => existsSync(p));
  if (!file) return { diagnostics: [] };
  const r = readInputFile(file, DEFAULT_LIMITS.maxInputBytes);
  if (!r.ok) return { diagnostics: [r.diagnostic] };
  const text = Buffer.from(r.bytes).toString('utf8');
  const parsed = parseConfig(text, file);
  if (!parsed.ok) return { diagnostics: parsed.diagnostics };
  const options = { ...parsed.options };
  if (options.templatesDir && !isAbsolute(options.templatesDir)) options.templatesDir = resolve(dirname(file), options.templatesDir);
  return { config: { file: displayPath(file), sha256: createHash('sha256').update(r.bytes).digest('hex'), bytes: r.bytes.byteLength, options }, diagnostics: [] };
}

/**
 * Config `checklist:` is either a selector (`deployment-security@^1`) or a path to a definition
 * file (it contains a `/` or ends in .yaml/.yml/.json), resolved against the config's folder.
 */
export function checklistDefinitionPath(config: LoadedConfig | undefined): string | undefined {
  const value = config?.options.checklist;
  if (!value || !(/[\\/]/.test(value) || /\.(ya?ml|json)$/i.test(value))) return undefined;
  return isAbsolute(value) ? value : resolve(dirname(config.file), value);
}

/** Limits: defaults < config `limits:` < `--limit` flags. */
export function resolveLimits(config: LoadedConfig | undefined, flags: readonly string[] | undefined): { limits: Limits; diagnostics: Diagnostic[] } {
  const f = parseLimitFlags(flags);
  return { limits: { ...DEFAULT_LIMITS, ...config?.options.limits, ...f.limits }, diagnostics: f.diagnostics };
}

/**
 * The path recorded in documents: relative to the working directory when the file is under it,
 * so builds from two checkouts give the same bytes and no home directory leaks into a report.
 */
export function displayPath(file: string, cwd = process.cwd()): string {
  if (!isAbsolute(file)) return file.split(sep).join('/');
  const full = resolve(file);
  return full.startsWith(cwd + sep) ? full.slice(cwd.length + 1).split(sep).join('/') : file;
}

/** Read scan files (stat before read); one unreadable file is reported while the others are read. */
export function readScans(files: readonly string[], limits: Limits): { scans: RawInput[]; diagnostics: Diagnostic[] } {
  const scans: RawInput[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const file of files) {
    const r = readInputFile(file, limits.maxInputBytes);
    if (r.ok) scans.push({ file: displayPath(file), bytes: r.bytes });
    else diagnostics.push(r.diagnostic);
  }
  return { scans, diagnostics };
}

/** Shipped templates plus the project-local directory (flag wins over config). */
export function loadAllTemplates(dir: string | undefined): { templates: LoadedTemplate[]; diagnostics: Diagnostic[] } {
  return loadTemplates([SHIPPED_TEMPLATES_DIR, ...(dir ? [dir] : [])]);
}

/** Read a small text input (checklist state); `undefined` path gives nothing. */
export function readText(file: string | undefined, limits: Limits): { input?: { file: string; text: string }; diagnostics: Diagnostic[] } {
  if (!file) return { diagnostics: [] };
  const r = readInputFile(file, limits.maxInputBytes);
  if (!r.ok) return { diagnostics: [r.diagnostic] };
  return { input: { file: displayPath(file), text: Buffer.from(r.bytes).toString('utf8') }, diagnostics: [] };
}

/**
 * The injected evidence hasher: sha256 of an attestation's evidence file, resolved against the
 * checklist state's folder; `null` when it is missing. Evidence files are only hashed, never
 * copied into outputs.
 */
export function evidenceHasher(stateFile: string | undefined): (path: string) => string | null {
  const base = stateFile ? dirname(resolve(stateFile)) : process.cwd();
  return (path) => {
    // Checklist text is untrusted: evidence must live under the state file's folder, so a
    // state file cannot make auditmark read (even just hash) /etc/shadow or ../../secrets.
    const full = resolve(base, path);
    if (isAbsolute(path) || !(full === base || full.startsWith(base + sep))) return null;
    try {
      return createHash('sha256').update(readFileSync(full)).digest('hex');
    } catch {
      return null;
    }
  };
}

/** A usage error for a missing required option. */
export function missing(command: string, what: string, example: string): Diagnostic {
  return diag('usage/missing-input', 'error', `${command}: ${what}`, { fix: example });
}
