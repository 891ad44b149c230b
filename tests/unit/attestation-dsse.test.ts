/**
 * The attestation checked by a verifier written only from the DSSE specification
 * (secure-systems-lab/dsse, protocol.md and envelope.md, commit eebf7b59) and the in-toto
 * Statement v1 specification, sharing no code with `src/bundle/attest.ts`: if auditmark's
 * encoding drifted from the spec, this verifier (like cosign's) would reject the envelope.
 * The verifier is first proven on the specification's own test vector.
 */
import { createHash, createPublicKey, generateKeyPairSync, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline.ts';

/** PAE as protocol.md defines it: "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, LEN in ASCII decimal. */
function specPae(type: string, body: Buffer): Buffer {
  const t = Buffer.from(type, 'utf8');
  return Buffer.concat([Buffer.from('DSSEv1'), Buffer.from(' '), Buffer.from(String(t.length)), Buffer.from(' '), t, Buffer.from(' '), Buffer.from(String(body.length)), Buffer.from(' '), body]);
}

/** envelope.md: standard or URL-safe base64 are both allowed. */
function specBase64(s: string): Buffer {
  return Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

/**
 * protocol.md "Verification": decode, build PAE, accept if any signature verifies with a trusted
 * key, reject an unexpected payloadType, and only then parse the payload.
 */
function specVerify(envelopeJson: string, key: KeyObject, expectedType: string, opts: { dsaEncoding?: 'ieee-p1363' } = {}): Buffer {
  const env = JSON.parse(envelopeJson) as { payload: string; payloadType: string; signatures: Array<{ sig: string }> };
  const body = specBase64(env.payload);
  const pae = specPae(env.payloadType, body);
  const algorithm = key.asymmetricKeyType === 'ed25519' ? null : 'sha256';
  const ok = env.signatures.some((s) => cryptoVerify(algorithm, pae, opts.dsaEncoding ? { key, dsaEncoding: opts.dsaEncoding } : key, specBase64(s.sig)));
  if (!ok) throw new Error('no signature verifies');
  if (env.payloadType !== expectedType) throw new Error(`unexpected payloadType ${env.payloadType}`);
  return body;
}

const decimalTo32 = (d: string) => Buffer.from(BigInt(d).toString(16).padStart(64, '0'), 'hex').toString('base64url');

describe('the independent DSSE verifier', () => {
  it('accepts the specification\'s own test vector (ECDSA P-256) and rejects it once altered', () => {
    expect(specPae('http://example.com/HelloWorld', Buffer.from('hello world')).toString()).toBe('DSSEv1 29 http://example.com/HelloWorld 11 hello world');
    const key = createPublicKey({
      key: {
        kty: 'EC', crv: 'P-256',
        x: decimalTo32('46950820868899156662930047687818585632848591499744589407958293238635476079160'),
        y: decimalTo32('5640078356564379163099075877009565129882514886557779369047442380624545832820'),
      },
      format: 'jwk',
    });
    const vector = JSON.stringify({
      payload: 'aGVsbG8gd29ybGQ=', payloadType: 'http://example.com/HelloWorld',
      signatures: [{ sig: 'A3JqsQGtVsJ2O2xqrI5IcnXip5GToJ3F+FnZ+O88SjtR6rDAajabZKciJTfUiHqJPcIAriEGAHTVeCUjW2JIZA==' }],
    });
    expect(specVerify(vector, key, 'http://example.com/HelloWorld', { dsaEncoding: 'ieee-p1363' }).toString()).toBe('hello world');
    expect(() => specVerify(vector.replace('aGVsbG8gd29ybGQ=', 'aGVsbG8gd29ybGU='), key, 'http://example.com/HelloWorld', { dsaEncoding: 'ieee-p1363' })).toThrow(/no signature/);
  });
});

describe('auditmark build --sign: manifest.intoto.jsonl', () => {
  let work: string;
  let out: string;
  let pub: KeyObject;
  let exit: number;
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'auditmark-dsse-'));
    out = join(work, 'out');
    const pair = generateKeyPairSync('ed25519');
    pub = pair.publicKey;
    writeFileSync(join(work, 'key.pem'), pair.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const examples = new URL('../../examples/', import.meta.url).pathname;
    const r = await build({
      scans: [join(examples, 'scans/bandit.json'), join(examples, 'scans/pip-audit.json')],
      checklist: join(examples, 'checklist-state.yaml'), config: join(examples, 'auditmark.config.yaml'),
      formats: ['md', 'json', 'sarif'], out, sign: join(work, 'key.pem'), failOn: ['status:CONDITIONAL'],
      env: { SOURCE_DATE_EPOCH: '1767225600' },
    });
    exit = r.exitCode;
  }, 120_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('is one DSSE envelope that the spec-only verifier accepts with the signing key', () => {
    expect(exit).toBe(1);
    const lines = readFileSync(join(out, 'manifest.intoto.jsonl'), 'utf8').split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('');
    const env = JSON.parse(lines[0]!);
    expect(Object.keys(env).sort()).toEqual(['payload', 'payloadType', 'signatures']);
    expect(env.signatures[0].keyid).toBe(`sha256:${createHash('sha256').update(pub.export({ type: 'spki', format: 'der' })).digest('hex')}`);
    const statement = JSON.parse(specVerify(lines[0]!, pub, 'application/vnd.in-toto+json').toString('utf8'));
    expect(statement._type).toBe('https://in-toto.io/Statement/v1');
    expect(statement.predicateType).toBe('https://auditmark.dev/attestation/audit-report/v1');
  });

  it('is rejected by the spec-only verifier under another key or with one payload byte changed', () => {
    const line = readFileSync(join(out, 'manifest.intoto.jsonl'), 'utf8').trim();
    expect(() => specVerify(line, generateKeyPairSync('ed25519').publicKey, 'application/vnd.in-toto+json')).toThrow(/no signature/);
    const env = JSON.parse(line);
    const body = specBase64(env.payload);
    body[body.length - 2] = body[body.length - 2]! ^ 1;
    env.payload = body.toString('base64');
    expect(() => specVerify(JSON.stringify(env), pub, 'application/vnd.in-toto+json')).toThrow(/no signature/);
  });

  it('names every other file of the bundle with its sha256, and nothing else', () => {
    const statement = JSON.parse(specBase64(JSON.parse(readFileSync(join(out, 'manifest.intoto.jsonl'), 'utf8')).payload).toString('utf8'));
    const onDisk = readdirSync(out).filter((n) => n !== 'manifest.intoto.jsonl').sort();
    expect(onDisk).toEqual(['manifest.json', 'manifest.json.sig', 'report.json', 'report.md', 'report.sarif']);
    expect(statement.subject).toEqual(onDisk.map((name) => ({ name, digest: { sha256: createHash('sha256').update(readFileSync(join(out, name))).digest('hex') } })));
  });

  it('carries the manifest\'s inputs, template, mapping editions and tools, the overall status and the gate verdicts', () => {
    const { predicate } = JSON.parse(specBase64(JSON.parse(readFileSync(join(out, 'manifest.intoto.jsonl'), 'utf8')).payload).toString('utf8'));
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(predicate.inputs).toEqual(manifest.inputs);
    expect(predicate.mappingData).toEqual(manifest.mappingData);
    expect(predicate.tools).toEqual(manifest.tools);
    expect(predicate.template).toEqual({ ...manifest.template, ref: `${manifest.template.id}@${manifest.template.version}` });
    expect(predicate.documentId).toBe(report.metadata.documentId);
    expect(predicate.created).toBe('2026-01-01T00:00:00.000Z');
    expect(predicate.generator).toEqual({ name: 'auditmark', version: manifest.auditmarkVersion });
    expect(predicate.status).toEqual(report.status);
    expect(predicate.gates).toEqual([{ gate: 'status:CONDITIONAL', failed: true, reason: expect.stringMatching(/^overall status is /) }]);
    for (const i of predicate.inputs) expect(i.sha256).toBe(createHash('sha256').update(readFileSync(i.path)).digest('hex'));
  });
});
