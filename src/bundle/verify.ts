import { createHash } from 'node:crypto';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { diag, type Diagnostic } from '../model/diagnostics.ts';
import { SIGNATURE_FILE, verifyManifestSignature } from './sign.ts';

/** State of one file of a bundle. */
export interface VerifiedFile {
  path: string;
  status: 'ok' | 'changed' | 'missing' | 'extra';
  expected?: { sha256: string; bytes: number };
  actual?: { sha256: string; bytes: number };
}

/** Result of {@link verifyBundle}. `ok` is true only when every listed output matches, nothing is extra, and a requested signature check passed. */
export interface VerifyResult {
  ok: boolean;
  files: VerifiedFile[];
  signature: 'valid' | 'invalid' | 'missing' | 'not-checked';
  diagnostics: Diagnostic[];
}

const MANIFEST = 'manifest.json';

/** Every regular file under `dir`, as `/`-separated relative paths, symlinks reported not followed. */
async function listFiles(dir: string): Promise<{ files: string[]; links: string[] }> {
  const files: string[] = [];
  const links: string[] = [];
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      const rel = relative(dir, p).split(sep).join('/');
      if (e.isSymbolicLink()) links.push(rel);
      else if (e.isDirectory()) await walk(p);
      else if (e.isFile()) files.push(rel);
    }
  };
  await walk(dir);
  return { files: files.sort(), links: links.sort() };
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** A manifest path must stay inside the bundle: relative, no `..`, no backslashes, no NUL. */
const safeRelative = (p: string) => p.length > 0 && !p.startsWith('/') && !/^[A-Za-z]:/.test(p) && !p.includes('\\') && !p.includes('\0') && !p.split('/').some((s) => s === '..' || s === '');

/**
 * Check a build or diff output directory against its `manifest.json`: recompute the sha256 and size
 * of every listed output, report missing, changed and extra files (symlinks are never followed and
 * count as extra), and, when a public key is given, check `manifest.json.sig`. Reads files only.
 *
 * Diagnostic codes: `verify/no-manifest`, `verify/bad-manifest`, `verify/missing`, `verify/changed`,
 * `verify/extra`, `verify/signature-missing`, `verify/signature-invalid`.
 */
export async function verifyBundle(dir: string, options: { publicKeyPem?: string | Uint8Array } = {}): Promise<VerifyResult> {
  const diagnostics: Diagnostic[] = [];
  const file = (p: string) => join(dir, ...p.split('/'));
  let manifestBytes: Buffer;
  try {
    manifestBytes = await readFile(file(MANIFEST));
  } catch {
    return {
      ok: false, files: [], signature: 'not-checked',
      diagnostics: [diag('verify/no-manifest', 'error', `no ${MANIFEST} in ${dir}`, { file: dir, expected: 'a build or diff output directory', fix: 'pass the --out directory of auditmark build or diff' })],
    };
  }
  let outputs: Array<{ path: string; sha256: string; bytes: number }>;
  try {
    const m = JSON.parse(manifestBytes.toString('utf8')) as { outputs?: unknown };
    if (!Array.isArray(m.outputs)) throw new Error('outputs is not an array');
    outputs = m.outputs.map((o, i) => {
      const x = o as { path?: unknown; sha256?: unknown; bytes?: unknown };
      if (typeof x.path !== 'string' || !safeRelative(x.path) || typeof x.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(x.sha256) || !Number.isInteger(x.bytes)) {
        throw new Error(`outputs/${i} needs a relative path inside the bundle, a sha256 hex digest and an integer size`);
      }
      return { path: x.path, sha256: x.sha256, bytes: x.bytes as number };
    });
  } catch (e) {
    return {
      ok: false, files: [], signature: 'not-checked',
      diagnostics: [diag('verify/bad-manifest', 'error', `${MANIFEST} is not a valid manifest: ${(e as Error).message}`, { file: file(MANIFEST), pointer: '/outputs', expected: 'schemas/manifest.schema.json' })],
    };
  }

  const files: VerifiedFile[] = [];
  const listed = new Set<string>([MANIFEST, SIGNATURE_FILE]);
  for (const o of outputs) {
    listed.add(o.path);
    const expected = { sha256: o.sha256, bytes: o.bytes };
    let bytes: Buffer;
    try {
      const st = await lstat(file(o.path));
      if (!st.isFile()) throw new Error('not a regular file');
      bytes = await readFile(file(o.path));
    } catch {
      files.push({ path: o.path, status: 'missing', expected });
      diagnostics.push(diag('verify/missing', 'error', `${o.path} is listed in ${MANIFEST} but missing`, { file: file(o.path) }));
      continue;
    }
    const actual = { sha256: sha256(bytes), bytes: bytes.length };
    if (actual.sha256 === o.sha256 && actual.bytes === o.bytes) {
      files.push({ path: o.path, status: 'ok', expected, actual });
    } else {
      files.push({ path: o.path, status: 'changed', expected, actual });
      diagnostics.push(diag('verify/changed', 'error', `${o.path} changed: sha256 ${actual.sha256.slice(0, 16)}… (${actual.bytes} bytes), manifest says ${o.sha256.slice(0, 16)}… (${o.bytes} bytes)`, { file: file(o.path) }));
    }
  }
  const present = await listFiles(dir);
  const unlisted = [...present.files.filter((p) => !listed.has(p)), ...present.links].sort();
  for (const p of unlisted) {
    files.push({ path: p, status: 'extra' });
    diagnostics.push(diag('verify/extra', 'error', `${p} is in the bundle but not listed in ${MANIFEST}`, { file: file(p), fix: 'remove it, or rebuild the bundle' }));
  }

  let signature: VerifyResult['signature'] = 'not-checked';
  if (options.publicKeyPem !== undefined) {
    let sigText: string | undefined;
    try {
      sigText = await readFile(file(SIGNATURE_FILE), 'utf8');
    } catch {
      sigText = undefined;
    }
    if (sigText === undefined) {
      signature = 'missing';
      diagnostics.push(diag('verify/signature-missing', 'error', `a key was given but ${SIGNATURE_FILE} is missing`, { file: file(SIGNATURE_FILE), fix: 'build with --sign <private key> to sign the bundle' }));
    } else {
      const check = verifyManifestSignature(manifestBytes, sigText, options.publicKeyPem);
      signature = check.ok ? 'valid' : 'invalid';
      if (!check.ok) diagnostics.push(diag('verify/signature-invalid', 'error', check.message, { file: file(SIGNATURE_FILE) }));
    }
  }
  const ok = files.every((f) => f.status === 'ok') && (signature === 'valid' || signature === 'not-checked');
  return { ok, files, signature, diagnostics };
}
