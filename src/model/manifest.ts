/** Version of `manifest.json` (`schemas/manifest.schema.json`). */
export const MANIFEST_SCHEMA_VERSION = '1.0' as const;

/** One file of a bundle with its hash. Paths are relative to the bundle directory (outputs) or as given (inputs). */
export interface ManifestFile {
  path: string;
  sha256: string;
  bytes: number;
}

/** An input of a bundle. */
export interface ManifestInput extends ManifestFile {
  kind: string;
  documentId?: string;
}

/**
 * `manifest.json`: what a build or diff wrote and from what. `auditmark verify <dir>` recomputes
 * every output hash; `--sign` writes `manifest.json.sig` (ed25519, detached, over the exact bytes).
 */
export interface Manifest {
  schemaVersion: typeof MANIFEST_SCHEMA_VERSION;
  kind: 'report' | 'diff' | 'history';
  auditmarkVersion: string;
  created: string;
  template: { id: string; version: string };
  /** Chromium version used for the PDF, when one was printed. */
  chromium?: string;
  /** Mapping data editions used (OWASP 2021/2025, with source). */
  mappingData: Array<{ name: string; edition: string; source: string }>;
  /** Scanner tools and versions seen in the inputs. */
  tools: Array<{ name: string; version?: string }>;
  /** Inputs; a diff lists both sides (`baseline-report`, `current-scan`, …), a report.json side with its document id. */
  inputs: ManifestInput[];
  outputs: ManifestFile[];
}
