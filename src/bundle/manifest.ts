import { createHash } from 'node:crypto';
import { MANIFEST_SCHEMA_VERSION, type Manifest, type ManifestInput as ManifestInputFile } from '../model/manifest.ts';
import type { Report, ReportMetadata } from '../model/report.ts';
import type { OutputFile } from './write.ts';

/** What {@link buildManifest} needs: facts gathered by the build, nothing read here. */
export interface ManifestInput {
  kind: Manifest['kind'];
  metadata: Pick<ReportMetadata, 'auditmarkVersion' | 'created' | 'template'>;
  /** `browser.version()` when a PDF was printed. */
  chromium?: string;
  mappingData: Manifest['mappingData'];
  tools: Manifest['tools'];
  /** Inputs with their hash and size, as read by the build. */
  inputs: ManifestInputFile[];
  /** The output files (manifest.json itself excluded), hashed here from the exact bytes written. */
  outputs: readonly OutputFile[];
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const byPath = <T extends { path: string }>(a: T, b: T): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/**
 * Build `manifest.json` content: every output with its sha256 and size, every input, template,
 * Chromium version, mapping data and tools. Lists are sorted so the manifest is deterministic.
 */
export function buildManifest(input: ManifestInput): Manifest {
  const manifest: Manifest = {
    schemaVersion: MANIFEST_SCHEMA_VERSION,
    kind: input.kind,
    auditmarkVersion: input.metadata.auditmarkVersion,
    created: input.metadata.created,
    template: { id: input.metadata.template.id, version: input.metadata.template.version },
    mappingData: [...input.mappingData]
      .map((m) => ({ name: m.name, edition: m.edition, source: m.source }))
      .sort((a, b) => `${a.name}\u0000${a.edition}`.localeCompare(`${b.name}\u0000${b.edition}`, 'en')),
    tools: [...input.tools]
      .map((t) => (t.version === undefined ? { name: t.name } : { name: t.name, version: t.version }))
      .sort((a, b) => `${a.name}\u0000${a.version ?? ''}`.localeCompare(`${b.name}\u0000${b.version ?? ''}`, 'en')),
    inputs: input.inputs.map((i) => ({ path: i.path, sha256: i.sha256, bytes: i.bytes, kind: i.kind, ...(i.documentId ? { documentId: i.documentId } : {}) })).sort((a, b) => byPath(a, b) || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0)),
    outputs: input.outputs.map((o) => ({ path: o.name, sha256: sha256(o.bytes), bytes: o.bytes.byteLength })).sort(byPath),
  };
  if (input.chromium !== undefined) manifest.chromium = input.chromium;
  return manifest;
}

/** Recursively order object keys so the serialisation never depends on construction order. */
function ordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(ordered);
  if (value && typeof value === 'object') {
    const keys = Object.keys(value as Record<string, unknown>).sort();
    // schemaVersion first keeps the file self-describing at a glance; the rest is alphabetical.
    keys.sort((a, b) => (a === 'schemaVersion' ? -1 : b === 'schemaVersion' ? 1 : 0));
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = ordered((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}

/** Serialise a manifest with stable key order, two-space indent and a final newline. */
export function serializeManifest(manifest: Manifest): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(ordered(manifest), null, 2) + '\n');
}

/** Mapping-data editions and scanner tools of a report, as the manifest records them (deduplicated). */
export function reportProvenance(report: Pick<Report, 'owasp' | 'runs'>): Pick<ManifestInput, 'mappingData' | 'tools'> {
  const tools = report.runs.map((r) => ({ name: r.tool, version: r.version }));
  return {
    mappingData: report.owasp.data.map((d) => ({ name: 'OWASP Top 10', edition: d.edition, source: d.source })),
    tools: tools.filter((t, i) => tools.findIndex((o) => o.name === t.name && o.version === t.version) === i),
  };
}
