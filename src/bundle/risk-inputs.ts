/**
 * Reading the risk inputs of a build or diff from disk: `--vex` files, the `--kev` and `--epss`
 * snapshots, `--osv` exports (a zip, or a folder of OSV JSON records), and `--history` reports.
 * Config paths (`vex`, `kev`, `epss`, `osv`) were resolved against the config file's folder by
 * `loadConfig`; flags add VEX documents and OSV exports, and replace the KEV and EPSS snapshots.
 * Every read goes through the guarded reader; problems come back as diagnostics. Never fetches.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { RawRiskInputs, RawOsvExport } from '../ingest/risk/risk-inputs.ts';
import { folderSha256, type OsvEntry } from '../ingest/risk/osv-advisories.ts';
import { diag, type Diagnostic } from '../model/diagnostics.ts';
import type { Limits } from '../model/limits.ts';
import { limitHint } from '../model/limits.ts';
import { createHash } from 'node:crypto';
import { displayPath, readScans } from './inputs.ts';
import { readInputFile } from './read-input.ts';

/** Risk input paths as given (flags, then config). */
export interface RiskPaths {
  vex?: readonly string[];
  kev?: string;
  epss?: string;
  osv?: readonly string[];
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Every `.json` file under an OSV export folder, sorted, read through the guarded reader, at most `maxInputBytes` in all. */
function readOsvFolder(dir: string, limits: Limits): { entries?: OsvEntry[]; diagnostics: Diagnostic[] } {
  const names = (readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[]).filter((n) => n.toLowerCase().endsWith('.json')).sort();
  const entries: OsvEntry[] = [];
  let total = 0;
  for (const n of names) {
    const path = join(dir, n);
    if (!statSync(path).isFile()) continue;
    const r = readInputFile(path, limits.maxInputBytes);
    if (!r.ok) return { diagnostics: [r.diagnostic] };
    total += r.bytes.byteLength;
    if (total > limits.maxInputBytes) {
      return { diagnostics: [diag('limit/input-size', 'error', `the OSV folder holds more than maxInputBytes=${limits.maxInputBytes} bytes of records`, { file: displayPath(dir), expected: `at most ${limits.maxInputBytes} bytes`, fix: limitHint('maxInputBytes') })] };
    }
    entries.push({ name: relative(dir, path).split(sep).join('/'), bytes: r.bytes });
  }
  if (entries.length === 0) return { diagnostics: [diag('osv/invalid', 'error', 'the OSV folder holds no .json record', { file: displayPath(dir), expected: 'OSV JSON records (*.json)', fix: 'pass the folder an OSV export was unpacked into, or the zip itself' })] };
  return { entries, diagnostics: [] };
}

/** Read the risk input files named by `paths`. */
export function readRiskInputs(paths: RiskPaths, limits: Limits): { raw: RawRiskInputs; bytes: Map<string, number>; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const bytes = new Map<string, number>();
  const raw: RawRiskInputs = {};
  const one = (file: string | undefined) => {
    if (!file) return undefined;
    const r = readScans([file], limits);
    diagnostics.push(...r.diagnostics);
    const got = r.scans[0];
    if (got) bytes.set(got.file, got.bytes.byteLength);
    return got;
  };
  const vex = [...new Set(paths.vex ?? [])].map(one).filter((v) => v !== undefined);
  if (vex.length) raw.vex = vex;
  const kev = one(paths.kev);
  if (kev) raw.kev = kev;
  const epss = one(paths.epss);
  if (epss) raw.epss = epss;
  const osv: RawOsvExport[] = [];
  for (const p of [...new Set(paths.osv ?? [])]) {
    const file = displayPath(p);
    if (isDirectory(p)) {
      const r = readOsvFolder(p, limits);
      diagnostics.push(...r.diagnostics);
      if (r.entries) {
        osv.push({ file, entries: r.entries, sha256: folderSha256(r.entries) });
        bytes.set(file, r.entries.reduce((n, e) => n + e.bytes.byteLength, 0));
      }
    } else {
      const r = readInputFile(p, limits.maxInputBytes);
      if (!r.ok) diagnostics.push(r.diagnostic);
      else {
        osv.push({ file, zip: r.bytes, sha256: createHash('sha256').update(r.bytes).digest('hex') });
        bytes.set(file, r.bytes.byteLength);
      }
    }
  }
  if (osv.length) raw.osv = osv;
  return { raw, bytes, diagnostics };
}
