import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { diag, type Diagnostic } from '../model/diagnostics.ts';

/** File name of the detached signature, next to `manifest.json`. */
export const SIGNATURE_FILE = 'manifest.json.sig';

/** First line of a signature file: format version, algorithm and the signer's key fingerprint. */
const HEADER = /^auditmark-signature v1 alg=ed25519 key=(sha256:[0-9a-f]{64})$/;

/**
 * Fingerprint of a public key: `sha256:` + hex of its DER SubjectPublicKeyInfo. The same value as
 * `openssl pkey -pubin -in pub.pem -outform DER | sha256sum`.
 */
export function publicKeyFingerprint(key: KeyObject): string {
  const pub = key.type === 'public' ? key : createPublicKey(key);
  const der = pub.export({ type: 'spki', format: 'der' });
  return `sha256:${createHash('sha256').update(der).digest('hex')}`;
}

/**
 * Sign the exact bytes of `manifest.json` with an ed25519 private key (PEM, PKCS#8, as written by
 * `openssl genpkey -algorithm ed25519`). Returns the text of `manifest.json.sig`:
 *
 * ```
 * auditmark-signature v1 alg=ed25519 key=sha256:<hex>
 * <base64 signature>
 * ```
 *
 * The key itself is never part of the output. Any other key type is refused (`sign/bad-key`).
 */
export function signManifest(manifestBytes: Uint8Array, privateKeyPem: string | Uint8Array): { signature?: string; keyFingerprint?: string; diagnostics: Diagnostic[] } {
  const loaded = loadSigningKey(privateKeyPem);
  if (!loaded.key) return { diagnostics: loaded.diagnostics };
  const key = loaded.key;
  const sig = sign(null, manifestBytes, key).toString('base64');
  const keyFingerprint = publicKeyFingerprint(key);
  return { signature: `auditmark-signature v1 alg=ed25519 key=${keyFingerprint}\n${sig}\n`, keyFingerprint, diagnostics: [] };
}

/**
 * Parse an ed25519 private key (PEM, PKCS#8). Called before anything is rendered, so a wrong key
 * is bad input (exit 2) reported at once, not after the PDF was printed.
 */
export function loadSigningKey(privateKeyPem: string | Uint8Array): { key?: KeyObject; diagnostics: Diagnostic[] } {
  let key: KeyObject;
  try {
    key = createPrivateKey(typeof privateKeyPem === 'string' ? privateKeyPem : Buffer.from(privateKeyPem));
  } catch {
    return { diagnostics: [badKey('the signing key is not a readable private key (PEM)')] };
  }
  if (key.asymmetricKeyType !== 'ed25519') return { diagnostics: [badKey(`the signing key is ${key.asymmetricKeyType ?? 'not asymmetric'}, not ed25519`)] };
  return { key, diagnostics: [] };
}

function badKey(message: string): Diagnostic {
  return diag('sign/bad-key', 'error', message, {
    expected: 'an ed25519 private key in PEM (PKCS#8)',
    fix: 'create one with: openssl genpkey -algorithm ed25519 -out auditmark-signing.pem',
  });
}

/** Outcome of checking a signature. */
export type SignatureCheck =
  | { ok: true; keyFingerprint: string }
  | { ok: false; reason: 'malformed' | 'wrong-key' | 'bad-signature' | 'bad-key'; message: string };

/**
 * Check `manifest.json.sig` against the manifest bytes and an ed25519 public key (PEM). A signature
 * made by another key is reported as such (the header names the signer's key fingerprint).
 */
export function verifyManifestSignature(manifestBytes: Uint8Array, signatureText: string, publicKeyPem: string | Uint8Array): SignatureCheck {
  let key: KeyObject;
  try {
    key = createPublicKey(typeof publicKeyPem === 'string' ? publicKeyPem : Buffer.from(publicKeyPem));
  } catch {
    return { ok: false, reason: 'bad-key', message: 'the verification key is not a readable public key (PEM)' };
  }
  if (key.asymmetricKeyType !== 'ed25519') return { ok: false, reason: 'bad-key', message: `the verification key is ${key.asymmetricKeyType ?? 'not asymmetric'}, not ed25519` };
  const [header = '', body = '', ...rest] = signatureText.replace(/\r\n/g, '\n').split('\n');
  const m = HEADER.exec(header.trim());
  if (!m || !/^[A-Za-z0-9+/]+={0,2}$/.test(body.trim()) || rest.some((l) => l.trim() !== '')) {
    return { ok: false, reason: 'malformed', message: `${SIGNATURE_FILE} is not an auditmark v1 ed25519 signature` };
  }
  const fp = publicKeyFingerprint(key);
  if (m[1] !== fp) return { ok: false, reason: 'wrong-key', message: `signed by key ${m[1]}, not by the given key ${fp}` };
  const good = verify(null, manifestBytes, key, Buffer.from(body.trim(), 'base64'));
  return good ? { ok: true, keyFingerprint: fp } : { ok: false, reason: 'bad-signature', message: `the signature does not match manifest.json: the manifest was altered or the signature corrupted` };
}
