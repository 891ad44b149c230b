import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseEpss } from '../../src/ingest/risk/epss.ts';
import { parseKev } from '../../src/ingest/risk/kev.ts';
import { folderSha256, parseOsvAdvisories, unzipOsv } from '../../src/ingest/risk/osv-advisories.ts';
import { parseVex } from '../../src/ingest/risk/vex.ts';
import { DEFAULT_LIMITS } from '../../src/model/limits.ts';

const R = new URL('../fixtures/risk/', import.meta.url);
const bytes = (p: string) => readFileSync(new URL(p, R));
const vex = (name: string) => parseVex(bytes(`vex/${name}`), name, DEFAULT_LIMITS);

describe('OpenVEX (real documents)', () => {
  it('reads the Aqua vexhub statements for the trivy images: products with subcomponents, justification and impact', () => {
    const r = vex('vexhub-trivy-oci.openvex.json');
    expect(r.diagnostics).toEqual([]);
    const d = r.document!;
    expect(d).toMatchObject({ format: 'openvex', author: 'Aqua Security', timestamp: '2024-07-10T12:17:44.60495+04:00', version: '1' });
    expect(d.statements).toHaveLength(7);
    const s = d.statements[0]!;
    expect(s).toMatchObject({ vulnerability: 'CVE-2023-42363', status: 'not_affected', justification: 'vulnerable_code_cannot_be_controlled_by_adversary', impactStatement: 'awk is not used', pointer: '/statements/0' });
    expect(s.products[0]!.purl).toEqual({ type: 'oci', name: 'trivy' });
    expect(s.products[0]!.subcomponents!.map((c) => c.purl)).toEqual([{ type: 'apk', namespace: 'alpine', name: 'busybox' }, { type: 'apk', namespace: 'alpine', name: 'busybox-binsh' }, { type: 'apk', namespace: 'alpine', name: 'ssl_client' }]);
  });

  it('reads the 0.0.x form (string products and vulnerability), giving image references a name to match targets by', () => {
    const d = vex('vexctl-images-v0.0.1.vex.json').document!;
    expect(d.statements.map((s) => [s.vulnerability, s.status, s.products[0]!.name ?? s.products[0]!.purl?.type])).toEqual([
      ['CVE-1234-5678', 'under_investigation', 'oci'],
      ['CVE-1234-5678', 'under_investigation', 'nginx'],
      ['CVE-1234-5678', 'under_investigation', 'kube-apiserver'],
      ['CVE-1234-5678', 'under_investigation', 'oci'],
    ]);
  });

  it('statement timestamps override the document timestamp; aliases are kept', () => {
    const d = vex('vexctl-sample-2vulns.openvex.json').document!;
    expect(d.statements[0]).toMatchObject({ timestamp: '2023-08-15T19:55:22.076684217-06:00', aliases: ['SNYK-DEBIAN12-LIBDE265-3361563'] });
    expect(d.statements[1]).toMatchObject({ status: 'fixed', timestamp: '2023-08-16T19:55:22.076684217-06:00' });
  });

  it('refuses what is not a VEX document, naming the file', () => {
    const r = vex('defectdojo-openvex-not-a-document.json');
    expect(r.document).toBeUndefined();
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'vex/invalid', level: 'error', file: 'defectdojo-openvex-not-a-document.json' })]);
  });

  it('locates an unknown status and a statement without vulnerability', () => {
    const doc = { '@context': 'https://openvex.dev/ns/v0.2.0', statements: [{ vulnerability: { name: 'CVE-2021-1' }, products: ['pkg:npm/a@1'], status: 'maybe' }, { products: [], status: 'fixed' }] };
    const r = parseVex(Buffer.from(JSON.stringify(doc)), 'x.json', DEFAULT_LIMITS);
    expect(r.document).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.code, d.pointer])).toEqual([['vex/invalid', '/statements/0/status'], ['vex/invalid', '/statements/1/vulnerability']]);
  });

  it('warns about not_affected without justification or impact statement (the specification requires one)', () => {
    const doc = { '@context': 'https://openvex.dev/ns/v0.2.0', statements: [{ vulnerability: { name: 'CVE-2021-1' }, products: [{ '@id': 'pkg:npm/a@1' }], status: 'not_affected' }] };
    const r = parseVex(Buffer.from(JSON.stringify(doc)), 'x.json', DEFAULT_LIMITS);
    expect(r.document?.statements).toHaveLength(1);
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'vex/not-affected-unjustified', level: 'warning', pointer: '/statements/0' })]);
  });
});

describe('CycloneDX VEX (real documents)', () => {
  it('maps every CISA use-case state onto the OpenVEX statuses, keeping the CycloneDX word', () => {
    const got = ['affected', 'fixed', 'not_affected', 'under_investigation'].map((s) => {
      const st = vex(`cyclonedx-1.4-cisa-case1-${s}.json`).document!.statements[0]!;
      return [st.rawStatus, st.status];
    });
    expect(got).toEqual([['exploitable', 'affected'], ['resolved', 'fixed'], ['not_affected', 'not_affected'], ['in_triage', 'under_investigation']]);
  });

  it('resolves the product a ref names: the BOM\'s own component by name, a BOM-Link to a purl', () => {
    const affected = vex('cyclonedx-1.4-cisa-case1-affected.json').document!.statements[0]!;
    expect(affected.products).toEqual([{ id: 'product-DEF', name: 'def' }]);
    expect(affected.actionStatement).toBe('will_not_fix, update');
    const link = vex('cyclonedx-1.4-bom-examples-vex.json').document!.statements[0]!;
    expect(link).toMatchObject({ vulnerability: 'CVE-2020-25649', status: 'not_affected', justification: 'code_not_reachable', aliases: ['SNYK-JAVA-COMFASTERXMLJACKSONCORE-1048302'] });
    expect(link.products[0]!.purl).toEqual({ type: 'maven', namespace: 'com.fasterxml.jackson.core', name: 'jackson-databind', version: '2.10.0' });
  });

  it('reads the in_triage log4j analysis of a scanner-made CycloneDX 1.4 BOM', () => {
    const d = vex('cyclonedx-1.4-defectdojo-log4j-in-triage.json').document!;
    expect(d.statements.map((s) => s.status)).toEqual(Array(8).fill('under_investigation'));
    expect(d.statements[0]!.products[0]!.purl).toEqual({ type: 'maven', namespace: 'org.apache.logging.log4j', name: 'log4j-core', version: '2.13.2' });
  });

  it('refuses a CycloneDX document older than 1.4 (no vulnerabilities with analysis exist there)', () => {
    const r = parseVex(Buffer.from(JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.3', components: [] })), 'old.json', DEFAULT_LIMITS);
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'vex/invalid', pointer: '/specVersion' })]);
  });
});

describe('CISA KEV catalog', () => {
  it('reads the catalog excerpt with its own version and release date', () => {
    const r = parseKev(bytes('kev/known_exploited_vulnerabilities-2025.08.25-excerpt.json'), 'kev.json', DEFAULT_LIMITS);
    expect(r.diagnostics).toEqual([]);
    expect(r.catalog).toMatchObject({ catalogVersion: '2025.08.25', date: '2025-08-25', title: 'CISA Catalog of Known Exploited Vulnerabilities' });
    expect([...r.catalog!.entries.keys()].sort()).toEqual(['CVE-2021-41773', 'CVE-2021-42013', 'CVE-2021-44228', 'CVE-2021-45046']);
    expect(r.catalog!.entries.get('CVE-2021-45046')).toMatchObject({ dateAdded: '2023-05-01', dueDate: '2023-05-22', ransomware: 'Known' });
  });

  it('refuses a catalog with a malformed entry, pointing at it', () => {
    const doc = { catalogVersion: '1', dateReleased: '2025-01-01T00:00:00Z', vulnerabilities: [{ cveID: 'CVE-2021-44228' }, { cveID: 'not-a-cve' }] };
    const r = parseKev(Buffer.from(JSON.stringify(doc)), 'kev.json', DEFAULT_LIMITS);
    expect(r.catalog).toBeUndefined();
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'kev/invalid', pointer: '/vulnerabilities/1/cveID' })]);
  });
});

describe('FIRST EPSS scores', () => {
  it('reads plain and gzipped files alike, with the model and score date of the first line', () => {
    const plain = parseEpss(bytes('epss/epss_scores-2026-09-29-excerpt.csv'), 'epss.csv', DEFAULT_LIMITS);
    const gz = parseEpss(bytes('epss/epss_scores-2026-09-29-excerpt.csv.gz'), 'epss.csv.gz', DEFAULT_LIMITS);
    expect(plain.diagnostics).toEqual([]);
    expect(plain.snapshot).toMatchObject({ date: '2026-09-29', model: 'v2026.06.15' });
    expect(plain.snapshot!.scores.get('CVE-2021-44228')).toEqual({ score: 0.99999, percentile: 1 });
    expect([...gz.snapshot!.scores]).toEqual([...plain.snapshot!.scores]);
  });

  it('takes the date from a dated file name when the comment line was stripped, with a warning; refuses an undated file', () => {
    const text = 'cve,epss,percentile\nCVE-1999-0001,0.03351,0.87326\n';
    const named = parseEpss(Buffer.from(text), 'mirror/epss_scores-2026-11-30.csv', DEFAULT_LIMITS);
    expect(named.snapshot?.date).toBe('2026-11-30');
    expect(named.diagnostics).toEqual([expect.objectContaining({ code: 'epss/no-date', level: 'warning' })]);
    const undated = parseEpss(Buffer.from(text), 'epss_scores-current.csv', DEFAULT_LIMITS);
    expect(undated.snapshot).toBeUndefined();
    expect(undated.diagnostics).toEqual([expect.objectContaining({ code: 'epss/no-date', level: 'error' })]);
  });

  it('names the line of a malformed row and of a missing header', () => {
    const bad = parseEpss(Buffer.from('#model_version:v1,score_date:2026-11-30T00:00:00+0000\ncve,epss,percentile\nCVE-2021-0001,0.5,0.9\nCVE-2021-0002,1.5,0.9\n'), 'e.csv', DEFAULT_LIMITS);
    expect(bad.diagnostics).toEqual([expect.objectContaining({ code: 'epss/invalid', line: 4 })]);
    const header = parseEpss(Buffer.from('#x\ncve;epss\n'), 'e.csv', DEFAULT_LIMITS);
    expect(header.diagnostics).toEqual([expect.objectContaining({ code: 'epss/invalid', line: 2 })]);
  });

  it('refuses a gzip bomb beyond maxInputBytes', () => {
    const big = gzipSync(Buffer.alloc(2_000_000, 0x41));
    const r = parseEpss(big, 'e.csv.gz', { maxInputBytes: 1_000_000 });
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'limit/input-size' })]);
  });
});

describe('OSV advisory exports', () => {
  const names = readdirSync(new URL('osv/', R)).filter((n) => n.endsWith('.json')).sort();
  const entries = names.map((name) => ({ name, bytes: bytes(`osv/${name}`) }));

  it('indexes a folder of records by id and alias, dated by the newest modified', () => {
    const r = parseOsvAdvisories(entries, 'osv', folderSha256(entries), DEFAULT_LIMITS);
    expect(r.diagnostics).toEqual([]);
    expect(r.advisories!.count).toBe(71);
    expect(r.advisories!.date).toBe('2024-02-18');
    // An own id wins over the same id listed as another record's alias.
    expect(r.advisories!.byId.get('PYSEC-2021-439')!.id).toBe('PYSEC-2021-439');
    expect(r.advisories!.byId.get('CVE-2021-44420')!.id).toMatch(/^(PYSEC-2021-439|GHSA-v6rh-hp5x-86rv)$/);
  });

  it('reads the same records from a zip, and refuses a zip that unpacks beyond maxInputBytes', () => {
    const zip = zipSync(Object.fromEntries(entries.map((e) => [`PyPI/${e.name}`, e.bytes])), { mtime: new Date('2026-01-01T00:00:00Z') });
    const u = unzipOsv(zip, 'all.zip', DEFAULT_LIMITS);
    expect(u.entries).toHaveLength(71);
    const r = parseOsvAdvisories(u.entries!, 'all.zip', 'x', DEFAULT_LIMITS);
    expect(r.advisories!.count).toBe(71);
    expect(unzipOsv(zip, 'all.zip', { maxInputBytes: 10_000 }).diagnostics).toEqual([expect.objectContaining({ code: 'limit/input-size' })]);
    expect(unzipOsv(Buffer.from('not a zip'), 'x.zip', DEFAULT_LIMITS).diagnostics).toEqual([expect.objectContaining({ code: 'osv/invalid' })]);
  });

  it('refuses an entry that is not an OSV record, naming it', () => {
    const r = parseOsvAdvisories([{ name: 'notes.json', bytes: Buffer.from('{"title": "x"}') }], 'osv', 'x', DEFAULT_LIMITS);
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'osv/invalid', file: 'osv/notes.json' })]);
  });
});
