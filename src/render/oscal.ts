/**
 * `report.oscal.json`: the report as an OSCAL 1.1.2 `assessment-results` document (NIST), valid
 * against NIST's published JSON Schema (`schemas/vendor/oscal-1.1.2-assessment-results.json`).
 * Pure: same report, same bytes. Every UUID is a v5 UUID of the document id and a stable key
 * (a fingerprint, a checklist item id, an input path), so two builds are byte-identical and the
 * same finding keeps its observation and risk UUIDs across releases of the same document.
 *
 * The mapping (README "OSCAL"): scanner findings → an observation (what the tool saw) plus a risk
 * (status from waiver/suppression state, severity as a facet, CWE and aliases, remediation and
 * deadline where known); checklist items → findings against objectives, their attestations →
 * observations by the attesting party; inputs, evidence files and mapping data → back-matter
 * resources with their SHA-256. OSCAL has no signature: integrity is the bundle's manifest,
 * `manifest.json.sig` and the in-toto attestation, which list this file too.
 */
import { v5 as uuidv5 } from 'uuid';
import type { ChecklistItemResult, Report, ReportFinding, RunSummary } from '../model/report.ts';
import type { Suppression } from '../model/types.ts';
import { checklistReasonText, statusReasonText } from './reason-text.ts';

/** OSCAL version the document conforms to (the vendored schema's). */
export const OSCAL_VERSION = '1.1.2';
/** Namespace of auditmark's own property names, facets and identifiers. */
export const OSCAL_NS = 'https://auditmark.dev/ns/oscal';
/** The v5 namespace all document UUIDs descend from (itself v5 of {@link OSCAL_NS} in the URL namespace). */
const ROOT_NAMESPACE = uuidv5(OSCAL_NS, uuidv5.URL);

type Json = Record<string, unknown>;
type Prop = { name: string; value: string; ns: string; class?: string };

/** OSCAL `StringDatatype` (`^\S(.*\S)?$`): one line, no outer whitespace; undefined when empty. */
function oneLine(value: string | undefined): string | undefined {
  const v = value?.replace(/\s+/g, ' ').trim();
  return v ? v : undefined;
}

function prop(name: string, value: string | number | boolean | undefined, cls?: string): Prop[] {
  const v = oneLine(value === undefined ? undefined : String(value));
  return v === undefined ? [] : [{ name, value: v, ns: OSCAL_NS, ...(cls ? { class: cls } : {}) }];
}

/** An array property only when non-empty (OSCAL arrays have `minItems: 1`). */
function some<T>(key: string, list: readonly T[]): Record<string, T[]> {
  return list.length > 0 ? { [key]: [...list] } : {};
}

const TIMEZONE = /(Z|[+-]\d{2}:\d{2})$/i;

/**
 * A timestamp as OSCAL's `DateTimeWithTimezoneDatatype`, always in UTC. A date alone (an
 * attestation's `at`) is that day's start in UTC; a timestamp without a time zone is not used,
 * because which instant it meant cannot be known.
 */
function dateTime(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  if (!dateOnly && !TIMEZONE.test(value)) return undefined;
  const t = Date.parse(dateOnly ? `${value}T00:00:00Z` : value);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/** An OSCAL token (`^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$`) from an id; the original id goes in a property. */
function token(id: string): string {
  const t = id.normalize('NFC').replace(/[^\p{L}\p{N}._-]/gu, '_');
  return /^[\p{L}_]/u.test(t) ? t : `_${t}`;
}

/** A relative or absolute path as a URI reference (each segment percent-encoded). */
function pathHref(path: string): string {
  const p = path.replace(/\\/g, '/');
  const encoded = p.split('/').map((s) => encodeURIComponent(s)).join('/');
  return p.startsWith('/') ? `file://${encoded}` : encoded;
}

/**
 * Risk status from what the report knows. A VEX statement decides first: `not_affected` (and a
 * `fixed` the scan does not contradict) → `closed`, `under_investigation` → `investigating`,
 * `affected` with an action statement → `remediating`. Then `waived` (an active waiver with
 * approver and expiry) is an approved deviation; `suppressed` (in-source: `# nosec`, `nosemgrep`,
 * a SARIF suppression) is a deviation the developer asked for and nobody approved; everything
 * else is open (a contradicted `fixed` and a bare `affected` included).
 */
export function riskStatus(f: Pick<ReportFinding, 'status'> & Partial<Pick<ReportFinding, 'vex'>>): 'open' | 'investigating' | 'remediating' | 'deviation-requested' | 'deviation-approved' | 'closed' {
  const vex = f.vex;
  if (f.status === 'not_affected' || (vex?.status === 'fixed' && !vex.contradicted)) return 'closed';
  if (vex?.status === 'under_investigation') return 'investigating';
  if (vex?.status === 'affected' && vex.actionStatement) return 'remediating';
  return f.status === 'waived' ? 'deviation-approved' : f.status === 'suppressed' ? 'deviation-requested' : 'open';
}

/**
 * The deadline of a risk, where one is known: an accepted risk must be resolved or accepted again
 * when its waiver expires; an open finding is due on its `policy.sla` date.
 */
function riskDeadline(f: ReportFinding): string | undefined {
  if (f.status === 'waived') return dateTime(f.waiver?.expires);
  return f.status === 'open' && f.sla ? dateTime(f.sla.due) : undefined;
}

/**
 * How a risk is characterised: auditmark's severity, the tool's own word for it. (CVSS scores and
 * vectors go here as facets of system `http://www.first.org/cvss/v3.1` / `…/v4.0`, EPSS and KEV as
 * facets of auditmark's namespace.)
 */
function riskFacets(f: ReportFinding): Json[] {
  return [
    { name: 'severity', system: OSCAL_NS, value: f.severity },
    ...(oneLine(f.rawSeverity) ? [{ name: 'tool-severity', system: OSCAL_NS, value: oneLine(f.rawSeverity) }] : []),
  ];
}

function where(f: ReportFinding): string | undefined {
  if (f.location?.path) return `${f.location.path}${f.location.startLine ? `:${f.location.startLine}` : ''}`;
  if (f.package) return `${f.package.name}${f.package.version ? ` ${f.package.version}` : ''}`;
  return undefined;
}

/** Export a report as OSCAL assessment results (JSON text, two-space indent, final newline). */
export function toOscal(report: Report): string {
  const docUuid = uuidv5(`document:${report.metadata.documentId}`, ROOT_NAMESPACE);
  const id = (kind: string, key: string) => uuidv5(`${kind}:${key}`, docUuid);
  const m = report.metadata;
  const created = dateTime(m.created) ?? new Date(0).toISOString();

  // Parties: the organisation that issues the report, each attester and each waiver approver.
  const parties = new Map<string, Json>();
  const party = (name: string, type: 'person' | 'organization'): string => {
    const n = oneLine(name) ?? 'unnamed';
    const uuid = id('party', `${type}:${n}`);
    if (!parties.has(uuid)) parties.set(uuid, { uuid, type, name: n });
    return uuid;
  };
  const issuer = oneLine(m.distributedBy ?? m.author);
  const issuerUuid = issuer ? party(issuer, 'organization') : undefined;
  const approvers = new Set<string>(), attesters = new Set<string>();

  // Tools as assessment components; auditmark itself as the platform that used them.
  const toolUuid = (run: RunSummary | undefined, tool: string) => id('tool', `${tool}@${run?.version ?? ''}`);
  const tools = new Map<string, Json>();
  for (const r of report.runs) {
    const uuid = toolUuid(r, r.tool);
    if (!tools.has(uuid)) {
      tools.set(uuid, {
        uuid, type: 'software', title: `${r.tool}${r.version ? ` ${r.version}` : ''}`,
        description: `Scanner whose output (${r.format}) this assessment reads.`,
        props: [...prop('tool', r.tool), ...prop('tool-version', r.version), ...prop('reader', r.format)],
        status: { state: 'operational' },
      });
    }
  }
  const auditmarkUuid = id('tool', `auditmark@${m.auditmarkVersion}`);
  const auditmark = { uuid: auditmarkUuid, type: 'software', title: `auditmark ${m.auditmarkVersion}`, description: 'Builds the audit report from scanner output and checklist state.', status: { state: 'operational' } };

  // Back matter: the (absent) assessment plan, every input, mapping data, evidence files.
  const resources: Json[] = [];
  const planUuid = id('resource', 'assessment-plan');
  resources.push({
    uuid: planUuid, title: 'Assessment plan (none in OSCAL)',
    description: `No OSCAL assessment plan exists for this assessment: its scope is the inputs below, its method the template ${m.template.id}@${m.template.version} and checklist ${report.checklist ? `${report.checklist.id}@${report.checklist.version}` : '(none)'} as evaluated by auditmark ${m.auditmarkVersion}.`,
  });
  const inputUuid = (path: string, kind: string) => id('input', `${kind}:${path}`);
  for (const i of report.inputs) {
    resources.push({
      uuid: inputUuid(i.path, i.kind), title: i.path, description: `Input (${i.kind}) of this assessment.`,
      props: prop('input-kind', i.kind),
      rlinks: [{ href: pathHref(i.path), hashes: [{ algorithm: 'SHA-256', value: i.sha256 }] }],
    });
  }
  for (const d of report.owasp.data) {
    resources.push({ uuid: id('mapping', `owasp:${d.edition}`), title: `OWASP Top 10 ${d.edition} CWE mapping`, description: `Mapping data used to place findings in OWASP Top 10 ${d.edition} categories; licence ${d.license}.`, citation: { text: d.source } });
  }
  const evidenceUuid = new Map<string, string>();
  for (const item of report.checklist?.items ?? []) {
    for (const e of item.attestation?.evidence ?? []) {
      if (!e.file || !e.sha256) continue;
      const uuid = id('evidence', `${e.file}:${e.sha256}`);
      if (evidenceUuid.has(uuid)) continue;
      evidenceUuid.set(uuid, e.file);
      resources.push({ uuid, title: e.file, description: 'Evidence file of a checklist attestation.', rlinks: [{ href: pathHref(e.file), hashes: [{ algorithm: 'SHA-256', value: e.sha256 }] }] });
    }
  }

  // Scanner findings: one observation and one risk each.
  const observations: Json[] = [];
  const risks: Json[] = [];
  const observationOf = (fp: string) => id('observation', fp);
  const riskOf = (fp: string) => id('risk', fp);
  for (const f of report.findings) {
    const run = report.runs[f.run];
    const actor = { actors: [{ type: 'tool', 'actor-uuid': toolUuid(run, f.tool) }] };
    const at = where(f);
    const findingProps = [
      ...prop('fingerprint', f.fingerprint), ...prop('tool', f.tool), ...prop('rule-id', f.ruleId), ...prop('kind', f.kind),
      ...prop('severity', f.severity), ...prop('location', at), ...prop('confidence', f.confidence),
      ...f.cwe.flatMap((c) => prop('cwe', c)), ...f.owasp.flatMap((o) => prop('owasp-top10', o)),
    ];
    observations.push({
      uuid: observationOf(f.fingerprint), title: f.title, description: f.message || f.title,
      ...some('props', findingProps),
      methods: ['TEST'], types: ['finding'], origins: [actor],
      ...(run ? { 'relevant-evidence': [{ href: `#${inputUuid(run.source.path, 'scan')}`, description: `${run.source.path}${f.pointer ? ` at ${f.pointer}` : ''}`, ...some('props', prop('json-pointer', f.pointer)) }] } : {}),
      collected: dateTime(run?.startedAt) ?? created,
    });
    const status = riskStatus(f);
    const deadline = riskDeadline(f);
    const fix = f.package && f.package.fixedVersions.length > 0 ? [{
      uuid: id('remediation', f.fingerprint), lifecycle: 'recommendation', title: `Upgrade ${f.package.name}`,
      description: `Upgrade ${f.package.name}${f.package.version ? ` ${f.package.version}` : ''} to ${f.package.fixedVersions.join(' or ')}.`,
      origins: [actor],
    }] : [];
    const waiverProps = f.waiver ? [
      ...prop('waiver-id', f.waiver.id), ...prop('waiver-approver', f.waiver.approver), ...prop('waiver-expires', f.waiver.expires),
      ...prop('waiver-state', f.waiver.expired ? 'expired' : 'active'),
    ] : [];
    if (f.waiver) approvers.add(party(f.waiver.approver, 'person'));
    // A threat id is a URI in OSCAL's schema: the CVE record's address names the CVE.
    const cves = [f.ruleId, ...f.aliases].filter((a) => /^CVE-\d{4}-\d+$/.test(a));
    const threatIds = cves.map((cve) => ({ system: 'http://cve.mitre.org', id: `https://www.cve.org/CVERecord?id=${cve}`, href: `https://www.cve.org/CVERecord?id=${cve}` }));
    const vex = f.vex ? `VEX ${f.vex.status}${f.vex.contradicted ? ' (contradicted: the scan still finds it)' : ''}${f.vex.author ? ` stated by ${f.vex.author}` : ''}${f.vex.timestamp ? ` on ${f.vex.timestamp}` : ''}${f.vex.justification ? `, justification ${f.vex.justification}` : ''}${f.vex.impactStatement ? `: ${f.vex.impactStatement}` : ''}${f.vex.actionStatement ? `; action: ${f.vex.actionStatement}` : ''} (${f.vex.file} at ${f.vex.pointer}).` : undefined;
    const remarks = f.status === 'not_affected' ? vex
      : f.status === 'waived' && f.waiver ? `Accepted by ${f.waiver.approver} under waiver ${f.waiver.id}: ${f.waiver.justification}`
      : f.status === 'suppressed' ? `Suppressed by the tool (${suppressionWords(f.suppressions)}); not reviewed by auditmark.`
      : f.waiver?.expired ? `Waiver ${f.waiver.id} expired${f.waiver.expires ? ` on ${f.waiver.expires}` : ''}; the risk is open again.` : vex;
    risks.push({
      // A risk has no remarks in OSCAL: why it is accepted or suppressed follows its description.
      uuid: riskOf(f.fingerprint), title: f.title, description: remarks ? `${f.message || f.title}\n\n${remarks}` : f.message || f.title,
      statement: `${f.severity} ${f.kind} finding of ${f.tool} rule ${f.ruleId}${at ? ` in ${at}` : ''}; status ${f.status} in the audit report.`,
      ...some('props', [...prop('fingerprint', f.fingerprint), ...prop('finding-status', f.status), ...f.cwe.flatMap((c) => prop('cwe', c)), ...cves.flatMap((c) => prop('cve', c)), ...waiverProps]),
      status, origins: [actor],
      ...some('threat-ids', threatIds),
      characterizations: [{ origin: actor, facets: riskFacets(f) }],
      ...(deadline ? { deadline } : {}),
      ...some('remediations', fix),
      'related-observations': [{ 'observation-uuid': observationOf(f.fingerprint) }],
    });
  }

  // Checklist items: findings against their objectives; attestations are observations by a party.
  const usedTokens = new Map<string, number>();
  const uniqueToken = (raw: string) => {
    const t = token(raw);
    const n = (usedTokens.get(t) ?? 0) + 1;
    usedTokens.set(t, n);
    return n === 1 ? t : `${t}_${n}`;
  };
  const known = new Set(report.findings.map((f) => f.fingerprint));
  const findings: Json[] = [];
  const objectives: Array<{ id: string; item: ChecklistItemResult }> = [];
  for (const item of report.checklist?.items ?? []) {
    const target = uniqueToken(item.id);
    objectives.push({ id: target, item });
    const related = item.findings.filter((fp) => known.has(fp));
    const obs = related.map((fp) => ({ 'observation-uuid': observationOf(fp) }));
    if (item.attestation) {
      const a = item.attestation;
      const attester = party(a.by, 'person');
      attesters.add(attester);
      const evidence = a.evidence.map((e) => {
        const fileUuid = e.file && e.sha256 ? id('evidence', `${e.file}:${e.sha256}`) : undefined;
        const href = fileUuid ? `#${fileUuid}` : e.link && /^https?:\/\//.test(e.link) ? e.link : undefined;
        return { ...(href ? { href } : {}), description: e.text ?? e.link ?? e.file ?? 'evidence', ...some('props', [...prop('evidence-file', e.file), ...prop('sha256', e.sha256)]) };
      });
      const uuid = id('attestation', item.id);
      observations.push({
        uuid, title: `Attestation: ${item.title}`, description: `${a.status} attested by ${a.by} on ${a.at}.`,
        props: [...prop('checklist-item-id', item.id), ...prop('attested-status', a.status)],
        methods: ['EXAMINE'], types: ['control-objective'],
        origins: [{ actors: [{ type: 'party', 'actor-uuid': attester, 'role-id': 'attester' }] }],
        ...some('relevant-evidence', evidence),
        collected: dateTime(a.at) ?? created,
        ...(dateTime(a.expires) ? { expires: dateTime(a.expires) } : {}),
      });
      obs.unshift({ 'observation-uuid': uuid });
    }
    const satisfied = item.status === 'pass';
    findings.push({
      uuid: id('checklist-finding', item.id), title: item.title, description: checklistReasonText(item.reason),
      props: [...prop('checklist-item-id', item.id), ...prop('basis', item.basis), ...prop('checklist-status', item.status), ...prop('section', item.section), ...item.owasp.flatMap((o) => prop('owasp-top10', o))],
      target: {
        type: 'objective-id', 'target-id': target, title: item.title,
        status: { state: satisfied ? 'satisfied' : 'not-satisfied', reason: satisfied ? 'pass' : item.status === 'fail' || item.status === 'contradicted' ? 'fail' : 'other', ...(satisfied || item.status === 'fail' ? {} : { remarks: `checklist status ${item.status}: ${checklistReasonText(item.reason)}` }) },
      },
      ...some('related-observations', obs),
      ...some('related-risks', related.map((fp) => ({ 'risk-uuid': riskOf(fp) }))),
    });
  }

  const starts = report.runs.map((r) => dateTime(r.startedAt)).filter((s): s is string => !!s).sort();
  const result: Json = {
    uuid: id('result', 'assessment'),
    title: m.title,
    description: `${m.purpose}. ${m.description}`.replace(/\.\.\s/, '. '),
    start: starts[0] && starts[0] < created ? starts[0] : created,
    end: created,
    props: [...prop('overall-status', report.status.overall), ...report.status.reasons.flatMap((r) => prop('status-reason', statusReasonText(r), r.code))],
    'local-definitions': {
      'assessment-assets': {
        components: [...tools.values(), auditmark],
        'assessment-platforms': [{ uuid: id('platform', 'auditmark'), title: `auditmark ${m.auditmarkVersion}`, 'uses-components': [...tools.keys(), auditmarkUuid].map((u) => ({ 'component-uuid': u })) }],
      },
    },
    'reviewed-controls': {
      description: 'auditmark assesses no control catalog: the objectives are the checklist items of the report, each a finding below.',
      'control-selections': [objectives.length > 0
        ? { description: `Checklist ${report.checklist!.id}@${report.checklist!.version}`, 'include-controls': objectives.map((o) => ({ 'control-id': o.id })) }
        : { description: 'No checklist was evaluated; the scanner findings are observations and risks only.' }],
    },
    ...some('observations', observations),
    ...some('risks', risks),
    ...some('findings', findings),
  };

  const roles = [
    { id: 'assessor', title: 'Assessor (issues this report)' },
    { id: 'attester', title: 'Attests checklist items' },
    { id: 'approver', title: 'Approves risk acceptances (waivers)' },
  ];
  const metadata: Json = {
    title: m.title,
    'last-modified': created,
    version: oneLine(m.documentVersion) ?? '1.0',
    'oscal-version': OSCAL_VERSION,
    'document-ids': [{ scheme: `${OSCAL_NS}/document-id`, identifier: m.documentId }],
    props: [
      ...prop('project', m.project), ...prop('app-version', m.appVersion), ...prop('classification', m.classification), ...prop('document-status', m.documentStatus),
      ...prop('template', `${m.template.id}@${m.template.version}`), ...prop('generator', `auditmark ${m.auditmarkVersion}`), ...prop('git-commit', m.git?.commit), ...prop('git-dirty', m.git?.dirty),
    ],
    ...some('links', m.repository && /^https?:\/\//.test(m.repository) ? [{ href: m.repository, rel: 'reference', text: 'Repository' }] : []),
    roles,
    ...some('parties', [...parties.values()]),
    ...some('responsible-parties', [
      ...(issuerUuid ? [{ 'role-id': 'assessor', 'party-uuids': [issuerUuid] }] : []),
      ...(attesters.size ? [{ 'role-id': 'attester', 'party-uuids': [...attesters] }] : []),
      ...(approvers.size ? [{ 'role-id': 'approver', 'party-uuids': [...approvers] }] : []),
    ]),
  };
  const doc = {
    'assessment-results': {
      uuid: docUuid,
      metadata,
      'import-ap': { href: `#${planUuid}`, remarks: 'Points at a back-matter resource: no OSCAL assessment plan exists.' },
      results: [result],
      'back-matter': { resources },
    },
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

/** The kinds and justifications of a finding's suppressions, in the tool's order, for a risk's description. */
function suppressionWords(suppressions: readonly Suppression[] | undefined): string {
  if (!suppressions?.length) return 'tool suppression';
  return suppressions.map((s) => `${s.kind}${s.status && s.status !== 'accepted' ? ` ${s.status}` : ''}${s.justification ? `: ${s.justification}` : ''}`).join('; ');
}
