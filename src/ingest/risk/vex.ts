/**
 * VEX documents (`--vex`): OpenVEX (0.2, and the 0.0.x form with string products) and
 * CycloneDX 1.4–1.6 JSON (`vulnerabilities[].analysis`), normalised into {@link VexStatement}s.
 * Pure: bytes in, statements and located diagnostics out.
 *
 * CycloneDX analysis states map onto the OpenVEX statuses as CycloneDX and CISA document it:
 * `resolved` and `resolved_with_pedigree` → fixed, `exploitable` → affected, `in_triage` →
 * under_investigation, `false_positive` and `not_affected` → not_affected. The CycloneDX word is
 * kept in `rawStatus`, and justifications stay in the document's own vocabulary.
 */
import { createHash } from 'node:crypto';
import { diag, pointer, type Diagnostic } from '../../model/diagnostics.ts';
import type { Limits } from '../../model/limits.ts';
import { imageName, parsePurl } from '../../model/purl.ts';
import type { VexDocument, VexProduct, VexStatement, VexStatus } from '../../model/risk.ts';
import { isObject } from '../reader.ts';
import { readJsonValue, text } from './json-input.ts';

type Obj = Record<string, unknown>;

const OPENVEX_STATUS: readonly VexStatus[] = ['not_affected', 'affected', 'fixed', 'under_investigation'];

const CDX_STATE: Readonly<Record<string, VexStatus>> = {
  resolved: 'fixed',
  resolved_with_pedigree: 'fixed',
  exploitable: 'affected',
  in_triage: 'under_investigation',
  false_positive: 'not_affected',
  not_affected: 'not_affected',
};

/** A parsed VEX file, or nothing with the reasons. */
export interface VexParsed {
  document?: VexDocument;
  diagnostics: Diagnostic[];
}

/** Read one VEX file (OpenVEX or CycloneDX, detected from its content). */
export function parseVex(bytes: Uint8Array, file: string, limits: Pick<Limits, 'maxInputBytes' | 'maxJsonDepth'>): VexParsed {
  const json = readJsonValue(bytes, file, limits, 'vex/invalid');
  if (!json.ok) return { diagnostics: json.diagnostics };
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const v = json.value;
  if (isObject(v) && typeof v['@context'] === 'string' && /^https:\/\/openvex\.dev\/ns/.test(v['@context'])) return openVex(v, file, sha256);
  if (isObject(v) && v.bomFormat === 'CycloneDX') return cycloneDx(v, file, sha256);
  return {
    diagnostics: [diag('vex/invalid', 'error', 'not a VEX document: no OpenVEX @context and no CycloneDX bomFormat', {
      file, pointer: '', expected: 'an OpenVEX document ("@context": "https://openvex.dev/ns/v0.2.0") or CycloneDX JSON ("bomFormat": "CycloneDX") with vulnerabilities[]',
      fix: 'pass the VEX document itself (vexctl, Trivy, Dependency-Track and cdxgen write these)',
    })],
  };
}

function invalid(file: string, ptr: string, message: string, expected: string): Diagnostic {
  return diag('vex/invalid', 'error', message, { file, pointer: ptr, expected, fix: 'correct the statement in the VEX document, or regenerate it with its tool' });
}

function namedProduct(id: string): VexProduct {
  const purl = parsePurl(id);
  if (purl) return { id, purl };
  const name = imageName(id);
  return name ? { id, name } : { id };
}

/** An OpenVEX product: a string (0.0.x) or `{@id, identifiers{purl}, subcomponents[]}`. */
function openVexProduct(p: unknown): VexProduct | undefined {
  if (typeof p === 'string' && p.trim() !== '') return namedProduct(p.trim());
  if (!isObject(p)) return undefined;
  const identifiers = isObject(p.identifiers) ? p.identifiers : {};
  const id = text(p['@id']) ?? text(identifiers.purl) ?? text(identifiers.cpe23) ?? text(identifiers.cpe22);
  if (id === undefined) return undefined;
  const product: VexProduct = namedProduct(id);
  const purl = parsePurl(text(p['@id'])) ?? parsePurl(text(identifiers.purl));
  if (purl) {
    product.purl = purl;
    delete product.name;
  }
  const subs = Array.isArray(p.subcomponents) ? p.subcomponents.map(openVexProduct).filter((s): s is VexProduct => s !== undefined) : [];
  if (subs.length > 0) product.subcomponents = subs;
  return product;
}

function openVex(doc: Obj, file: string, sha256: string): VexParsed {
  const diagnostics: Diagnostic[] = [];
  if (!Array.isArray(doc.statements)) return { diagnostics: [invalid(file, '/statements', 'OpenVEX document without a statements array', 'statements: [...]')] };
  const author = text(doc.author);
  const timestamp = text(doc.last_updated) ?? text(doc.timestamp);
  const statements: VexStatement[] = [];
  doc.statements.forEach((s, i) => {
    const ptr = pointer('statements', i);
    if (!isObject(s)) {
      diagnostics.push(invalid(file, ptr, `statement ${i} is not an object`, 'an OpenVEX statement object'));
      return;
    }
    const vuln = s.vulnerability;
    const vo = isObject(vuln) ? vuln : {};
    const name = typeof vuln === 'string' ? text(vuln) : text(vo.name) ?? text(vo['@id']);
    if (name === undefined) {
      diagnostics.push(invalid(file, `${ptr}/vulnerability`, `statement ${i} names no vulnerability`, 'vulnerability: { "name": "CVE-…" }'));
      return;
    }
    const status = text(s.status);
    if (status === undefined || !(OPENVEX_STATUS as readonly string[]).includes(status)) {
      diagnostics.push(invalid(file, `${ptr}/status`, `statement ${i} (${name}) has status ${status === undefined ? 'missing' : `"${status}"`}`, OPENVEX_STATUS.join(', ')));
      return;
    }
    const rawProducts = Array.isArray(s.products) ? s.products : [];
    const products = rawProducts.map(openVexProduct);
    const bad = products.findIndex((p) => p === undefined);
    if (bad >= 0) {
      diagnostics.push(invalid(file, `${ptr}/products/${bad}`, `statement ${i} (${name}): product ${bad} has no @id`, 'a product id (usually a purl) as a string or {"@id": …}'));
      return;
    }
    const st: VexStatement = {
      file, format: 'openvex', pointer: ptr, vulnerability: name,
      aliases: Array.isArray(vo.aliases) ? vo.aliases.map(text).filter((a): a is string => a !== undefined) : [],
      products: products as VexProduct[], status: status as VexStatus,
    };
    const optional: Array<[keyof VexStatement, unknown]> = [
      ['justification', s.justification], ['impactStatement', s.impact_statement], ['actionStatement', s.action_statement], ['statusNotes', s.status_notes],
    ];
    for (const [k, val] of optional) {
      const t = text(val);
      if (t !== undefined) (st as unknown as Obj)[k] = t;
    }
    const by = text(s.supplier) ?? author;
    if (by !== undefined) st.author = by;
    const at = text(s.last_updated) ?? text(s.timestamp) ?? timestamp;
    if (at !== undefined) st.timestamp = at;
    if (st.status === 'not_affected' && st.justification === undefined && st.impactStatement === undefined) {
      diagnostics.push(diag('vex/not-affected-unjustified', 'warning', `statement ${i} (${name}) is not_affected without justification or impact_statement`, {
        file, pointer: ptr, expected: 'justification or impact_statement', fix: 'add a justification such as vulnerable_code_not_in_execute_path',
      }));
    }
    statements.push(st);
  });
  if (diagnostics.some((d) => d.level === 'error')) return { diagnostics };
  const document: VexDocument = { file, sha256, format: 'openvex', statements };
  const id = text(doc['@id']);
  if (id !== undefined) document.id = id;
  if (author !== undefined) document.author = author;
  if (timestamp !== undefined) document.timestamp = timestamp;
  if (doc.version !== undefined && doc.version !== null) document.version = String(doc.version);
  return { document, diagnostics };
}

/** Every component of a BOM by bom-ref (nested components included): its purl and name, for refs that are not purls. */
function componentsByRef(doc: Obj): Map<string, { purl?: string; name?: string }> {
  const out = new Map<string, { purl?: string; name?: string }>();
  const walk = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const c of list) {
      if (!isObject(c)) continue;
      const ref = text(c['bom-ref']);
      if (ref !== undefined) out.set(ref, { purl: text(c.purl), name: text(c.name) });
      walk(c.components);
    }
  };
  if (isObject(doc.metadata) && isObject(doc.metadata.component)) walk([doc.metadata.component]);
  walk(doc.components);
  return out;
}

/** `urn:cdx:<serial>/<version>#<bom-ref>` (BOM-Link) → the bom-ref; anything else as it is. */
function bomRefOf(ref: string): string {
  const m = /^urn:cdx:[^#]+#(.+)$/.exec(ref);
  if (!m) return ref;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return m[1]!;
  }
}

function cdxAuthor(doc: Obj): string | undefined {
  const meta = isObject(doc.metadata) ? doc.metadata : {};
  const authors = Array.isArray(meta.authors) ? meta.authors.filter(isObject).map((a) => text(a.name) ?? text(a.email)).filter((a): a is string => a !== undefined) : [];
  if (authors.length > 0) return authors.join(', ');
  const org = isObject(meta.supplier) ? text(meta.supplier.name) : undefined;
  return org ?? (isObject(meta.manufacture) ? text(meta.manufacture.name) : undefined) ?? (isObject(meta.manufacturer) ? text(meta.manufacturer.name) : undefined);
}

function cycloneDx(doc: Obj, file: string, sha256: string): VexParsed {
  const diagnostics: Diagnostic[] = [];
  const spec = text(doc.specVersion);
  if (spec === undefined || !/^1\.([4-9]|\d{2,})$/.test(spec)) {
    return { diagnostics: [invalid(file, '/specVersion', `CycloneDX specVersion ${spec ?? 'missing'}: vulnerabilities with analysis exist from 1.4`, '"specVersion": "1.4", "1.5" or "1.6"')] };
  }
  if (!Array.isArray(doc.vulnerabilities)) return { diagnostics: [invalid(file, '/vulnerabilities', 'CycloneDX document without a vulnerabilities array: it carries no VEX statement', 'vulnerabilities: [...] with analysis')] };
  const refs = componentsByRef(doc);
  const author = cdxAuthor(doc);
  const docTime = isObject(doc.metadata) ? text(doc.metadata.timestamp) : undefined;
  const statements: VexStatement[] = [];
  doc.vulnerabilities.forEach((v, i) => {
    const ptr = pointer('vulnerabilities', i);
    if (!isObject(v)) {
      diagnostics.push(invalid(file, ptr, `vulnerability ${i} is not an object`, 'a CycloneDX vulnerability object'));
      return;
    }
    // A vulnerability without analysis is a disclosure (VDR), not a VEX statement.
    if (!isObject(v.analysis)) return;
    const id = text(v.id);
    if (id === undefined) {
      diagnostics.push(invalid(file, `${ptr}/id`, `vulnerability ${i} has no id`, '"id": "CVE-…"'));
      return;
    }
    const a = v.analysis;
    const state = text(a.state);
    if (state === undefined || !Object.prototype.hasOwnProperty.call(CDX_STATE, state)) {
      diagnostics.push(invalid(file, `${ptr}/analysis/state`, `vulnerability ${i} (${id}) has analysis state ${state === undefined ? 'missing' : `"${state}"`}`, Object.keys(CDX_STATE).join(', ')));
      return;
    }
    const products: VexProduct[] = [];
    (Array.isArray(v.affects) ? v.affects : []).forEach((af) => {
      const ref = isObject(af) ? text(af.ref) : undefined;
      if (ref === undefined) return;
      const bomRef = bomRefOf(ref);
      const component = refs.get(bomRef);
      const purl = parsePurl(bomRef) ?? parsePurl(component?.purl);
      // A component without a purl (often the document's own subject, metadata.component) is the product scanned: matched by name against the scan target.
      products.push(purl ? { id: ref, purl } : component?.name ? { id: ref, name: component.name.toLowerCase() } : { id: ref });
    });
    const status = CDX_STATE[state]!;
    const st: VexStatement = {
      file, format: 'cyclonedx', pointer: ptr, vulnerability: id,
      aliases: (Array.isArray(v.references) ? v.references : []).map((r) => (isObject(r) ? text(r.id) : undefined)).filter((r): r is string => r !== undefined),
      products, status, rawStatus: state,
    };
    const justification = text(a.justification);
    if (justification !== undefined) st.justification = justification;
    const detail = text(a.detail);
    if (detail !== undefined) {
      if (status === 'not_affected') st.impactStatement = detail;
      else st.statusNotes = detail;
    }
    const response = Array.isArray(a.response) ? a.response.map(text).filter((r): r is string => r !== undefined) : [];
    const advice = text(v.recommendation) ?? text(v.workaround);
    if (response.length > 0 || advice !== undefined) st.actionStatement = [response.join(', '), advice].filter((x) => x).join(': ');
    if (author !== undefined) st.author = author;
    const at = text(a.lastUpdated) ?? text(a.firstIssued) ?? text(v.updated) ?? text(v.published) ?? docTime;
    if (at !== undefined) st.timestamp = at;
    statements.push(st);
  });
  if (diagnostics.some((d) => d.level === 'error')) return { diagnostics };
  const document: VexDocument = { file, sha256, format: 'cyclonedx', statements };
  const serial = text(doc.serialNumber);
  if (serial !== undefined) document.id = serial;
  if (author !== undefined) document.author = author;
  if (docTime !== undefined) document.timestamp = docTime;
  if (doc.version !== undefined && doc.version !== null) document.version = String(doc.version);
  return { document, diagnostics };
}
