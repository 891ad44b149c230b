/**
 * Bundles for the `auditmark verify` corpus cases, made by the real assembler (`assembleBundle`)
 * and written as the pipeline writes them, optionally signed with a fresh ed25519 key whose public
 * half (and another key's) is left next to the bundle. Each case then damages it in its own way.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { assembleBundle } from '../../src/bundle/bundle.ts';

export interface BundleSpec {
  /** Output name → content; default one report.md. */
  outputs?: Record<string, string>;
  /** Names listed in the manifest but not written (a case puts a FIFO or folder there). */
  skipWrite?: string[];
  sign?: boolean;
}

/** Write `<dir>/bundle/` and, when signed, `<dir>/pub.pem` (signer) and `<dir>/other.pem` (another key). */
export function writeBundle(dir: string, spec: BundleSpec = {}): void {
  const outputs = Object.entries(spec.outputs ?? { 'report.md': '# Audit report\n\nStatus: CONDITIONAL\n' }).map(([name, text]) => ({ name, bytes: Buffer.from(text) }));
  let signingKey: string | undefined;
  if (spec.sign) {
    const pair = generateKeyPairSync('ed25519');
    signingKey = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    writeFileSync(join(dir, 'pub.pem'), pair.publicKey.export({ type: 'spki', format: 'pem' }));
    writeFileSync(join(dir, 'other.pem'), generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }));
  }
  const { files, diagnostics } = assembleBundle({
    kind: 'report',
    metadata: { auditmarkVersion: '0.1.0', created: '2026-01-01T00:00:00.000Z', template: { id: 'security-scan', version: '1.0.0' }, documentId: 'corpus' },
    provenance: { mappingData: [], tools: [] },
    inputs: [],
    outputs,
    verdict: { status: { overall: 'CONDITIONAL', reasons: [] }, gates: [] },
    ...(signingKey ? { signingKey } : {}),
  });
  if (diagnostics.length > 0) throw new Error(JSON.stringify(diagnostics));
  for (const f of files) {
    if (spec.skipWrite?.includes(f.name)) continue;
    const p = join(dir, 'bundle', f.name);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, f.bytes);
  }
}

/** Rewrite the statement inside `bundle/manifest.intoto.jsonl` (its signature is then stale). */
export function editStatement(dir: string, edit: (statement: { subject: Array<{ name: string; digest: { sha256: string } }>; predicate: Record<string, unknown> }) => void): void {
  const p = join(dir, 'bundle', 'manifest.intoto.jsonl');
  const env = JSON.parse(readFileSync(p, 'utf8'));
  const statement = JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8'));
  edit(statement);
  env.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
  writeFileSync(p, JSON.stringify(env) + '\n');
}

/** Rewrite the envelope itself. */
export function editEnvelope(dir: string, edit: (envelope: { payloadType: string; payload: string; signatures: Array<{ keyid?: string; sig: string }> }) => void): void {
  const p = join(dir, 'bundle', 'manifest.intoto.jsonl');
  const env = JSON.parse(readFileSync(p, 'utf8'));
  edit(env);
  writeFileSync(p, JSON.stringify(env) + '\n');
}
