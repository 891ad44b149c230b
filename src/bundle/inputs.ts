/**
 * Reading what a build or diff needs from disk: the config file, scan files, checklist state,
 * the signing key, evidence files and templates. Every read goes through the guarded reader
 * (regular file, size checked before reading); problems come back as diagnostics.
 */
import { createHash } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, resolve, sep } from 'node:path';
import type { LoadedTemplate } from '../compose/template-registry.ts';
import type { RawInput } from '../ingest/ingest.ts';
import type { EvidenceHash } from '../model/checklist.ts';
import type { EvidenceFileProblem } from '../model/reasons.ts';
import type { ConfigOptions } from '../model/config.ts';
import { diag, type Diagnostic } from '../model/diagnostics.ts';
import { DEFAULT_LIMITS, type Limits } from '../model/limits.ts';
import { parseConfig } from '../settings/config.ts';
import { resolveConfined, type ConfinedProblem } from './confined-path.ts';
import { hashInputFile, readInputFile } from './read-input.ts';
import { SHIPPED_TEMPLATES_DIR, loadTemplates } from './templates-fs.ts';

/** Config files looked for in the working directory when no config is named. */
export const DEFAULT_CONFIG_NAMES = ['auditmark.config.yaml', 'auditmark.config.yml', 'auditmark.config.json'];

/** The configuration file as the build needs it: parsed options and the hash of its bytes. */
export interface LoadedConfig {
  file: string;
  sha256: string;
  /** Size in bytes, for the manifest. */
  bytes: number;
  options: ConfigOptions;
}

/** A small text input (checklist state, definition) with its path as recorded. */
export interface TextInput {
  file: string;
  text: string;
}

const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

/**
 * The path recorded in documents: relative to the working directory when the file is under it,
 * so builds from two checkouts give the same bytes and no home directory leaks into a report.
 */
export function displayPath(file: string, cwd = process.cwd()): string {
  if (!isAbsolute(file)) return file.split(sep).join('/');
  const full = resolve(file);
  return full.startsWith(cwd + sep) ? full.slice(cwd.length + 1).split(sep).join('/') : file;
}

/**
 * Find and parse the config file. Relative `templatesDir` in it is resolved against the config
 * file's folder, so a config works from any working directory. The config is always read with
 * the default limits, since it is what sets them.
 */
export function loadConfig(explicit: string | undefined, cwd = process.cwd()): { config?: LoadedConfig; diagnostics: Diagnostic[] } {
  const file = explicit ?? DEFAULT_CONFIG_NAMES.map((n) => resolve(cwd, n)).find((p) => existsSync(p));
  if (!file) return { diagnostics: [] };
  const r = readInputFile(file, DEFAULT_LIMITS.maxInputBytes);
  if (!r.ok) return { diagnostics: [r.diagnostic] };
  const parsed = parseConfig(Buffer.from(r.bytes).toString('utf8'), file);
  if (!parsed.ok) return { diagnostics: parsed.diagnostics };
  const options = { ...parsed.options };
  const near = (p: string) => (isAbsolute(p) ? p : resolve(dirname(file), p));
  if (options.templatesDir && !isAbsolute(options.templatesDir)) options.templatesDir = resolve(dirname(file), options.templatesDir);
  if (options.source && !isAbsolute(options.source)) options.source = resolve(dirname(file), options.source);
  // Snapshot and VEX paths, like templatesDir, mean "next to the config file" from any working directory.
  if (options.vex) options.vex = options.vex.map(near);
  if (options.osv) options.osv = options.osv.map(near);
  if (options.kev) options.kev = near(options.kev);
  if (options.epss) options.epss = near(options.epss);
  return { config: { file: displayPath(file), sha256: sha256(r.bytes), bytes: r.bytes.byteLength, options }, diagnostics: [] };
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

/** Read a small text input (checklist state or definition); no path gives nothing. */
export function readText(file: string | undefined, limits: Limits): { input?: TextInput; diagnostics: Diagnostic[] } {
  if (!file) return { diagnostics: [] };
  const r = readInputFile(file, limits.maxInputBytes);
  if (!r.ok) return { diagnostics: [r.diagnostic] };
  return { input: { file: displayPath(file), text: Buffer.from(r.bytes).toString('utf8') }, diagnostics: [] };
}

/** Shipped templates plus a project-local directory. */
export function loadAllTemplates(dir: string | undefined): { templates: LoadedTemplate[]; diagnostics: Diagnostic[] } {
  return loadTemplates([SHIPPED_TEMPLATES_DIR, ...(dir ? [dir] : [])]);
}

/** Read a PEM key file (signing or verification key). */
export function readKey(path: string): { pem?: string; diagnostics: Diagnostic[] } {
  const r = readInputFile(path, 64 * 1024);
  if (r.ok) return { pem: Buffer.from(r.bytes).toString('utf8'), diagnostics: [] };
  return {
    diagnostics: [diag('usage/key-unreadable', 'error', `cannot read the key file: ${r.diagnostic.message}`, {
      file: path, fix: 'check the path and permissions; create a key with `openssl genpkey -algorithm ed25519 -out key.pem`',
    })],
  };
}

/** Why the confined resolver refused a path, as an evidence problem (each its own code, so the document says which). */
const CONFINED_PROBLEM: Record<ConfinedProblem, EvidenceFileProblem> = { outside: 'outside', nul: 'nul-in-path', missing: 'missing', loop: 'symlink-loop' };

/**
 * The injected evidence hasher: what an attestation's evidence file is now, as data (see
 * {@link EvidenceHash}): its sha256, or why it cannot be used (`missing`, `outside`,
 * `not-a-file`, `too-large`, `unreadable`, `symlink-loop`, `nul-in-path`), which the document words next to the evidence.
 * Checklist text is untrusted, so the path is resolved inside the checklist state's folder as the
 * kernel would resolve it, but without ever looking outside: a symlink (or a symlinked directory,
 * or `..` after one) leading out is refused by its link text alone, so nothing outside is read,
 * hashed, or even stat'ed (no content oracle, no existence oracle). The file must be a regular
 * file (never `/dev/zero` or a FIFO) within `maxInputBytes`; it is hashed in chunks by the
 * guarded reader, and each distinct file once per build however many spellings of it the state
 * uses.
 */
export function evidenceHasher(stateFile: string | undefined, limits: Limits): (path: string) => EvidenceHash {
  const base = stateFile ? dirname(resolve(stateFile)) : process.cwd();
  let realBase: string | undefined;
  const byFile = new Map<string, EvidenceHash>();
  return (path) => {
    try {
      realBase ??= realpathSync(base);
    } catch (err) {
      return { problem: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable' };
    }
    const r = resolveConfined(realBase, path, [base]);
    if (!r.ok) return { problem: CONFINED_PROBLEM[r.problem] };
    const known = byFile.get(r.path);
    if (known !== undefined) return known;
    const h = hashInputFile(r.path, limits.maxInputBytes, { noFollow: true });
    const code = h.ok ? undefined : h.diagnostic.code;
    const result: EvidenceHash = h.ok ? { sha256: h.sha256 }
      : { problem: code === 'input/not-a-file' ? 'not-a-file' : code === 'limit/input-size' ? 'too-large' : 'unreadable' };
    byFile.set(r.path, result);
    return result;
  };
}
