/**
 * `build --sign-pdf`: a PAdES (ETSI.CAdES.detached) signature in the approver's box of the
 * sign-off block, checked by an independent CMS verifier written here (ByteRange digest,
 * messageDigest attribute, RSA signature over the signed attributes), and by poppler's pdfsig
 * when the machine has it (a Debian package, not an npm one: skipped with a reason otherwise).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline.ts';
import { inspectPdf } from '../helpers/pdf-inspect.ts';

const EXAMPLES = new URL('../../examples/', import.meta.url).pathname;
const PDFSIG = ['/usr/bin/pdfsig', '/usr/local/bin/pdfsig'].find((p) => existsSync(p));

/** A self-signed signer certificate in a PKCS#12 store, made here (no openssl needed). */
function makeP12(password: string): Buffer {
  const keys = forge.pki.rsa.generateKeyPair(2048);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date('2026-01-01T00:00:00Z');
  cert.validity.notAfter = new Date('2036-01-01T00:00:00Z');
  const attrs = [{ name: 'commonName', value: 'Sam Okafor' }, { name: 'organizationName', value: 'Example Org' }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  const p12 = forge.pkcs12.toPkcs12Asn1(keys.privateKey, [cert], password, { algorithm: '3des' });
  return Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary');
}

interface Check {
  subFilter: string;
  digestMatches: boolean;
  signatureValid: boolean;
  signer: string;
  coversAllButContents: boolean;
}

/** Verify the PDF's one signature from the PDF and CMS specifications alone. */
function verifyPades(pdf: Buffer): Check {
  const text = pdf.toString('latin1');
  const range = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(text);
  const contents = /\/Contents\s*<([0-9A-Fa-f]+)>/.exec(text);
  const subFilter = /\/SubFilter\s*\/([A-Za-z0-9.]+)/.exec(text)?.[1] ?? '';
  if (!range || !contents) throw new Error('no signature dictionary');
  const [a, b, c, d] = range.slice(1).map(Number) as [number, number, number, number];
  const signed = Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]);
  const der = Buffer.from(contents[1]!.replace(/(00)+$/, ''), 'hex');
  const p7 = forge.pkcs7.messageFromAsn1(forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary')))) as forge.pkcs7.PkcsSignedData & { rawCapture: { authenticatedAttributes: forge.asn1.Asn1[]; signature: string } };
  const cert = p7.certificates[0]!;
  const attrs = p7.rawCapture.authenticatedAttributes;
  let messageDigest = '';
  for (const attr of attrs) {
    const [oid, values] = attr.value as forge.asn1.Asn1[];
    if (forge.asn1.derToOid(oid!.value as string) === forge.pki.oids.messageDigest) messageDigest = ((values!.value as forge.asn1.Asn1[])[0]!.value as string);
  }
  const digest = createHash('sha256').update(signed).digest().toString('binary');
  // The signature is over the DER of the signed attributes as a SET OF (RFC 5652 §5.4).
  const set = forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.SET, true, attrs);
  const md = forge.md.sha256.create();
  md.update(forge.asn1.toDer(set).getBytes());
  const signatureValid = (cert.publicKey as forge.pki.rsa.PublicKey).verify(md.digest().getBytes(), p7.rawCapture.signature);
  return {
    subFilter, digestMatches: messageDigest === digest, signatureValid,
    signer: String(cert.subject.getField('CN')?.value ?? ''),
    coversAllButContents: a === 0 && c + d === pdf.length && b < c,
  };
}

describe('build --sign-pdf', () => {
  const dir = mkdtempSync(join(tmpdir(), 'am-sign-pdf-'));
  const p12 = join(dir, 'signer.p12');
  writeFileSync(p12, makeP12('s3cret'));
  const options = (out: string, env: Record<string, string | undefined>) => ({
    config: join(EXAMPLES, 'auditmark.config.yaml'), scans: [join(EXAMPLES, 'scans/bandit.json'), join(EXAMPLES, 'scans/pip-audit.json')], checklist: join(EXAMPLES, 'checklist-state.yaml'),
    formats: ['json', 'pdf'], out: join(dir, out), signPdf: p12, env: { ...process.env, SOURCE_DATE_EPOCH: '1796083200', ...env },
  });

  it('signs report.pdf (PAdES, ETSI.CAdES.detached) in the approver\'s box; any changed byte breaks it', async () => {
    const r = await build(options('signed', { AUDITMARK_P12_PASSWORD: 's3cret' }));
    expect(r.diagnostics.filter((d) => d.level === 'error')).toEqual([]);
    const pdf = readFileSync(join(dir, 'signed', 'report.pdf'));
    const check = verifyPades(pdf);
    expect(check).toEqual({ subFilter: 'ETSI.CAdES.detached', digestMatches: true, signatureValid: true, signer: 'Sam Okafor', coversAllButContents: true });
    const tampered = Buffer.from(pdf);
    tampered[2000] = tampered[2000]! ^ 0x20;
    expect(verifyPades(tampered).digestMatches).toBe(false);
    // The visible field sits in the sign-off block, on the page that shows "Approved by".
    const inspected = await inspectPdf(pdf);
    const widgetPage = inspected.pages.findIndex((p) => p.text.includes('Approved by'));
    expect(widgetPage).toBeGreaterThan(0);
    expect(pdf.toString('latin1')).toMatch(/\/Subtype \/Widget\s*\/FT \/Sig\s*\/Rect \[ [1-9]/);
    // No marker link is left in the file.
    expect(pdf.toString('latin1')).not.toContain('auditmark.invalid');
  });

  it.skipIf(!PDFSIG)('poppler\'s pdfsig validates it and rejects a tampered copy (skipped: pdfsig is the Debian package poppler-utils, not on every machine)', () => {
    const file = join(dir, 'signed', 'report.pdf');
    expect(execFileSync(PDFSIG!, [file], { encoding: 'utf8' })).toContain('Signature is Valid.');
    const tampered = Buffer.from(readFileSync(file));
    tampered[2000] = tampered[2000]! ^ 0x20;
    writeFileSync(join(dir, 'tampered.pdf'), tampered);
    let out = '';
    try {
      out = execFileSync(PDFSIG!, [join(dir, 'tampered.pdf')], { encoding: 'utf8' });
    } catch (e) {
      out = String((e as { stdout?: string }).stdout ?? '');
    }
    expect(out).not.toContain('Signature is Valid.');
  });

  it('refuses a wrong password or a file that is not a key store before anything renders (exit 2)', async () => {
    const wrong = await build(options('wrong', { AUDITMARK_P12_PASSWORD: 'nope' }));
    expect(wrong.exitCode).toBe(2);
    expect(wrong.diagnostics.map((d) => d.code)).toEqual(['sign/bad-p12']);
    expect(existsSync(join(dir, 'wrong'))).toBe(false);
    writeFileSync(join(dir, 'not.p12'), 'hello');
    const junk = await build({ ...options('junk', { AUDITMARK_P12_PASSWORD: 's3cret' }), signPdf: join(dir, 'not.p12') });
    expect(junk.diagnostics.map((d) => d.code)).toEqual(['sign/bad-p12']);
  });

  it('an unsigned build has no signature, no marker link, and stays byte-identical', async () => {
    const a = await build({ ...options('u1', {}), signPdf: undefined });
    const b = await build({ ...options('u2', {}), signPdf: undefined });
    expect(a.exitCode).toBe(b.exitCode);
    const pa = readFileSync(join(dir, 'u1', 'report.pdf'));
    expect(createHash('sha256').update(pa).digest('hex')).toBe(createHash('sha256').update(readFileSync(join(dir, 'u2', 'report.pdf'))).digest('hex'));
    expect(pa.toString('latin1')).not.toContain('/ByteRange');
    // Objects sit compressed in object streams: look at every object, not the raw bytes.
    const doc = await PDFDocument.load(pa);
    const strings = doc.context.enumerateIndirectObjects().map(([, o]) => o.toString()).join('\n');
    expect(strings).toContain('/Type /Page');
    expect(strings).not.toContain('auditmark.invalid');
  });
});
