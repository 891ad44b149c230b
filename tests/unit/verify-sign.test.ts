import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { publicKeyFingerprint, SIGNATURE_FILE, signManifest, verifyManifestSignature } from '../../src/bundle/sign.ts';
import { verifyBundle } from '../../src/bundle/verify.ts';

const pem = () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { priv: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), pub: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
};

let dir: string;
const files: Record<string, string> = {
  'report.md': '# Report\n\nStatus: CONDITIONAL\n',
  'report.json': '{"schemaVersion":"1.0"}\n',
  'assets/chart.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>\n',
};

function build(sign?: string) {
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  const outputs = Object.entries(files).map(([path, text]) => ({ path, sha256: createHash('sha256').update(text).digest('hex'), bytes: Buffer.byteLength(text) }));
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: '1.0', kind: 'report', outputs }, null, 2) + '\n');
  writeFileSync(join(dir, 'manifest.json'), manifest);
  if (sign) {
    const s = signManifest(manifest, sign);
    writeFileSync(join(dir, SIGNATURE_FILE), s.signature!);
  }
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'auditmark-verify-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('verifyBundle', () => {
  it('an intact bundle verifies', async () => {
    build();
    const r = await verifyBundle(dir);
    expect(r.ok).toBe(true);
    expect(r.files.map((f) => [f.path, f.status])).toEqual([['report.md', 'ok'], ['report.json', 'ok'], ['assets/chart.svg', 'ok']]);
    expect(r.diagnostics).toEqual([]);
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
    expect(r.diagnostics.map((d) => d.code)).toEqual(['verify/changed']);
  });

  it('detects a missing file and an extra file (and an extra symlink)', async () => {
    build();
    unlinkSync(join(dir, 'report.json'));
    writeFileSync(join(dir, 'notes.txt'), 'added later');
    symlinkSync('/etc/hostname', join(dir, 'link'));
    const r = await verifyBundle(dir);
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => d.code).sort()).toEqual(['verify/extra', 'verify/extra', 'verify/missing']);
    expect(r.files.filter((f) => f.status === 'extra').map((f) => f.path).sort()).toEqual(['link', 'notes.txt']);
  });

  it('refuses manifest paths that leave the bundle', async () => {
    build();
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ outputs: [{ path: '../etc/passwd', sha256: '0'.repeat(64), bytes: 1 }] }));
    const r = await verifyBundle(dir);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['verify/bad-manifest']);
  });

  it('no manifest is a clear error', async () => {
    const r = await verifyBundle(dir);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['verify/no-manifest']);
  });
});

describe('ed25519 signing', () => {
  it('a signed bundle verifies with the matching public key; the signature names the key', async () => {
    const k = pem();
    build(k.priv);
    const sig = readFileSync(join(dir, SIGNATURE_FILE), 'utf8');
    expect(sig.split('\n')[0]).toMatch(/^auditmark-signature v1 alg=ed25519 key=sha256:[0-9a-f]{64}$/);
    expect(sig).not.toContain('PRIVATE KEY');
    const r = await verifyBundle(dir, { publicKeyPem: k.pub });
    expect(r).toMatchObject({ ok: true, signature: 'valid' });
  });

  it('a changed manifest makes the signature invalid', async () => {
    const k = pem();
    build(k.priv);
    const m = readFileSync(join(dir, 'manifest.json'), 'utf8').replace('"kind": "report"', '"kind": "diff"');
    writeFileSync(join(dir, 'manifest.json'), m);
    const r = await verifyBundle(dir, { publicKeyPem: k.pub });
    expect(r).toMatchObject({ ok: false, signature: 'invalid' });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['verify/signature-invalid']);
  });

  it('another key, a corrupted signature and a missing signature are each reported', async () => {
    const k = pem();
    const other = pem();
    build(k.priv);
    expect((await verifyBundle(dir, { publicKeyPem: other.pub })).diagnostics[0]!.message).toMatch(/signed by key sha256:/);
    const sigPath = join(dir, SIGNATURE_FILE);
    const [header, body] = readFileSync(sigPath, 'utf8').split('\n');
    const flipped = (body!.startsWith('A') ? 'B' : 'A') + body!.slice(1);
    writeFileSync(sigPath, `${header}\n${flipped}\n`);
    expect(verifyManifestSignature(readFileSync(join(dir, 'manifest.json')), readFileSync(sigPath, 'utf8'), k.pub)).toMatchObject({ ok: false, reason: 'bad-signature' });
    unlinkSync(sigPath);
    expect((await verifyBundle(dir, { publicKeyPem: k.pub })).signature).toBe('missing');
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
