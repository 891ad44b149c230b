/**
 * TruffleHog v3 `--json`: one JSON object per line, one line per secret found. Secrets are masked
 * exactly as the gitleaks reader masks them (`maskSecret`); `Raw`, `RawV2`, `Redacted`,
 * `ExtraData` and the commit author's e-mail are never copied into a finding.
 */
import type { Coverage, SourceLocation } from '../model/types.ts';
import { diag } from '../model/diagnostics.ts';
import { FieldCheck, maskSecret, pathLocation } from './field-check.ts';
import { isObject, recordPointer, uniqSorted, type DraftFinding, type DraftRun, type Reader, type ReaderInput, type ReaderResult } from './reader.ts';

type Obj = Record<string, unknown>;

const COVERAGE: Coverage = { secrets: true, cwe: ['CWE-798'], source: 'TruffleHog detects hard-coded credentials (CWE-798: Use of Hard-coded Credentials)' };

/** A finding line: where (`SourceMetadata`) and which detector. */
const isSecret = (r: unknown): r is Obj => isObject(r) && isObject(r.SourceMetadata) && ('DetectorName' in r || 'DetectorType' in r);

/**
 * TruffleHog's own log lines (`{"level":"info-0","logger":"trufflehog","msg":…}`), found in the
 * output when stderr was captured with stdout: not findings, but the last one names the version.
 */
const isLog = (r: unknown): r is Obj => isObject(r) && typeof r.msg === 'string' && 'level' in r && !('SourceMetadata' in r);

function detect(v: unknown): number {
  const records = Array.isArray(v) ? v.slice(0, 64) : [v];
  if (records.some(isSecret)) return 1;
  // Only log lines: TruffleHog ran and found nothing (stdout and stderr captured together).
  return records.length > 0 && records.every((r) => isLog(r) && r.logger === 'trufflehog') ? 0.9 : 0;
}

function read(input: ReaderInput): ReaderResult {
  const f = new FieldCheck();
  const records = Array.isArray(input.value) ? input.value : [input.value];
  const run: DraftRun = { tool: { name: 'trufflehog' }, format: 'trufflehog', notScanned: [], coverage: COVERAGE, findings: [] };
  let logs = 0;
  records.forEach((raw, i) => {
    const p = recordPointer(input, i);
    if (isLog(raw)) {
      logs++;
      const version = typeof raw.trufflehog_version === 'string' ? raw.trufflehog_version : undefined;
      if (version) run.tool.version = version;
      return;
    }
    const r = f.item(raw, p, 'a TruffleHog finding object');
    if (!r) return;
    const finding = readSecret(r, p, f);
    if (finding) run.findings.push(finding);
  });
  if (logs > 0) {
    f.push(diag('input/noise-stripped', 'warning', `${logs} TruffleHog log record(s) were ignored: stderr was captured with the JSON findings`, {
      fix: 'redirect only stdout to the file (`trufflehog … --json > findings.json`)',
    }));
  }
  return { runs: [run], diagnostics: f.diagnostics };
}

/** Keys of `SourceMetadata.Data.<Source>` that name the file, in order of preference. */
const FILE_KEYS = ['file', 'path', 'filename', 'key', 'object'] as const;

function readSecret(r: Obj, p: string, f: FieldCheck): DraftFinding | undefined {
  const detector = f.id(r.DetectorName, p, 'DetectorName') ?? (typeof r.DetectorType === 'number' ? `detector-${r.DetectorType}` : undefined);
  if (detector === undefined) {
    f.bad(`${p}/DetectorName`, 'the name of the detector that found the secret', r.DetectorName, true);
    return undefined;
  }
  const meta = isObject(r.SourceMetadata) ? r.SourceMetadata : {};
  const data = isObject(meta.Data) ? meta.Data : {};
  // One key names the source kind (Git, Github, Filesystem, Docker, S3, …); its object says where.
  const sourceKind = Object.keys(data)[0];
  const where: Obj = sourceKind !== undefined && isObject(data[sourceKind]) ? (data[sourceKind] as Obj) : {};
  const wp = sourceKind !== undefined ? `${p}/SourceMetadata/Data/${sourceKind}` : `${p}/SourceMetadata`;
  let location: SourceLocation | undefined;
  for (const key of FILE_KEYS) {
    const file = typeof where[key] === 'string' ? (where[key] as string) : undefined;
    if (file && file.trim() !== '') {
      location = pathLocation(file);
      break;
    }
  }
  const line = f.int(where.line, wp, 1, 'line');
  if (location && line !== undefined) location.startLine = line;
  const secret = typeof r.Raw === 'string' ? r.Raw : undefined;
  const verified = r.Verified === true;
  const verificationError = typeof r.VerificationError === 'string' && r.VerificationError.trim() !== '';
  const commit = typeof where.commit === 'string' && /^[0-9a-f]{7,}$/i.test(where.commit) ? where.commit : undefined;
  const title = `${detector} secret`;
  const state = verified ? 'verified: TruffleHog confirmed it works' : verificationError ? 'not verified (the verification attempt failed)' : 'not verified';
  const place = location ? `${location.path}${commit ? ` (commit ${commit.slice(0, 12)})` : ''}` : `a ${sourceKind ?? 'scanned'} source`;
  const encoded = typeof r.DecoderName === 'string' && r.DecoderName !== '' && r.DecoderName !== 'PLAIN' ? `, found ${r.DecoderName.toLowerCase()}-encoded` : '';
  const finding: DraftFinding = {
    tool: 'trufflehog', kind: 'secret', ruleId: detector, title,
    message: `${title}: hard-coded credential (${secret ? maskSecret(secret) : 'value not reported'}) in ${place}; ${state}${encoded}. Revoke and rotate it: deleting it from the code does not delete it from the history.`,
    // TruffleHog has no severity. A credential it verified against the service is live: critical.
    // An unverified one may still be live (verification can fail or be off): high, as gitleaks leaks.
    severity: verified ? 'critical' : 'high',
    rawSeverity: verified ? 'verified' : 'unverified',
    cwe: ['CWE-798'],
    aliases: [],
    references: uniqSorted([
      isObject(r.ExtraData) && typeof r.ExtraData.rotation_guide === 'string' && /^https:\/\//i.test(r.ExtraData.rotation_guide) ? r.ExtraData.rotation_guide : undefined,
      typeof where.link === 'string' && /^https:\/\//i.test(where.link) ? where.link : undefined,
    ]),
    pointer: p,
  };
  if (location) finding.location = location;
  return finding;
}

/** TruffleHog v3 JSON lines (`trufflehog … --json`). */
export const fromTrufflehog: Reader = {
  id: 'trufflehog',
  description: 'TruffleHog v3 JSON lines (trufflehog git|github|filesystem|… --json); secrets masked, Raw/RawV2 and e-mails never kept',
  detect,
  jsonLines: true,
  coverage: COVERAGE,
  read,
};
