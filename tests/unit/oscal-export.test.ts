import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.ts';
import { build } from '../../src/pipeline.ts';
import { riskStatus, toOscal } from '../../src/render/oscal.ts';
import { SHIPPED_TEMPLATES_DIR, loadTemplates } from '../../src/bundle/templates-fs.ts';
import { planBuild } from '../../src/plan.ts';
import { reportFromRuns } from '../helpers/report-from-runs.ts';

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;
const SCHEMA_FILE = new URL('../../schemas/vendor/oscal-1.1.2-assessment-results.json', import.meta.url);
const schemaBytes = readFileSync(SCHEMA_FILE);
// NIST's schema uses \p{L} in patterns: ajv's default unicode regexps are needed (and strict off for its `$id`s in definitions).
const ajv = new Ajv({ allErrors: true, strict: false });
(addFormats as unknown as (a: Ajv) => Ajv)(ajv);
const validate = ajv.compile(JSON.parse(schemaBytes.toString('utf8')));

function valid(doc: unknown): true {
  if (!validate(doc)) throw new Error(JSON.stringify(validate.errors?.slice(0, 5), null, 2));
  return true;
}

type Json = Record<string, any>;

/** Every `uuid` defined and every UUID referenced (by key name or `#uuid` href) in a document. */
function uuids(doc: unknown): { defined: string[]; referenced: string[] } {
  const defined: string[] = [], referenced: string[] = [];
  const walk = (v: unknown, key?: string) => {
    if (Array.isArray(v)) return v.forEach((x) => walk(x, key));
    if (v && typeof v === 'object') return Object.entries(v).forEach(([k, x]) => walk(x, k));
    if (typeof v !== 'string') return;
    if (key === 'uuid') defined.push(v);
    else if (key && /-uuids?$/.test(key)) referenced.push(v);
    else if (key === 'href' && v.startsWith('#')) referenced.push(v.slice(1));
  };
  walk(doc);
  return { defined, referenced };
}

describe('report.oscal.json of the example', () => {
  let work: string;
  let doc: Json;
  let report: Report;
  let bytes: [Buffer, Buffer];
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'auditmark-oscal-'));
    const examples = new URL('../../examples/', import.meta.url).pathname;
    const run = (out: string) => build({
      scans: [join(examples, 'scans/bandit.json'), join(examples, 'scans/pip-audit.json')],
      checklist: join(examples, 'checklist-state.yaml'), config: join(examples, 'auditmark.config.yaml'),
      formats: ['json', 'oscal'], out: join(work, out), env: { SOURCE_DATE_EPOCH: '1767225600' },
    });
    const [a, b] = await Promise.all([run('a'), run('b')]);
    expect([a.exitCode, b.exitCode]).toEqual([0, 0]);
    bytes = [readFileSync(join(work, 'a', 'report.oscal.json')), readFileSync(join(work, 'b', 'report.oscal.json'))];
    doc = JSON.parse(bytes[0].toString('utf8'));
    report = JSON.parse(readFileSync(join(work, 'a', 'report.json'), 'utf8'));
  }, 120_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('the vendored schema is NIST\'s v1.1.2 release asset, byte for byte', () => {
    expect(createHash('sha256').update(schemaBytes).digest('hex')).toBe('d033da70154cf6625ae46a746199e88e58f2928b1387dfac051d381b92f41b0d');
    expect(schemaBytes.byteLength).toBe(133_015);
  });

  it('validates against NIST\'s OSCAL 1.1.2 assessment-results schema', () => {
    expect(valid(doc)).toBe(true);
    expect(doc['assessment-results'].metadata['oscal-version']).toBe('1.1.2');
  });

  it('is byte-identical across two builds, every UUID an RFC 4122 v5 UUID, unique, and every reference resolves', () => {
    expect(bytes[0].equals(bytes[1])).toBe(true);
    const { defined, referenced } = uuids(doc);
    for (const u of defined) expect(u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(defined).size).toBe(defined.length);
    const known = new Set(defined);
    expect(referenced.filter((r) => !known.has(r))).toEqual([]);
    expect(referenced.length).toBeGreaterThan(report.findings.length * 2);
  });

  it('every finding is one observation and one risk, with its fingerprint, severity, CWE and status', () => {
    const r = doc['assessment-results'].results[0];
    const fp = (x: Json) => x.props?.find((p: Json) => p.name === 'fingerprint')?.value;
    const scanObs = r.observations.filter((o: Json) => o.types.includes('finding'));
    expect(scanObs.map(fp)).toEqual(report.findings.map((f) => f.fingerprint));
    expect(r.risks.map(fp)).toEqual(report.findings.map((f) => f.fingerprint));
    for (const [i, f] of report.findings.entries()) {
      const risk = r.risks[i];
      expect(risk.status).toBe(riskStatus(f));
      expect(risk.characterizations[0].facets[0]).toEqual({ name: 'severity', system: 'https://auditmark.dev/ns/oscal', value: f.severity });
      expect(risk.props.filter((p: Json) => p.name === 'cwe').map((p: Json) => p.value)).toEqual(f.cwe);
      expect(risk['related-observations']).toEqual([{ 'observation-uuid': scanObs[i].uuid }]);
      if (f.status === 'waived') expect(risk.deadline).toBe(`${f.waiver!.expires}T00:00:00.000Z`);
      else expect(risk.deadline).toBeUndefined();
      if (f.package?.fixedVersions.length) expect(risk.remediations[0].description).toContain(f.package.fixedVersions[0]);
    }
    expect(r.risks.filter((x: Json) => x.status === 'deviation-approved')).toHaveLength(report.findings.filter((f) => f.status === 'waived').length);
    expect(report.findings.some((f) => f.status === 'waived')).toBe(true);
  });

  it('checklist items are findings against their objectives; attestations are observations by the attesting party', () => {
    const r = doc['assessment-results'].results[0];
    const items = report.checklist!.items;
    expect(r.findings.map((f: Json) => f.target['target-id'])).toEqual(items.map((i) => i.id));
    for (const [i, item] of items.entries()) {
      expect(r.findings[i].target.status.state).toBe(item.status === 'pass' ? 'satisfied' : 'not-satisfied');
      const related = (r.findings[i]['related-observations'] ?? []).map((o: Json) => o['observation-uuid']);
      const obs = r.observations.filter((o: Json) => related.includes(o.uuid));
      expect(obs.filter((o: Json) => o.methods.includes('EXAMINE'))).toHaveLength(item.attestation ? 1 : 0);
      expect(obs.filter((o: Json) => o.methods.includes('TEST'))).toHaveLength(item.findings.length);
    }
    const parties = new Map(doc['assessment-results'].metadata.parties.map((p: Json) => [p.uuid, p.name]));
    const attested = items.find((i) => i.attestation)!;
    const obs = r.observations.find((o: Json) => o.props?.some((p: Json) => p.name === 'checklist-item-id' && p.value === attested.id));
    expect(parties.get(obs.origins[0].actors[0]['actor-uuid'])).toBe(attested.attestation!.by);
  });

  it('inputs are back-matter resources with their SHA-256', () => {
    const res = doc['assessment-results']['back-matter'].resources;
    for (const i of report.inputs) {
      const r = res.find((x: Json) => x.title === i.path);
      expect(r.rlinks[0].hashes).toEqual([{ algorithm: 'SHA-256', value: i.sha256 }]);
    }
    expect(doc['assessment-results']['import-ap'].href).toMatch(/^#/);
  });
});

describe('OSCAL from hostile report data', () => {
  it('multi-line and padded values, ids that are not OSCAL tokens, dates without a zone: still valid', () => {
    const base = reportFromRuns([{
      tool: { name: 'bandit' }, format: 'bandit-json', source: { path: 'scans/my scan#1.json', sha256: 'a'.repeat(64) }, notScanned: [], startedAt: '2025-06-06T21:03:32',
      findings: [{ fingerprint: 'v1:aa', tool: 'bandit', kind: 'code', ruleId: '  B602\n', title: '\n', message: 'line one\n\n  # line two  ', severity: 'high', rawSeverity: '  ', cwe: ['CWE-78'], aliases: ['CVE-2024-0001'], references: [], pointer: '/results/0', location: { path: 'a b/c.py', startLine: 3 }, suppressions: [{ kind: 'inSource', status: 'accepted', justification: 'nosec\nreviewed' }] }],
    }], { documentVersion: ' \n', distributedBy: '\tOrg\n' }, () => ({ status: 'suppressed' }));
    const report: Report = {
      ...base,
      checklist: {
        id: 'c', version: '1', items: [
          { id: '1.2 bad id', title: 't', owasp: [], basis: 'attested', status: 'stale', reason: { code: 'attestation-stale', args: { status: 'pass', by: ' ', at: '2026-02-30', ageDays: 400, maxEvidenceAgeDays: 365, staleSince: '2027-02-28' } }, findings: ['v1:aa', 'v1:unknown'], attestation: { status: 'pass', by: ' ', at: '2026-02-30', evidence: [{ file: 'e.txt', sha256: 'b'.repeat(64) }, { link: 'javascript:alert(1)' }] } },
          { id: '1_2_bad_id', title: 't2', owasp: [], basis: 'none', status: 'pending', reason: { code: 'no-attestation', args: {} }, findings: [] },
        ],
      },
    };
    const doc = JSON.parse(toOscal(report));
    expect(valid(doc)).toBe(true);
    const r = doc['assessment-results'].results[0];
    expect(r.risks[0].status).toBe('deviation-requested');
    expect(r.risks[0]['threat-ids'][0].href).toBe('https://www.cve.org/CVERecord?id=CVE-2024-0001');
    expect(r.findings.map((f: Json) => f.target['target-id'])).toEqual(['_1.2_bad_id', '_1_2_bad_id']);
    expect(r.observations[0].collected).toBe('2026-01-01T00:00:00.000Z');
    const evidence = r.observations.find((o: Json) => o.methods.includes('EXAMINE'))['relevant-evidence'];
    expect(evidence.map((e: Json) => e.href?.startsWith('#') ?? 'no href')).toEqual([true, 'no href']);
    expect(toOscal(report)).toBe(toOscal(report));
  });

  it('riskStatus: waived is an approved deviation, an in-source suppression a requested one, the rest open', () => {
    expect(['open', 'waived', 'suppressed'].map((status) => riskStatus({ status: status as 'open' }))).toEqual(['open', 'deviation-approved', 'deviation-requested']);
  });

  it('riskStatus: a VEX statement decides first (closed, investigating, remediating); a contradicted fixed stays open', () => {
    const vex = (status: 'not_affected' | 'affected' | 'fixed' | 'under_investigation', extra = {}) => ({ status, format: 'openvex' as const, file: 'v.json', pointer: '/statements/0', ...extra });
    expect(riskStatus({ status: 'not_affected', vex: vex('not_affected') })).toBe('closed');
    expect(riskStatus({ status: 'open', vex: vex('under_investigation') })).toBe('investigating');
    expect(riskStatus({ status: 'waived', vex: vex('under_investigation') })).toBe('investigating');
    expect(riskStatus({ status: 'open', vex: vex('affected', { actionStatement: 'upgrade' }) })).toBe('remediating');
    expect(riskStatus({ status: 'open', vex: vex('affected') })).toBe('open');
    expect(riskStatus({ status: 'open', vex: vex('fixed', { contradicted: true }) })).toBe('open');
  });
});

describe('report.oscal.json with risk context (VEX, SLA)', () => {
  it('VEX states become risk statuses with the statement in the description; SLA due dates become deadlines; the document stays valid', () => {
    const { templates } = loadTemplates([SHIPPED_TEMPLATES_DIR]);
    const raw = (rel: string) => ({ file: `tests/fixtures/risk/${rel}`, bytes: readFileSync(new URL(`../fixtures/risk/${rel}`, import.meta.url)) });
    const r = planBuild({
      templates, now: new Date('2026-12-01T08:00:00Z'), auditmarkVersion: 'test', scans: [raw('grype/defectdojo-check-kev-date.json')],
      overrides: { policy: { sla: { critical: '7d', high: '30d', medium: '90d', low: '180d' } } }, risk: { vex: [raw('vex/authored-openvex-0.2.json')] },
    });
    const report = r.plan!.report;
    const doc = JSON.parse(toOscal(report)) as Json;
    expect(valid(doc)).toBe(true);
    const risks = doc['assessment-results'].results[0].risks as Json[];
    const byFp = (fp: string) => risks.find((x) => x.props.some((p: Json) => p.name === 'fingerprint' && p.value === fp))!;
    const notAffected = report.findings.find((f) => f.status === 'not_affected')!;
    expect(byFp(notAffected.fingerprint).status).toBe('closed');
    expect(byFp(notAffected.fingerprint).description).toContain('VEX not_affected stated by auditmark tests');
    const due = report.findings.find((f) => f.status === 'open' && f.sla)!;
    expect(byFp(due.fingerprint).deadline).toBe(`${due.sla!.due}T00:00:00.000Z`);
  });
});
