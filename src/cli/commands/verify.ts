import { readKey } from '../../bundle/inputs.ts';
import { verifyBundle } from '../../bundle/verify.ts';
import { diag } from '../../model/diagnostics.ts';
import { exitCode } from '../../policy/exit-code.ts';
import { parse } from '../args.ts';
import type { CommandResult } from '../main.ts';
import { sanitizeForTerminal } from '../../model/sanitize-terminal.ts';
import type { Io } from '../print.ts';

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
    for (const f of r.files) io.stdout(sanitizeForTerminal(`${f.status}\t${f.path}`) + '\n');
    const noBundle = r.diagnostics.some((d) => d.code === 'verify/no-manifest' || d.code === 'verify/bad-manifest');
    io.stdout(`signature: ${r.signature}\n${r.ok ? 'bundle verified' : noBundle ? 'not a bundle: no readable manifest.json' : 'bundle CHANGED or incomplete'}\n`);
  }
  // A bundle that does not verify is a failed check (1); an unreadable one is bad input (2).
  return { diagnostics: r.diagnostics, exitCode: exitCode(r.diagnostics) };
}
