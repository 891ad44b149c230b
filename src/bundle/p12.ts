import { createRequire } from 'node:module';
import type Forge from 'node-forge';
import { diag, type Diagnostic } from '../model/diagnostics.ts';

/** The certificate a PKCS#12 file signs with, or why it cannot sign. Checked before anything renders. */
export function inspectP12(p12: Uint8Array, passphrase: string, file: string): { subject?: string; diagnostics: Diagnostic[] } {
  const bad = (why: string) => ({
    diagnostics: [diag('sign/bad-p12', 'error', `the --sign-pdf key store cannot sign: ${why}`, {
      file, expected: 'a PKCS#12 (.p12/.pfx) file holding one private key and its certificate, and its password in AUDITMARK_P12_PASSWORD',
      fix: 'check AUDITMARK_P12_PASSWORD, or export the key store again: openssl pkcs12 -export -inkey key.pem -in cert.pem -out signer.p12',
    })],
  });
  try {
    const forge = loadForge();
    const store = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(p12).toString('binary'))), false, passphrase);
    const keyBag = forge.pki.oids.pkcs8ShroudedKeyBag!;
    const certBag = forge.pki.oids.certBag!;
    const keys = store.getBags({ bagType: keyBag })[keyBag] ?? [];
    const certs = store.getBags({ bagType: certBag })[certBag] ?? [];
    const cert = certs[0]?.cert;
    if (keys.length === 0 || !keys[0]?.key) return bad('it holds no private key');
    if (!cert) return bad('it holds no certificate');
    const cn = cert.subject.getField('CN') as { value?: string } | null;
    return { subject: cn?.value ?? cert.subject.attributes.map((a: { shortName?: string; name?: string; value?: unknown }) => `${a.shortName ?? a.name}=${String(a.value)}`).join(', '), diagnostics: [] };
  } catch (e) {
    return bad(/password|mac/i.test((e as Error).message) ? 'wrong password (AUDITMARK_P12_PASSWORD)' : `not a readable PKCS#12 file (${(e as Error).message.split('\n')[0]})`);
  }
}

/**
 * node-forge, loaded on the first --sign-pdf check: the pipeline imports this module for every
 * build, and a build that signs no PDF must not load the PDF stack (see render/pdf-stack.ts).
 */
function loadForge(): typeof Forge {
  return createRequire(import.meta.url)('node-forge') as typeof Forge;
}
