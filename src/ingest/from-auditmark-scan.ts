import { diag } from '../model/diagnostics.ts';
import { validateSchema } from '../model/schema-validate.ts';
import { SCAN_SCHEMA_VERSION, type ScanRun } from '../model/types.ts';
import { isObject, type DraftRun, type Reader, type ReaderInput, type ReaderResult } from './reader.ts';

const [SUPPORTED_MAJOR, SUPPORTED_MINOR] = SCAN_SCHEMA_VERSION.split('.').map(Number) as [number, number];

/** Placeholders that satisfy the schema for fields auditmark fills in itself; never kept. */
const PLACEHOLDER_FINGERPRINT = 'v0:0';
const PLACEHOLDER_SOURCE = { path: '', sha256: '0'.repeat(64) };

function detect(v: unknown): number {
  if (!isObject(v) || !Array.isArray(v.runs)) return 0;
  if ('schemaVersion' in v) return 1;
  // Without schemaVersion a SARIF log also has `runs`; only claim it when the runs look like ours,
  // so the user is told the version is missing instead of "unknown format".
  const first = v.runs[0];
  if ('version' in v || !isObject(first) || isObject(first.tool) && 'driver' in first.tool) return 0;
  return 'findings' in first && 'format' in first ? 0.8 : 0;
}

/**
 * Check `schemaVersion` before anything else: a newer major version means fields this release
 * does not know, and guessing would produce a wrong report. A newer minor version only adds
 * optional fields, which the schema then reports one by one.
 */
function checkVersion(v: unknown): { ok: boolean; diagnostics: ReaderResult['diagnostics'] } {
  const expected = `"${SCAN_SCHEMA_VERSION}"`;
  if (v === undefined) {
    return { ok: false, diagnostics: [diag('ingest/schema-version', 'error', 'the scan document has no schemaVersion', {
      pointer: '/schemaVersion', expected, fix: `add "schemaVersion": ${expected} (see schemas/scan.schema.json)`,
    })] };
  }
  const m = typeof v === 'string' ? /^(\d+)\.(\d+)$/.exec(v) : null;
  if (!m) {
    return { ok: false, diagnostics: [diag('ingest/schema-version', 'error', `schemaVersion ${JSON.stringify(v)} is not a "<major>.<minor>" string`, {
      pointer: '/schemaVersion', expected, fix: `set "schemaVersion": ${expected}`,
    })] };
  }
  const major = Number(m[1]), minor = Number(m[2]);
  if (major > SUPPORTED_MAJOR) {
    return { ok: false, diagnostics: [diag('ingest/schema-version', 'error', `schemaVersion "${String(v)}" is newer than this auditmark supports (${SCAN_SCHEMA_VERSION})`, {
      pointer: '/schemaVersion', expected: `major version ${SUPPORTED_MAJOR}`, fix: 'upgrade auditmark, or regenerate the document with this version (`auditmark normalize`)',
    })] };
  }
  if (major < SUPPORTED_MAJOR) {
    return { ok: false, diagnostics: [diag('ingest/schema-version', 'error', `schemaVersion "${String(v)}" is older than the supported ${SCAN_SCHEMA_VERSION}`, {
      pointer: '/schemaVersion', expected, fix: 'regenerate the document from the raw scanner files with `auditmark normalize`',
    })] };
  }
  if (minor > SUPPORTED_MINOR) {
    return { ok: true, diagnostics: [diag('ingest/schema-version', 'warning', `schemaVersion "${String(v)}" is a newer minor version than ${SCAN_SCHEMA_VERSION}; read as ${SCAN_SCHEMA_VERSION}`, {
      pointer: '/schemaVersion', expected, fix: 'upgrade auditmark to read the newer fields',
    })] };
  }
  return { ok: true, diagnostics: [] };
}

/**
 * A finding as the schema wants it: the placeholder fingerprint when none is written, and a 1.0
 * document's single `suppressed` object read as `suppressions: [that object]` (1.1 replaced it
 * by the list, which can hold the review state of each). A malformed `suppressed` is left for
 * the schema to report at its own pointer.
 */
function upgradeFinding(x: unknown): unknown {
  if (!isObject(x)) return x;
  let out = x.fingerprint === undefined ? { ...x, fingerprint: PLACEHOLDER_FINGERPRINT } : x;
  if (isObject(out.suppressed) && typeof out.suppressed.kind === 'string' && out.suppressions === undefined) {
    const { suppressed, ...rest } = out;
    out = { ...rest, suppressions: [suppressed] };
  }
  return out;
}

function read({ value, file }: ReaderInput): ReaderResult {
  if (!isObject(value)) {
    return { runs: [], diagnostics: [diag('ingest/bad-field', 'error', 'a scan document must be an object', { pointer: '', expected: 'an object {schemaVersion, runs}' })] };
  }
  const version = checkVersion(value.schemaVersion);
  if (!version.ok) return { runs: [], diagnostics: version.diagnostics };
  // `source` and `fingerprint` are required in what auditmark writes but are recomputed on read,
  // so a hand-written file may omit them: fill placeholders (new keys only, so every pointer in
  // a schema error still points into the user's file), validate, then drop them again.
  const runs: unknown = Array.isArray(value.runs)
    ? value.runs.map((r) => isObject(r)
      ? {
        ...r,
        ...(r.source === undefined ? { source: PLACEHOLDER_SOURCE } : {}),
        ...(Array.isArray(r.findings) ? { findings: r.findings.map(upgradeFinding) } : {}),
      }
      : r)
    : value.runs;
  const doc = { ...value, schemaVersion: SCAN_SCHEMA_VERSION, runs };
  const errors = validateSchema('scan', doc, file);
  if (errors.length > 0) return { runs: [], diagnostics: [...version.diagnostics, ...errors] };
  const valid = (doc.runs as ScanRun[]).map((r, i): DraftRun => {
    const original = (value.runs as Array<Record<string, unknown>>)[i];
    const { source, findings, ...rest } = r;
    const out: DraftRun = {
      ...rest,
      // Fingerprints are always recomputed by ingest: a stale or hand-made value must not decide
      // what diff calls new or fixed, and the algorithm version is auditmark's, not the file's.
      findings: findings.map(({ fingerprint: _ignored, ...f }) => f),
    };
    // A run that came from `auditmark normalize` keeps the raw scanner file as its evidence.
    if (original?.source !== undefined) out.source = source;
    return out;
  });
  return { runs: valid, diagnostics: version.diagnostics };
}

/** The normalised scan JSON (`schemas/scan.schema.json`), as written by `auditmark normalize` or by hand. */
export const fromAuditmarkScan: Reader = {
  id: 'auditmark',
  description: 'auditmark normalised scan JSON (`auditmark normalize` output, schemas/scan.schema.json)',
  detect,
  read,
};
