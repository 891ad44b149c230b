/**
 * VEX statements applied to findings. A statement applies to a finding when the vulnerability
 * is the same (its id or an alias equals the finding's rule id, an alias, or an alias of the
 * finding's OSV advisory) and — whenever the statement names products — a product matches the
 * finding's package. Never by id alone when the statement names a product.
 *
 * Products are matched by purl (type, namespace, name, and version when the product has one;
 * qualifiers ignored, see `src/model/purl.ts`). A product with subcomponents is matched through
 * its subcomponents; an OCI image product must also be the image the scan ran on (the last path
 * segment of the run's target equals the purl name). A product that is not a package but names
 * the thing scanned (an image reference, a CycloneDX document's own subject component) matches
 * the findings of a run whose target has that name. Other ids (CPEs, URLs, bom-refs the document
 * does not resolve) cannot be compared with a scanned package and match nothing; such statements
 * are listed as unresolved.
 *
 * When several statements apply to one finding, the latest (statement timestamp, else the
 * document's) wins; equal times keep the later one given. `not_affected` makes the finding
 * `not_affected` (shown, not open); `fixed` on a finding the scan still reports is flagged as
 * contradicted and the finding stays open; `affected` and `under_investigation` keep it open.
 */
import { parseInstant } from '../model/dates.ts';
import { diag, type Diagnostic } from '../model/diagnostics.ts';
import { imageName, parsePurl, purlMatches, purlTypeOf } from '../model/purl.ts';
import type { ReportFinding } from '../model/report.ts';
import type { FindingVex, PurlParts, VexDocument, VexDocumentRecord, VexProduct, VexStatement, VexUnmatched } from '../model/risk.ts';

/** What applying VEX gives. */
export interface VexApplication {
  findings: ReportFinding[];
  documents: VexDocumentRecord[];
  unmatched: VexUnmatched[];
  contradicted: string[];
  diagnostics: Diagnostic[];
}

const ID_TOKEN = /\b(CVE-\d{4}-\d{4,}|GHSA(?:-[23456789cfghjmpqrvwx]{4}){3}|PYSEC-\d{4}-\d+|GO-\d{4}-\d+|RUSTSEC-\d{4}-\d+|OSV-\d{4}-\d+)\b/gi;

/** Upper-case ids a statement's vulnerability is known by (URL-style `@id`s reduced to the ids they contain). */
function statementIds(s: VexStatement): Set<string> {
  const out = new Set<string>();
  for (const raw of [s.vulnerability, ...s.aliases]) {
    out.add(raw.toUpperCase());
    for (const m of raw.matchAll(ID_TOKEN)) out.add(m[1]!.toUpperCase());
  }
  return out;
}

/** The finding's package as purl parts: its own purl, else ecosystem + name + version. */
export function findingPurl(f: ReportFinding): PurlParts | undefined {
  const pkg = f.package;
  if (!pkg) return undefined;
  const own = parsePurl(pkg.purl);
  if (own) return own;
  const type = purlTypeOf(pkg.ecosystem);
  if (!type) return undefined;
  let namespace: string | undefined;
  let name = pkg.name;
  // How each ecosystem spells a namespaced name in a report versus in a purl.
  if (type === 'maven' && name.includes(':')) [namespace, name] = [name.slice(0, name.lastIndexOf(':')), name.slice(name.lastIndexOf(':') + 1)];
  else if ((type === 'npm' && name.startsWith('@')) || type === 'golang') {
    const cut = name.lastIndexOf('/');
    if (cut > 0) [namespace, name] = [name.slice(0, cut), name.slice(cut + 1)];
  }
  const parts: PurlParts = { type, name };
  if (namespace) parts.namespace = namespace;
  if (pkg.version !== undefined) parts.version = pkg.version;
  return parts;
}

type Outcome = { matched: true; product?: string } | { matched: false; unresolved: boolean };

function productOutcome(products: readonly VexProduct[], pkg: PurlParts | undefined, target: string | undefined): Outcome {
  let unresolved = false;
  for (const p of products) {
    const image = p.purl && (p.purl.type === 'oci' || p.purl.type === 'docker');
    if (image && imageName(target) !== p.purl!.name.toLowerCase()) continue;
    const candidates = p.subcomponents?.length ? p.subcomponents : image ? [] : [p];
    if (image && candidates.length === 0) return { matched: true, product: p.id };
    for (const c of candidates) {
      if (!c.purl) {
        if (c.name === undefined) unresolved = true;
        else if (c.name === imageName(target)) return { matched: true, product: c.id };
        continue;
      }
      if (pkg && purlMatches(c.purl, pkg)) return { matched: true, product: c.id };
    }
  }
  return { matched: false, unresolved };
}

function vexState(s: VexStatement, product: string | undefined): FindingVex {
  const v: FindingVex = { status: s.status, format: s.format, file: s.file, pointer: s.pointer };
  for (const k of ['rawStatus', 'justification', 'impactStatement', 'actionStatement', 'statusNotes', 'author', 'timestamp'] as const) {
    if (s[k] !== undefined) v[k] = s[k];
  }
  if (product !== undefined) v.product = product;
  return v;
}

/**
 * Apply the statements of `documents` to `findings`. `extraIds[i]` are more ids finding `i` is
 * known by (its OSV advisory's id and aliases); `targets[run]` is each run's scan target.
 */
export function applyVex(
  findings: readonly ReportFinding[], documents: readonly VexDocument[], targets: readonly (string | undefined)[], extraIds: ReadonlyArray<readonly string[]> = [],
): VexApplication {
  const statements = documents.flatMap((d) => d.statements);
  if (statements.length === 0) return { findings: [...findings], documents: [], unmatched: [], contradicted: [], diagnostics: [] };
  const byId = new Map<string, number[]>();
  statements.forEach((s, k) => {
    for (const id of statementIds(s)) byId.set(id, [...(byId.get(id) ?? []), k]);
  });
  const hits = statements.map(() => 0);
  const sawId = statements.map(() => false);
  const unresolvedOnly = statements.map(() => false);
  const time = (s: VexStatement) => (s.timestamp !== undefined ? parseInstant(s.timestamp) ?? Number.NEGATIVE_INFINITY : Number.NEGATIVE_INFINITY);
  const diagnostics: Diagnostic[] = [];
  const contradicted: string[] = [];
  const out = findings.map((f, i) => {
    const ids = [f.ruleId, ...f.aliases, ...(extraIds[i] ?? [])].map((x) => x.toUpperCase());
    const ks = [...new Set(ids.flatMap((id) => byId.get(id) ?? []))].sort((a, b) => a - b);
    if (ks.length === 0) return f;
    const pkg = findingPurl(f);
    let best: { k: number; product?: string } | undefined;
    for (const k of ks) {
      const s = statements[k]!;
      sawId[k] = true;
      const o: Outcome = s.products.length === 0 ? { matched: true } : productOutcome(s.products, pkg, targets[f.run]);
      if (!o.matched) {
        if (o.unresolved) unresolvedOnly[k] = true;
        continue;
      }
      hits[k]!++;
      if (!best || time(s) >= time(statements[best.k]!)) best = o.product !== undefined ? { k, product: o.product } : { k };
    }
    if (!best) return f;
    const s = statements[best.k]!;
    const vex = vexState(s, best.product);
    const next: ReportFinding = { ...f, vex };
    if (s.status === 'not_affected' && f.status === 'open') next.status = 'not_affected';
    if (s.status === 'fixed') {
      vex.contradicted = true;
      contradicted.push(f.fingerprint);
      diagnostics.push(diag('vex/fixed-contradicted', 'warning', `${s.file} says ${s.vulnerability} is fixed${best.product ? ` in ${best.product}` : ''}, but ${f.tool} still finds it${f.package ? ` in ${f.package.name} ${f.package.version ?? ''}`.trimEnd() : ''} (${f.fingerprint})`, {
        file: s.file, pointer: s.pointer, fix: 'upgrade or rebuild what the scan found, or correct the statement',
      }));
    }
    return next;
  });
  const unmatched: VexUnmatched[] = [];
  statements.forEach((s, k) => {
    if (hits[k]! > 0) return;
    const code = unresolvedOnly[k] ? 'vex/unresolved-product' : sawId[k] ? 'vex/other-product' : 'vex/no-finding';
    const products = s.products.flatMap((p) => [p.id, ...(p.subcomponents ?? []).map((c) => c.id)]);
    unmatched.push({ file: s.file, pointer: s.pointer, vulnerability: s.vulnerability, products, status: s.status, reason: { code, args: { vulnerability: s.vulnerability } } });
    diagnostics.push(diag('vex/unmatched', 'info', `${s.vulnerability} (${s.status}) matches no finding${code === 'vex/other-product' ? ' in the products it names' : code === 'vex/unresolved-product' ? ': its products are not package URLs' : ''}`, {
      file: s.file, pointer: s.pointer,
    }));
  });
  let at = 0;
  const records = documents.map((d): VexDocumentRecord => {
    const n = d.statements.length;
    const matched = hits.slice(at, at + n).filter((h) => h > 0).length;
    at += n;
    const r: VexDocumentRecord = { file: d.file, sha256: d.sha256, format: d.format, statements: n, matched };
    if (d.id !== undefined) r.id = d.id;
    if (d.author !== undefined) r.author = d.author;
    if (d.timestamp !== undefined) r.timestamp = d.timestamp;
    return r;
  });
  return { findings: out, documents: records, unmatched, contradicted, diagnostics };
}
