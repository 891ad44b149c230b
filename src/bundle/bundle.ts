/**
 * The bundle of a build or diff: its documents plus `manifest.json` (the sha256 of every output
 * and input) and, with a key, the detached signature `manifest.json.sig` and the in-toto
 * attestation `manifest.intoto.jsonl`. Pure: everything arrives as data.
 */
import type { Diagnostic } from '../model/diagnostics.ts';
import type { ManifestInput } from '../model/manifest.ts';
import type { StatusReason } from '../model/reasons.ts';
import type { OverallStatus } from '../model/report.ts';
import type { GateResult } from '../policy/gates.ts';
import { ATTESTATION_FILE, buildStatement, signStatement } from './attest.ts';
import { buildManifest, serializeManifest, type ManifestInput as ManifestFacts } from './manifest.ts';
import { loadSigningKey, SIGNATURE_FILE, signManifest } from './sign.ts';
import type { OutputFile } from './write.ts';

/** What {@link assembleBundle} needs. */
export interface BundleInput {
  kind: 'report' | 'diff' | 'history';
  metadata: ManifestFacts['metadata'] & { documentId: string };
  provenance: Pick<ManifestFacts, 'mappingData' | 'tools'>;
  inputs: ManifestInput[];
  /** The rendered documents (manifest.json excluded). */
  outputs: readonly OutputFile[];
  /** `browser.version()` when a PDF was printed. */
  chromium?: string;
  /** The overall status (a diff: its current side's) and the gate verdicts, for the attestation. */
  verdict: { status: { overall: OverallStatus; reasons: StatusReason[] }; gates: readonly GateResult[] };
  /** An ed25519 private key (PEM), already checked; signs `manifest.json` and the attestation when given. */
  signingKey?: string;
}

/** Outputs + `manifest.json` (+ `manifest.json.sig` + `manifest.intoto.jsonl`), in the order they are written. */
export function assembleBundle(input: BundleInput): { files: OutputFile[]; diagnostics: Diagnostic[] } {
  const manifest = buildManifest({
    kind: input.kind,
    metadata: input.metadata,
    ...(input.chromium !== undefined ? { chromium: input.chromium } : {}),
    ...input.provenance,
    inputs: input.inputs,
    outputs: input.outputs,
  });
  const files: OutputFile[] = [...input.outputs, { name: 'manifest.json', bytes: serializeManifest(manifest) }];
  if (input.signingKey === undefined) return { files, diagnostics: [] };
  const key = loadSigningKey(input.signingKey);
  const signed = signManifest(files[files.length - 1]!.bytes, input.signingKey);
  if (!key.key || !signed.signature) return { files: [], diagnostics: [...key.diagnostics, ...signed.diagnostics] };
  files.push({ name: SIGNATURE_FILE, bytes: Buffer.from(signed.signature, 'utf8') });
  // The attestation covers every other file, the manifest and its signature included, and repeats
  // the manifest's facts so a verifier that reads only in-toto needs nothing else.
  const statement = buildStatement(files, {
    kind: input.kind,
    documentId: input.metadata.documentId,
    created: manifest.created,
    generator: { name: 'auditmark', version: manifest.auditmarkVersion },
    template: { ...manifest.template, ref: `${manifest.template.id}@${manifest.template.version}` },
    inputs: manifest.inputs,
    mappingData: manifest.mappingData,
    tools: manifest.tools,
    ...(manifest.chromium !== undefined ? { chromium: manifest.chromium } : {}),
    status: { overall: input.verdict.status.overall, reasons: [...input.verdict.status.reasons] },
    gates: input.verdict.gates.map((g) => ({ gate: g.gate, failed: g.failed, reason: g.reason })),
  });
  files.push({ name: ATTESTATION_FILE, bytes: signStatement(statement, key.key) });
  return { files, diagnostics: [] };
}
