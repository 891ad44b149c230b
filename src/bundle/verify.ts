import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { diag, type Diagnostic } from '../model/diagnostics.ts';
import { terminalName } from '../model/sanitize-terminal.ts';
import { ATTESTATION_FILE, openEnvelope } from './attest.ts';
import { SIGNATURE_FILE, verifyManifestSignature } from './sign.ts';

/** State of one file of a bundle. */
export interface VerifiedFile {
  path: string;
  /** `not-a-file`: a FIFO, directory, device or symlink stands where a regular file was listed. */
  status: 'ok' | 'changed' | 'missing' | 'not-a-file' | 'extra';
  expected?: { sha256: string; bytes: number };
  /** What is on disk; `sha256` is absent when the size already differed (the file was not read). */
  actual?: { sha256?: string; bytes: number };
}

/**
 * How far a signature-bearing file was checked. `valid`: it verifies with the given key.
 * `wrong-key`: it was made by another key. `invalid`: malformed, or it does not match what it signs.
 * `missing`: a key was given but the file is absent. `not-checked`: present, but no key was given.
 * `unsigned`: absent and no key was given.
 */
export type SignatureState = 'valid' | 'wrong-key' | 'invalid' | 'missing' | 'not-checked' | 'unsigned';

/**
 * Result of {@link verifyBundle}. `ok` is true only when every listed output is a regular file with
 * the listed bytes, nothing is extra, and every check asked for passed. `ok` with `signature`
 * `unsigned` or `not-checked` proves internal consistency only: anyone can rewrite an unsigned
 * manifest, and an unchecked signature proves nothing.
 */
export interface VerifyResult {
  ok: boolean;
  files: VerifiedFile[];
  /** `manifest.json.sig`. */
  signature: SignatureState;
  /** `manifest.intoto.jsonl`; `unsigned` also when a signed bundle predates attestations. */
  attestation: SignatureState;
  /** Fingerprint of the key the bundle verified with (`sha256:…`), when `signature` is `valid`. */
  signer?: string;
  diagnostics: Diagnostic[];
}

const MANIFEST = 'manifest.json';
/** Files of a bundle that the manifest cannot list because they are made from it. */
const COMPANIONS = new Set([MANIFEST, SIGNATURE_FILE, ATTESTATION_FILE]);
/** The manifest and the signature files are small; a bigger one is not a bundle file. */
const MAX_META_BYTES = 64 * 1024 * 1024;

/** A manifest path must stay inside the bundle: relative, no `..`, no backslashes, no NUL. */
const safeRelative = (p: string) => p.length > 0 && !p.startsWith('/') && !/^[A-Za-z]:/.test(p) && !p.includes('\\') && !p.includes('\0') && !p.split('/').some((s) => s === '..' || s === '' || s === '.');

const q = terminalName;

type Opened = { kind: 'file'; bytes: number; sha256?: string; content?: Buffer } | { kind: 'missing' } | { kind: 'not-a-file'; what: string };

/**
 * Open one bundle file without following symlinks (none of its parent folders either) and without
 * blocking on a FIFO: only a regular file is read. `expectBytes` skips hashing when the size
 * already differs; `keep` returns the content (manifest and signatures, bounded).
 */
async function openInBundle(dir: string, rel: string, opts: { expectBytes?: number; keep?: boolean } = {}): Promise<Opened> {
  const parts = rel.split('/');
  for (let i = 1; i < parts.length; i++) {
    const st = await lstat(join(dir, ...parts.slice(0, i))).catch(() => undefined);
    if (!st) return { kind: 'missing' };
    if (!st.isDirectory()) return { kind: 'not-a-file', what: `reached through ${st.isSymbolicLink() ? 'a symlink' : 'a non-directory'} ${parts.slice(0, i).join('/')}` };
  }
  let fh;
  try {
    fh = await open(join(dir, ...parts), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'missing' };
    if (code === 'ELOOP') return { kind: 'not-a-file', what: 'a symlink' };
    return { kind: 'not-a-file', what: `unreadable (${code ?? 'error'})` };
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) return { kind: 'not-a-file', what: st.isDirectory() ? 'a directory' : st.isFIFO() ? 'a FIFO' : st.isSocket() ? 'a socket' : 'a device or special file' };
    if (opts.expectBytes !== undefined && st.size !== opts.expectBytes) return { kind: 'file', bytes: st.size };
    if (opts.keep && st.size > MAX_META_BYTES) return { kind: 'not-a-file', what: `over ${MAX_META_BYTES} bytes` };
    const hash = createHash('sha256');
    const chunks: Buffer[] = [];
    const buf = Buffer.alloc(1 << 20);
    let total = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
      if (opts.keep) chunks.push(Buffer.from(buf.subarray(0, bytesRead)));
      total += bytesRead;
    }
    return { kind: 'file', bytes: total, sha256: hash.digest('hex'), ...(opts.keep ? { content: Buffer.concat(chunks) } : {}) };
  } finally {
    await fh.close();
  }
}

/** Everything under `dir` that is not a folder, as `/`-separated paths with what it is; `skip` folders are not entered. */
async function listEntries(dir: string, skip: ReadonlySet<string>): Promise<Array<{ path: string; what: string }>> {
  const out: Array<{ path: string; what: string }> = [];
  const walk = async (rel: string) => {
    for (const e of await readdir(rel ? join(dir, ...rel.split('/')) : dir, { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!skip.has(p)) await walk(p);
      } else out.push({ path: p, what: e.isFile() ? 'file' : e.isSymbolicLink() ? 'symlink' : e.isFIFO() ? 'FIFO' : e.isSocket() ? 'socket' : 'special file' });
    }
  };
  await walk('');
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

type ManifestOutput = { path: string; sha256: string; bytes: number };

function parseManifest(bytes: Buffer): { outputs: ManifestOutput[] } | { problem: string; pointer: string } {
  let m: { outputs?: unknown };
  try {
    m = JSON.parse(bytes.toString('utf8')) as { outputs?: unknown };
  } catch {
    return { problem: 'not JSON', pointer: '' };
  }
  if (!m || typeof m !== 'object' || !Array.isArray(m.outputs)) return { problem: 'outputs is not an array', pointer: '/outputs' };
  const outputs: ManifestOutput[] = [];
  const seen = new Set<string>();
  for (const [i, o] of (m.outputs as unknown[]).entries()) {
    const x = (o ?? {}) as { path?: unknown; sha256?: unknown; bytes?: unknown };
    if (typeof x.path !== 'string' || !safeRelative(x.path) || typeof x.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(x.sha256) || !Number.isInteger(x.bytes) || (x.bytes as number) < 0) {
      return { problem: `outputs/${i} needs a relative path inside the bundle, a sha256 hex digest and an integer size`, pointer: `/outputs/${i}` };
    }
    if (COMPANIONS.has(x.path)) return { problem: `outputs/${i} lists ${q(x.path)}, which a manifest cannot list`, pointer: `/outputs/${i}/path` };
    if (seen.has(x.path)) return { problem: `outputs/${i} lists ${q(x.path)} a second time`, pointer: `/outputs/${i}/path` };
    seen.add(x.path);
    outputs.push({ path: x.path, sha256: x.sha256, bytes: x.bytes as number });
  }
  return { outputs };
}

/** Parse the `--key` given to verify; a wrong key is bad input, reported before anything is read. */
function loadPublicKey(pem: string | Uint8Array): { key?: KeyObject; diagnostic?: Diagnostic } {
  let key: KeyObject;
  try {
    key = createPublicKey(typeof pem === 'string' ? pem : Buffer.from(pem));
  } catch {
    return { diagnostic: diag('verify/bad-key', 'error', 'the verification key is not a readable public key (PEM)', { expected: 'an ed25519 public key in PEM (SPKI)', fix: 'export it with: openssl pkey -in key.pem -pubout -out pub.pem' }) };
  }
  if (key.asymmetricKeyType !== 'ed25519') return { diagnostic: diag('verify/bad-key', 'error', `the verification key is ${key.asymmetricKeyType ?? 'not asymmetric'}, not ed25519`, { expected: 'an ed25519 public key in PEM (SPKI)', fix: 'pass the public half of the key the bundle was signed with' }) };
  return { key };
}

/**
 * Check a build or diff output directory against its `manifest.json`: every listed output must be
 * a regular file (never a FIFO, directory or symlink, and never reached through one) with the
 * listed sha256 and size; anything else in the folder is extra. With a public key, check
 * `manifest.json.sig` and the in-toto attestation `manifest.intoto.jsonl` (DSSE signature, and
 * every subject digest against the files); without one, say so. Reads files only.
 *
 * Each problem is named once, for the one file it is about, with a stable code (README
 * "Diagnostic codes", `verify/…`).
 */
export async function verifyBundle(dir: string, options: { publicKeyPem?: string | Uint8Array } = {}): Promise<VerifyResult> {
  const at = (p: string) => join(dir, ...p.split('/'));
  const fail = (d: Diagnostic): VerifyResult => ({ ok: false, files: [], signature: 'unsigned', attestation: 'unsigned', diagnostics: [d] });
  let key: KeyObject | undefined;
  if (options.publicKeyPem !== undefined) {
    const k = loadPublicKey(options.publicKeyPem);
    if (!k.key) return fail(k.diagnostic!);
    key = k.key;
  }
  const m = await openInBundle(dir, MANIFEST, { keep: true });
  if (m.kind === 'missing') return fail(diag('verify/no-manifest', 'error', `no ${MANIFEST} in ${q(dir)}`, { file: dir, expected: 'a build or diff output directory', fix: 'pass the --out directory of auditmark build or diff' }));
  if (m.kind === 'not-a-file') return fail(diag('verify/bad-manifest', 'error', `${MANIFEST} is ${m.what}, not a regular file`, { file: at(MANIFEST), expected: 'a regular file' }));
  const manifestBytes = m.content!;
  const parsed = parseManifest(manifestBytes);
  if ('problem' in parsed) return fail(diag('verify/bad-manifest', 'error', `${MANIFEST} is not a valid manifest: ${parsed.problem}`, { file: at(MANIFEST), pointer: parsed.pointer, expected: 'schemas/manifest.schema.json' }));

  const diagnostics: Diagnostic[] = [];
  const files: VerifiedFile[] = [];
  /** sha256 of each file that matches the manifest (and of the manifest), for the attestation check. */
  const good = new Map<string, string>([[MANIFEST, m.sha256!]]);
  for (const o of parsed.outputs) {
    const expected = { sha256: o.sha256, bytes: o.bytes };
    const f = await openInBundle(dir, o.path, { expectBytes: o.bytes });
    if (f.kind === 'missing') {
      files.push({ path: o.path, status: 'missing', expected });
      diagnostics.push(diag('verify/missing', 'error', `${q(o.path)} is listed in ${MANIFEST} but missing`, { file: at(o.path), fix: 'restore it from the original bundle, or rebuild' }));
    } else if (f.kind === 'not-a-file') {
      files.push({ path: o.path, status: 'not-a-file', expected });
      diagnostics.push(diag('verify/not-a-file', 'error', `${q(o.path)} is listed in ${MANIFEST} but is ${f.what}, not a regular file`, { file: at(o.path), fix: 'replace it with the original file, or rebuild' }));
    } else if (f.sha256 === o.sha256 && f.bytes === o.bytes) {
      files.push({ path: o.path, status: 'ok', expected, actual: { sha256: f.sha256, bytes: f.bytes } });
      good.set(o.path, f.sha256);
    } else {
      files.push({ path: o.path, status: 'changed', expected, actual: { ...(f.sha256 ? { sha256: f.sha256 } : {}), bytes: f.bytes } });
      const now = f.sha256 ? `sha256 ${f.sha256.slice(0, 16)}… (${f.bytes} bytes)` : `${f.bytes} bytes`;
      diagnostics.push(diag('verify/changed', 'error', `${q(o.path)} changed: ${now}, ${MANIFEST} says sha256 ${o.sha256.slice(0, 16)}… (${o.bytes} bytes)`, { file: at(o.path), fix: 'restore the original file, or rebuild the bundle' }));
    }
  }
  const listed = new Set(parsed.outputs.map((o) => o.path));
  for (const e of await listEntries(dir, listed)) {
    // A companion that is not a regular file is reported when it is opened, below.
    if (listed.has(e.path) || COMPANIONS.has(e.path)) continue;
    files.push({ path: e.path, status: 'extra' });
    diagnostics.push(diag('verify/extra', 'error', `${q(e.path)} (${e.what}) is in the bundle but not listed in ${MANIFEST}`, { file: at(e.path), fix: 'remove it, or rebuild the bundle' }));
  }

  const sig = await checkSignature(dir, manifestBytes, key, diagnostics);
  if (sig.sha256) good.set(SIGNATURE_FILE, sig.sha256);
  const attestation = await checkAttestation(dir, key, sig.state, good, listed, diagnostics);
  const ok = files.every((f) => f.status === 'ok') && !diagnostics.some((d) => d.level === 'error');
  return { ok, files, signature: sig.state, attestation, ...(sig.state === 'valid' && sig.signer ? { signer: sig.signer } : {}), diagnostics };
}

/** `manifest.json.sig`: checked with the key, or reported as not checked / absent. */
async function checkSignature(dir: string, manifestBytes: Buffer, key: KeyObject | undefined, diagnostics: Diagnostic[]): Promise<{ state: SignatureState; sha256?: string; signer?: string }> {
  const file = join(dir, SIGNATURE_FILE);
  const s = await openInBundle(dir, SIGNATURE_FILE, { keep: true });
  if (s.kind === 'not-a-file') {
    diagnostics.push(diag('verify/not-a-file', 'error', `${SIGNATURE_FILE} is ${s.what}, not a regular file`, { file, fix: 'replace it with the original signature, or rebuild with --sign' }));
    return { state: 'invalid' };
  }
  if (s.kind === 'missing') {
    if (key) {
      diagnostics.push(diag('verify/signature-missing', 'error', `a key was given but ${SIGNATURE_FILE} is missing: nothing proves who made this bundle`, { file, fix: 'build with --sign <private key> to sign the bundle' }));
      return { state: 'missing' };
    }
    diagnostics.push(diag('verify/unsigned', 'info', `the bundle is unsigned: matching hashes prove internal consistency only, since anyone can rewrite ${MANIFEST} together with the files`, { file, fix: 'build with --sign <private key>, then verify with --key <public key>' }));
    return { state: 'unsigned' };
  }
  if (!key) {
    diagnostics.push(diag('verify/signature-not-checked', 'warning', `${SIGNATURE_FILE} is present but was NOT checked: no --key was given, so the hashes prove internal consistency only`, { file, fix: 'pass --key <the signer\'s public key (PEM)>' }));
    return { state: 'not-checked', sha256: s.sha256 };
  }
  const check = verifyManifestSignature(manifestBytes, s.content!.toString('utf8'), key.export({ type: 'spki', format: 'pem' }));
  if (check.ok) return { state: 'valid', sha256: s.sha256, signer: check.keyFingerprint };
  if (check.reason === 'wrong-key') {
    diagnostics.push(diag('verify/wrong-key', 'error', `the signature does not match this key: ${check.message}`, { file, fix: 'verify with the signer\'s public key' }));
    return { state: 'wrong-key', sha256: s.sha256 };
  }
  diagnostics.push(diag('verify/signature-invalid', 'error', check.message, { file, fix: 'the manifest or its signature was altered: restore the original bundle, or rebuild and re-sign' }));
  return { state: 'invalid', sha256: s.sha256 };
}

/**
 * `manifest.intoto.jsonl`: the DSSE signature with the key, then every subject against the file it
 * names. A file already reported (changed, missing, not a file) is not reported again here.
 */
async function checkAttestation(
  dir: string, key: KeyObject | undefined, signature: SignatureState, good: ReadonlyMap<string, string>, listed: ReadonlySet<string>, diagnostics: Diagnostic[],
): Promise<SignatureState> {
  const file = join(dir, ATTESTATION_FILE);
  const a = await openInBundle(dir, ATTESTATION_FILE, { keep: true });
  if (a.kind === 'not-a-file') {
    diagnostics.push(diag('verify/not-a-file', 'error', `${ATTESTATION_FILE} is ${a.what}, not a regular file`, { file, fix: 'replace it with the original attestation, or rebuild with --sign' }));
    return 'invalid';
  }
  if (a.kind === 'missing') {
    // Bundles signed before attestations existed carry only manifest.json.sig, which covers every file.
    if (key && signature !== 'missing') diagnostics.push(diag('verify/attestation-missing', 'warning', `${ATTESTATION_FILE} is missing: the bundle is signed, but has no in-toto attestation`, { file, fix: 'rebuild with --sign to get one' }));
    return key && signature !== 'missing' ? 'missing' : 'unsigned';
  }
  const env = openEnvelope(a.content!.toString('utf8'), key);
  if (!env.ok) {
    diagnostics.push(diag('verify/attestation-invalid', 'error', `${ATTESTATION_FILE} is not a valid auditmark attestation: ${env.problem}`, { file, fix: 'restore the original attestation, or rebuild with --sign' }));
    return 'invalid';
  }
  if (env.signature === 'wrong-key') {
    diagnostics.push(diag('verify/wrong-key', 'error', `the attestation does not match this key: signed by key ${env.keyids.map(q).join(', ')}`, { file, fix: 'verify with the signer\'s public key' }));
    return 'wrong-key';
  }
  if (env.signature === 'invalid') {
    diagnostics.push(diag('verify/signature-invalid', 'error', 'the DSSE signature does not match the attestation: the statement was altered or the signature corrupted', { file, fix: 'restore the original attestation, or rebuild and re-sign' }));
    return 'invalid';
  }
  if (env.signature === 'not-checked') {
    diagnostics.push(diag('verify/signature-not-checked', 'warning', `${ATTESTATION_FILE} is present but its signature was NOT checked: no --key was given`, { file, fix: 'pass --key <the signer\'s public key (PEM)>' }));
  }
  const named = new Set<string>();
  const mismatch = (message: string) => diagnostics.push(diag('verify/attestation-mismatch', 'error', message, { file, fix: 'the attestation is not the one made with these files: restore the original bundle, or rebuild with --sign' }));
  for (const s of env.statement.subject) {
    named.add(s.name);
    if (!safeRelative(s.name) || s.name === ATTESTATION_FILE || (!listed.has(s.name) && s.name !== 'manifest.json' && s.name !== SIGNATURE_FILE)) {
      mismatch(`subject ${q(s.name)} is not a file of this bundle`);
      continue;
    }
    const actual = good.get(s.name);
    // Not in `good`: already reported as changed, missing or not a file.
    if (actual !== undefined && actual !== s.digest.sha256) mismatch(`subject ${q(s.name)} has sha256 ${s.digest.sha256.slice(0, 16)}…, the file has ${actual.slice(0, 16)}…`);
  }
  for (const p of [...listed, 'manifest.json', ...(good.has(SIGNATURE_FILE) ? [SIGNATURE_FILE] : [])]) {
    if (!named.has(p)) mismatch(`the attestation does not cover ${q(p)}`);
  }
  return env.signature;
}
