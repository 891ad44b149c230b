/**
 * The bundle's in-toto attestation: an in-toto Statement v1 whose subjects are every file of the
 * bundle with its sha256, carried in a DSSE envelope signed with the same ed25519 key as
 * `manifest.json.sig`, written as one JSON line to `manifest.intoto.jsonl`. Pure: keys and bytes
 * arrive as data.
 *
 * Why DSSE and not a second detached signature: DSSE binds the payload type into what is signed
 * (PAE), so the statement cannot be replayed as another kind of document, and cosign, in-toto and
 * the sigstore libraries verify it without knowing auditmark.
 */
import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import type { StatusReason } from '../model/reasons.ts';
import type { OverallStatus } from '../model/report.ts';
import { publicKeyFingerprint } from './sign.ts';
import type { OutputFile } from './write.ts';

/** File name of the attestation, next to `manifest.json`. */
export const ATTESTATION_FILE = 'manifest.intoto.jsonl';
/** `_type` of an in-toto Statement v1. */
export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
/** DSSE `payloadType` of an in-toto statement. */
export const DSSE_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
/** auditmark's predicate; its schema is documented in the README ("Attestations"). */
export const PREDICATE_TYPE = 'https://auditmark.dev/attestation/audit-report/v1';

/** The predicate of {@link PREDICATE_TYPE}: what the bundle was made from and what it concluded. */
export interface AuditPredicate {
  kind: 'report' | 'diff' | 'history';
  documentId: string;
  /** The build's clock (`SOURCE_DATE_EPOCH`), ISO-8601 UTC. */
  created: string;
  generator: { name: 'auditmark'; version: string };
  template: { id: string; version: string; ref: string };
  /** Every input with its sha256 and size, as in `manifest.json`. */
  inputs: Array<{ path: string; kind: string; sha256: string; bytes: number; documentId?: string }>;
  /** Mapping data editions (OWASP Top 10 2021/2025, …) with their source. */
  mappingData: Array<{ name: string; edition: string; source: string }>;
  /** Scanner tools and versions seen in the inputs. */
  tools: Array<{ name: string; version?: string }>;
  /** Chromium version, when a PDF was printed. */
  chromium?: string;
  /** The overall status and its typed reasons (for a diff: the current side's; for a history: the last release's). */
  status: { overall: OverallStatus; reasons: StatusReason[] };
  /** Every `--fail-on` gate with its verdict, in the order given. */
  gates: Array<{ gate: string; failed: boolean; reason: string }>;
}

/** One subject of the statement. */
export interface Subject {
  name: string;
  digest: { sha256: string };
}

/** An in-toto Statement v1 with auditmark's predicate. */
export interface Statement {
  _type: typeof STATEMENT_TYPE;
  subject: Subject[];
  predicateType: typeof PREDICATE_TYPE;
  predicate: AuditPredicate;
}

/** A DSSE envelope. */
export interface Envelope {
  payloadType: string;
  payload: string;
  signatures: Array<{ keyid?: string; sig: string }>;
}

/**
 * DSSE's pre-authentication encoding: `"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`, the
 * lengths as ASCII decimal byte counts, the body as raw bytes. This, not the payload, is signed.
 */
export function preAuthEncoding(payloadType: string, payload: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `, 'ascii'), type, Buffer.from(` ${payload.byteLength} `, 'ascii'), payload]);
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const byName = (a: Subject, b: Subject) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The statement over `files` (every file of the bundle but the attestation), subjects sorted by name. */
export function buildStatement(files: readonly OutputFile[], predicate: AuditPredicate): Statement {
  return {
    _type: STATEMENT_TYPE,
    subject: files.map((f) => ({ name: f.name, digest: { sha256: sha256(f.bytes) } })).sort(byName),
    predicateType: PREDICATE_TYPE,
    predicate,
  };
}

/**
 * Sign a statement into a DSSE envelope with an ed25519 private key, as one JSON line (the
 * `.intoto.jsonl` convention: one envelope a line). `keyid` is the key's fingerprint
 * (`sha256:` + hex of its DER public key), the same one `manifest.json.sig` names.
 */
export function signStatement(statement: Statement, key: KeyObject): Uint8Array {
  const payload = Buffer.from(JSON.stringify(statement), 'utf8');
  const sig = sign(null, preAuthEncoding(DSSE_PAYLOAD_TYPE, payload), key).toString('base64');
  const envelope: Envelope = { payloadType: DSSE_PAYLOAD_TYPE, payload: payload.toString('base64'), signatures: [{ keyid: publicKeyFingerprint(key), sig }] };
  return Buffer.from(JSON.stringify(envelope) + '\n', 'utf8');
}

/** What {@link openEnvelope} found. */
export type EnvelopeCheck =
  | { ok: false; problem: string }
  | {
      ok: true;
      statement: { subject: Subject[]; predicateType: string; predicate: unknown };
      /** `valid`: a signature verifies with the key; `wrong-key`: signed by another key (per `keyid`); `invalid`: does not verify; `not-checked`: no key given. */
      signature: 'valid' | 'wrong-key' | 'invalid' | 'not-checked';
      /** The key fingerprints the envelope names (unauthenticated hints). */
      keyids: string[];
    };

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;
const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Read `manifest.intoto.jsonl`: exactly one DSSE envelope of an in-toto statement with auditmark's
 * predicate, its signatures checked against `publicKey` when given. The statement's shape is
 * checked whether or not a key is given; subject names are returned as they are (the caller decides
 * what a safe name is and compares digests with the files).
 */
export function openEnvelope(text: string, publicKey?: KeyObject): EnvelopeCheck {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length !== 1) return { ok: false, problem: `expected one DSSE envelope (one JSON line), found ${lines.length} lines` };
  let env: unknown;
  try {
    env = JSON.parse(lines[0]!);
  } catch {
    return { ok: false, problem: 'the envelope is not JSON' };
  }
  const e = env as Partial<Record<keyof Envelope, unknown>>;
  if (!env || typeof env !== 'object' || Array.isArray(env)) return { ok: false, problem: 'the envelope is not a JSON object' };
  if (e.payloadType !== DSSE_PAYLOAD_TYPE) return { ok: false, problem: `payloadType is ${JSON.stringify(e.payloadType)}, not ${DSSE_PAYLOAD_TYPE}` };
  if (typeof e.payload !== 'string' || !BASE64.test(e.payload)) return { ok: false, problem: 'payload is not a base64 string' };
  const sigs = Array.isArray(e.signatures) ? (e.signatures as unknown[]) : [];
  const parsedSigs = sigs.filter((s): s is { keyid?: string; sig: string } => !!s && typeof s === 'object' && typeof (s as { sig?: unknown }).sig === 'string' && BASE64.test((s as { sig: string }).sig));
  if (parsedSigs.length === 0 || parsedSigs.length !== sigs.length) return { ok: false, problem: 'signatures must be a non-empty array of {keyid, sig} with base64 sig' };
  const payload = Buffer.from(e.payload, 'base64');
  const keyids = parsedSigs.map((s) => (typeof s.keyid === 'string' ? s.keyid : '')).filter(Boolean);

  let signature: 'valid' | 'wrong-key' | 'invalid' | 'not-checked' = 'not-checked';
  if (publicKey) {
    const pae = preAuthEncoding(DSSE_PAYLOAD_TYPE, payload);
    const good = parsedSigs.some((s) => verify(null, pae, publicKey, Buffer.from(s.sig, 'base64')));
    const fp = publicKeyFingerprint(publicKey);
    // keyid is only a hint (DSSE does not sign it); it decides the wording, never the verdict.
    signature = good ? 'valid' : keyids.length > 0 && !keyids.includes(fp) ? 'wrong-key' : 'invalid';
  }
  let statement: unknown;
  try {
    statement = JSON.parse(payload.toString('utf8'));
  } catch {
    return { ok: false, problem: 'the payload is not JSON' };
  }
  const s = statement as { _type?: unknown; subject?: unknown; predicateType?: unknown; predicate?: unknown };
  if (!statement || typeof statement !== 'object' || s._type !== STATEMENT_TYPE) return { ok: false, problem: `the payload is not an in-toto Statement v1 (_type ${STATEMENT_TYPE})` };
  if (s.predicateType !== PREDICATE_TYPE) return { ok: false, problem: `predicateType is ${JSON.stringify(s.predicateType)}, not ${PREDICATE_TYPE}` };
  if (!Array.isArray(s.subject) || s.subject.length === 0) return { ok: false, problem: 'the statement has no subject' };
  const subject: Subject[] = [];
  for (const [i, x] of (s.subject as unknown[]).entries()) {
    const o = x as { name?: unknown; digest?: { sha256?: unknown } };
    if (!o || typeof o.name !== 'string' || typeof o.digest?.sha256 !== 'string' || !HEX64.test(o.digest.sha256)) {
      return { ok: false, problem: `subject/${i} needs a name and a sha256 hex digest` };
    }
    subject.push({ name: o.name, digest: { sha256: o.digest.sha256 } });
  }
  return { ok: true, statement: { subject, predicateType: s.predicateType, predicate: s.predicate }, signature, keyids };
}
