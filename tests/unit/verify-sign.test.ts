import { createHash, generateKeyPairSync } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ATTESTATION_FILE } from '../../src/bundle/attest.ts';
import { assembleBundle, type BundleInput } from '../../src/bundle/bundle.ts';
import { publicKeyFingerprint, SIGNATURE_FILE, signManifest, verifyManifestSignature } from '../../src/bundle/sign.ts';
import { verifyBundle, type VerifyResult } from '../../src/bundle/verify.ts';
import { verifySummary } from '../../src/cli/commands/verify.ts';

const pem = () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { priv: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), pub: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
};

let dir: string;
const docs: Record<string, string> = {
  'report.md': '# Report\n\nStatus: CONDITIONAL\n',
  'report.json': '{"schemaVersion":"1.0"}\n',
  'assets/chart.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>\n',
};

/** A bundle made by the real assembler, written as the pipeline writes it. */
function build(signingKey?: string, only?: (name: string) => boolean) {
  const input: BundleInput = {
    kind: 'report',
    metadata: { auditmarkVersion: '0.1.0', created: '2026-01-01T00:00:00.000Z', template: { id: 'security-scan', version: '1.0.0' }, documentId: 'doc-1' },
    provenance: { mappingData: [], tools: [{ name: 'bandit', version: '1.8.3' }] },
    inputs: [{ path: 'bandit.json', sha256: '0'.repeat(64), bytes: 10, kind: 'scan' }],
    outputs: Object.entries(docs).map(([name, text]) => ({ name, bytes: Buffer.from(text) })),
    verdict: { status: { overall: 'CONDITIONAL', reasons: [{ code: 'findings-warning', args: { count: 1, bySeverity: { critical: 0, high: 0, medium: 1, low: 0, info: 0, unknown: 0 } } }] }, gates: [] },
    ...(signingKey ? { signingKey } : {}),
  };
  const { files, diagnostics } = assembleBundle(input);
  expect(diagnostics).toEqual([]);
  for (const f of files) {
    if (only && !only(f.name)) continue;
    mkdirSync(join(dir, f.name, '..'), { recursive: true });
    writeFileSync(join(dir, f.name), f.bytes);
  }
}

const errors = (r: VerifyResult) => r.diagnostics.filter((d) => d.level === 'error').map((d) => d.code).sort();
const codes = (r: VerifyResult) => r.diagnostics.map((d) => `${d.code}@${d.file?.slice(dir.length + 1)}`).sort();

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'auditmark-verify-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('verifyBundle: hashes', () => {
  it('an intact unsigned bundle verifies, and says hashes prove internal consistency only', async () => {
    build();
    const r = await verifyBundle(dir);
    expect(r).toMatchObject({ ok: true, signature: 'unsigned', attestation: 'unsigned' });
    expect(r.files.map((f) => [f.path, f.status])).toEqual([['assets/chart.svg', 'ok'], ['report.json', 'ok'], ['report.md', 'ok']]);
    expect(r.diagnostics.map((d) => [d.code, d.level])).toEqual([['verify/unsigned', 'info']]);
    expect(verifySummary(r)).toMatch(/unsigned: this proves internal consistency only \(anyone can rewrite/);
    expect(verifySummary(r)).not.toMatch(/verified/);
  });

  it('detects one changed byte', async () => {
    build();
    const p = join(dir, 'report.md');
    const b = readFileSync(p);
    b[10] = b[10]! ^ 1;
    writeFileSync(p, b);
    const r = await verifyBundle(dir);
    expect(r.ok).toBe(false);
    expect(r.files.find((f) => f.path === 'report.md')!.status).toBe('changed');
    expect(errors(r)).toEqual(['verify/changed']);
    expect(verifySummary(r)).toBe('bundle CHANGED or incomplete');
  });

  it('detects a missing file and extra entries (file, symlink, FIFO), each once', async () => {
    build();
    unlinkSync(join(dir, 'report.json'));
    writeFileSync(join(dir, 'notes.txt'), 'added later');
    symlinkSync('/etc/hostname', join(dir, 'link'));
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    const r = await verifyBundle(dir);
    expect(r.ok).toBe(false);
    expect(codes(r)).toEqual(['verify/extra@link', 'verify/extra@notes.txt', 'verify/extra@pipe', 'verify/missing@report.json', 'verify/unsigned@manifest.json.sig']);
  });

  it('a FIFO standing in for a listed output is not a file (and verify does not block on it)', async () => {
    build();
    unlinkSync(join(dir, 'report.md'));
    execFileSync('mkfifo', [join(dir, 'report.md')]);
    const r = await verifyBundle(dir);
    expect(r.ok).toBe(false);
    expect(r.files.find((f) => f.path === 'report.md')!.status).toBe('not-a-file');
    expect(errors(r)).toEqual(['verify/not-a-file']);
    expect(r.diagnostics[0]!.message).toMatch(/a FIFO, not a regular file/);
  });

  it('a directory standing in for a listed output is not a file, and its content is not reported again', async () => {
    build();
    unlinkSync(join(dir, 'report.md'));
    mkdirSync(join(dir, 'report.md'));
    writeFileSync(join(dir, 'report.md', 'inner'), 'x');
    const r = await verifyBundle(dir);
    expect(codes(r)).toEqual(['verify/not-a-file@report.md', 'verify/unsigned@manifest.json.sig']);
  });

  it('an output reached through a symlinked folder is not a file, even when the bytes match', async () => {
    build();
    const elsewhere = mkdtempSync(join(tmpdir(), 'auditmark-verify-elsewhere-'));
    try {
      writeFileSync(join(elsewhere, 'chart.svg'), docs['assets/chart.svg']!);
      rmSync(join(dir, 'assets'), { recursive: true });
      symlinkSync(elsewhere, join(dir, 'assets'));
      const r = await verifyBundle(dir);
      expect(errors(r)).toEqual(['verify/extra', 'verify/not-a-file']);
      expect(r.diagnostics.find((d) => d.code === 'verify/not-a-file')!.message).toMatch(/through a symlink assets/);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('refuses manifest paths that leave the bundle, or that are listed twice', async () => {
    build();
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ outputs: [{ path: '../etc/passwd', sha256: '0'.repeat(64), bytes: 1 }] }));
    expect((await verifyBundle(dir)).diagnostics.map((d) => d.code)).toEqual(['verify/bad-manifest']);
    const o = { path: 'report.md', sha256: '0'.repeat(64), bytes: 1 };
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ outputs: [o, o] }));
    const r = await verifyBundle(dir);
    expect(r.diagnostics.map((d) => [d.code, d.pointer])).toEqual([['verify/bad-manifest', '/outputs/1/path']]);
  });

  it('no manifest, or a FIFO manifest, is a clear error without blocking', async () => {
    expect((await verifyBundle(dir)).diagnostics.map((d) => d.code)).toEqual(['verify/no-manifest']);
    execFileSync('mkfifo', [join(dir, 'manifest.json')]);
    expect((await verifyBundle(dir)).diagnostics.map((d) => d.code)).toEqual(['verify/bad-manifest']);
  });
});

describe('verifyBundle: signature and attestation', () => {
  it('a signed bundle verifies with the matching key: signature and attestation both valid', async () => {
    const k = pem();
    build(k.priv);
    const sig = readFileSync(join(dir, SIGNATURE_FILE), 'utf8');
    expect(sig.split('\n')[0]).toMatch(/^auditmark-signature v1 alg=ed25519 key=sha256:[0-9a-f]{64}$/);
    expect(sig).not.toContain('PRIVATE KEY');
    const r = await verifyBundle(dir, { publicKeyPem: k.pub });
    expect(r).toMatchObject({ ok: true, signature: 'valid', attestation: 'valid', diagnostics: [] });
    expect(verifySummary(r)).toMatch(/^bundle verified: every file matches manifest.json, signed by sha256:/);
  });

  it('without --key a signed bundle is not "verified": each signature file says it was not checked', async () => {
    const k = pem();
    build(k.priv);
    const r = await verifyBundle(dir);
    expect(r).toMatchObject({ ok: true, signature: 'not-checked', attestation: 'not-checked' });
    expect(codes(r)).toEqual(['verify/signature-not-checked@manifest.intoto.jsonl', 'verify/signature-not-checked@manifest.json.sig']);
    expect(verifySummary(r)).toMatch(/signature was NOT checked/);
  });

  it('the wrong key says "does not match this key", never that the bundle changed', async () => {
    const k = pem();
    build(k.priv);
    const r = await verifyBundle(dir, { publicKeyPem: pem().pub });
    expect(r).toMatchObject({ ok: false, signature: 'wrong-key', attestation: 'wrong-key' });
    expect(codes(r)).toEqual(['verify/wrong-key@manifest.intoto.jsonl', 'verify/wrong-key@manifest.json.sig']);
    expect(verifySummary(r)).toMatch(/^signature does not match this key/);
    expect(verifySummary(r)).not.toMatch(/CHANGED/);
  });

  it('a manifest changed after signing: its signature is invalid and the attestation no longer covers it', async () => {
    const k = pem();
    build(k.priv);
    const m = readFileSync(join(dir, 'manifest.json'), 'utf8').replace('"kind": "report"', '"kind": "diff"');
    writeFileSync(join(dir, 'manifest.json'), m);
    const r = await verifyBundle(dir, { publicKeyPem: k.pub });
    expect(r).toMatchObject({ ok: false, signature: 'invalid' });
    expect(codes(r)).toEqual(['verify/attestation-mismatch@manifest.intoto.jsonl', 'verify/signature-invalid@manifest.json.sig']);
    expect(verifySummary(r)).toMatch(/^signature INVALID/);
  });

  it('a changed output is named once, as changed, not again by the attestation', async () => {
    const k = pem();
    build(k.priv);
    writeFileSync(join(dir, 'report.md'), '# Report\n\nStatus: VALIDATED\n');
    const r = await verifyBundle(dir, { publicKeyPem: k.pub });
    expect(codes(r)).toEqual(['verify/changed@report.md']);
  });

  it('a tampered envelope payload fails its DSSE signature', async () => {
    const k = pem();
    build(k.priv);
    const p = join(dir, ATTESTATION_FILE);
    const env = JSON.parse(readFileSync(p, 'utf8'));
    const st = JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8'));
    st.predicate.status.overall = 'VALIDATED';
    env.payload = Buffer.from(JSON.stringify(st)).toString('base64');
    writeFileSync(p, JSON.stringify(env) + '\n');
    const r = await verifyBundle(dir, { publicKeyPem: k.pub });
    expect(r).toMatchObject({ ok: false, signature: 'valid', attestation: 'invalid' });
    expect(codes(r)).toEqual(['verify/signature-invalid@manifest.intoto.jsonl']);
  });

  it('a tampered subject digest is a mismatch even without a key', async () => {
    const k = pem();
    build(k.priv);
    const p = join(dir, ATTESTATION_FILE);
    const env = JSON.parse(readFileSync(p, 'utf8'));
    const st = JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8'));
    st.subject.find((s: { name: string }) => s.name === 'report.md').digest.sha256 = createHash('sha256').update('other').digest('hex');
    env.payload = Buffer.from(JSON.stringify(st)).toString('base64');
    writeFileSync(p, JSON.stringify(env) + '\n');
    const r = await verifyBundle(dir);
    expect(errors(r)).toEqual(['verify/attestation-mismatch']);
    expect(r.diagnostics.find((d) => d.code === 'verify/attestation-mismatch')!.message).toMatch(/subject report\.md has sha256/);
  });

  it('a signed bundle from before attestations verifies with a warning; a missing signature with a key fails', async () => {
    const k = pem();
    build(k.priv, (n) => n !== ATTESTATION_FILE);
    const r = await verifyBundle(dir, { publicKeyPem: k.pub });
    expect(r).toMatchObject({ ok: true, signature: 'valid', attestation: 'missing' });
    expect(codes(r)).toEqual(['verify/attestation-missing@manifest.intoto.jsonl']);
    unlinkSync(join(dir, SIGNATURE_FILE));
    const r2 = await verifyBundle(dir, { publicKeyPem: k.pub });
    expect(r2).toMatchObject({ ok: false, signature: 'missing' });
    expect(codes(r2)).toEqual(['verify/signature-missing@manifest.json.sig']);
  });

  it('a key that is not an ed25519 public key is bad input, reported before anything else', async () => {
    build();
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const r = await verifyBundle(dir, { publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['verify/bad-key']);
    expect((await verifyBundle(dir, { publicKeyPem: 'not a key' })).diagnostics.map((d) => d.code)).toEqual(['verify/bad-key']);
  });
});

describe('ed25519 manifest signature', () => {
  it('a corrupted signature is reported as not matching', () => {
    const k = pem();
    const manifest = Buffer.from('{"outputs":[]}\n');
    const s = signManifest(manifest, k.priv).signature!;
    const [header, body] = s.split('\n');
    const flipped = (body!.startsWith('A') ? 'B' : 'A') + body!.slice(1);
    expect(verifyManifestSignature(manifest, `${header}\n${flipped}\n`, k.pub)).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('refuses a non-ed25519 key', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const r = signManifest(Buffer.from('{}'), privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    expect(r.signature).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toEqual(['sign/bad-key']);
  });

  it('the key fingerprint is the sha256 of the DER public key', () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    const der = publicKey.export({ type: 'spki', format: 'der' });
    expect(publicKeyFingerprint(publicKey)).toBe(`sha256:${createHash('sha256').update(der).digest('hex')}`);
  });
});
