/**
 * The bundle of a build or diff: its documents plus `manifest.json` (the sha256 of every output
 * and input) and, with a key, the detached signature. Pure: everything arrives as data.
 */
import type { Diagnostic } from '../model/diagnostics.ts';
import type { ManifestInput } from '../model/manifest.ts';
import { buildManifest, serializeManifest, type ManifestInput as ManifestFacts } from './manifest.ts';
import { SIGNATURE_FILE, signManifest } from './sign.ts';
import type { OutputFile } from './write.ts';

/** What {@link assembleBundle} needs. */
export interface BundleInput {
  kind: 'report' | 'diff' | 'history';
  metadata: ManifestFacts['metadata'];
  provenance: Pick<ManifestFacts, 'mappingData' | 'tools'>;
  inputs: ManifestInput[];
  /** The rendered documents (manifest.json excluded). */
  outputs: readonly OutputFile[];
  /** `browser.version()` when a PDF was printed. */
  chromium?: string;
  /** An ed25519 private key (PEM), already checked; signs `manifest.json` when given. */
  signingKey?: string;
}

/** Outputs + `manifest.json` (+ `manifest.json.sig`), in the order they are written. */
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
  const signed = signManifest(files[files.length - 1]!.bytes, input.signingKey);
  if (!signed.signature) return { files: [], diagnostics: signed.diagnostics };
  files.push({ name: SIGNATURE_FILE, bytes: Buffer.from(signed.signature, 'utf8') });
  return { files, diagnostics: signed.diagnostics };
}
