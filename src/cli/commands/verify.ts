import { readKey } from '../../bundle/inputs.ts';
import { verifyBundle, type SignatureState, type VerifyResult } from '../../bundle/verify.ts';
import { diag } from '../../model/diagnostics.ts';
import { terminalName } from '../../model/sanitize-terminal.ts';
import { exitCode } from '../../policy/exit-code.ts';
import { parse } from '../args.ts';
import type { CommandResult } from '../main.ts';
import type { Io } from '../print.ts';

const STATE: Record<SignatureState, string> = {
  valid: 'valid',
  'wrong-key': 'does not match this key',
  invalid: 'INVALID',
  missing: 'MISSING',
  'not-checked': 'present, NOT checked (no --key)',
  unsigned: 'none (unsigned)',
};

/** The last line: what the result proves, and what it does not. */
export function verifySummary(r: VerifyResult): string {
  const codes = new Set(r.diagnostics.map((d) => d.code));
  if (codes.has('verify/no-manifest') || codes.has('verify/bad-manifest')) return 'not a bundle: no readable manifest.json';
  if (codes.has('verify/bad-key')) return 'not verified: the --key is not an ed25519 public key';
  if (r.files.some((f) => f.status !== 'ok')) return 'bundle CHANGED or incomplete';
  if (codes.has('verify/signature-invalid') || codes.has('verify/attestation-invalid') || codes.has('verify/attestation-mismatch') || codes.has('verify/not-a-file')) {
    return 'signature INVALID: manifest.json or the attestation was altered after signing';
  }
  if (codes.has('verify/wrong-key')) return 'signature does not match this key (nothing is known to have changed: verify with the signer\'s public key)';
  if (r.signature === 'missing') return 'NOT verified: a key was given but the bundle is unsigned';
  if (r.signature === 'valid') return `bundle verified: every file matches manifest.json, signed by ${r.signer ?? 'the given key'}`;
  if (r.signature === 'not-checked') return 'hashes match manifest.json, but the signature was NOT checked (no --key): this proves internal consistency only';
  return 'hashes match manifest.json, but the bundle is unsigned: this proves internal consistency only (anyone can rewrite an unsigned manifest)';
}

/** `auditmark verify <dir> [--key pub.pem]`: recompute every hash of a bundle; exit 1 on any change. */
export async function verify(argv: string[], io: Io): Promise<CommandResult> {
  const p = parse('verify', argv, { key: { type: 'string' } });
  if (!p.ok) return { diagnostics: [p.diagnostic], exitCode: 2 };
  const dir = p.positionals[0];
  if (!dir || p.positionals.length > 1) return { diagnostics: [diag('usage/invalid', 'error', 'verify: expected exactly one bundle directory', { fix: 'auditmark verify audit-report/' })], exitCode: 2 };
  let publicKeyPem: string | undefined;
  if (p.values.key) {
    const key = readKey(p.values.key);
    if (key.pem === undefined) return { diagnostics: key.diagnostics, exitCode: exitCode(key.diagnostics) };
    publicKeyPem = key.pem;
  }
  const r = await verifyBundle(dir, { publicKeyPem });
  if (!p.values.json && !p.values.quiet) {
    // Names come from the bundle: one quoting for all, so a name cannot start a line of its own.
    for (const f of r.files) io.stdout(`${f.status}\t${terminalName(f.path)}\n`);
    // Nothing was checked when there is no readable manifest or the key is unusable: no signature lines then.
    const checked = !r.diagnostics.some((d) => d.code === 'verify/no-manifest' || d.code === 'verify/bad-manifest' || d.code === 'verify/bad-key');
    if (checked) io.stdout(`signature: ${STATE[r.signature]}\nattestation: ${STATE[r.attestation]}\n`);
    io.stdout(`${verifySummary(r)}\n`);
  }
  // A bundle that does not verify is a failed check (1); an unreadable one or a bad key is bad input (2).
  return { diagnostics: r.diagnostics, exitCode: exitCode(r.diagnostics) };
}
