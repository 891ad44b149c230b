import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/ingest.ts';
import { detectFormat } from '../../src/ingest/detect.ts';
import { SCAN_SCHEMA_VERSION } from '../../src/model/types.ts';
import { GOLDEN_ROOT } from '../helpers/golden.ts';

const fixture = (c: string) => readFileSync(join(GOLDEN_ROOT, 'ingest', c, 'input.json'));
const asFile = (file: string, v: unknown) => ({ file, bytes: Buffer.from(JSON.stringify(v)) });

/** A minimal hand-written document: only what the types require, no fingerprint, no source. */
const handWritten = () => ({
  schemaVersion: '1.0',
  runs: [{
    tool: { name: 'manual-review' }, format: 'manual', notScanned: [],
    findings: [{
      tool: 'manual-review', kind: 'code', ruleId: 'MR-1', title: 'Hard-coded token', message: 'found in review',
      severity: 'high', cwe: ['CWE-798'], aliases: [], references: [], pointer: '', location: { path: 'src/a.py', startLine: 3 },
    }],
  }],
});

describe('normalised scan JSON reader (auditmark)', () => {
  it('round-trips: normalising then reading again gives the same runs, fingerprints and source', () => {
    for (const c of ['bandit--bandit-1.8.6-cwe-col-offset', 'npm-audit--npm-audit-v7-many-vulns', 'gitleaks--gitleaks-8-many', 'safety--safety-3.2.14-scan-output-json']) {
      const first = ingest([{ file: 'raw.json', bytes: fixture(c) }]);
      const doc = { schemaVersion: SCAN_SCHEMA_VERSION, runs: first.runs };
      expect(detectFormat(doc, 'scan.json').reader?.id).toBe('auditmark');
      const again = ingest([asFile('scan.json', doc)]);
      expect(again.diagnostics).toEqual([]);
      expect(again.runs).toEqual(first.runs);
    }
  });
  it('accepts a hand-written document without fingerprints or source and fills them in', () => {
    const r = ingest([asFile('manual.json', handWritten())]);
    expect(r.diagnostics).toEqual([]);
    expect(r.runs[0]!.source.path).toBe('manual.json');
    expect(r.runs[0]!.findings[0]!.fingerprint).toMatch(/^v1:[0-9a-f]{32}$/);
  });
  it('ignores a supplied fingerprint and recomputes it', () => {
    const doc = handWritten();
    const withFp = { ...doc, runs: [{ ...doc.runs[0]!, findings: [{ ...doc.runs[0]!.findings[0]!, fingerprint: 'v1:00000000000000000000000000000000' }] }] };
    const a = ingest([asFile('m.json', doc)]).runs[0]!.findings[0]!.fingerprint;
    const b = ingest([asFile('m.json', withFp)]).runs[0]!.findings[0]!.fingerprint;
    expect(b).toBe(a);
  });
  it('refuses a missing schemaVersion when the runs look like ours', () => {
    const { schemaVersion: _, ...doc } = handWritten();
    const r = ingest([asFile('m.json', doc)]);
    expect(r.runs).toEqual([]);
    expect(r.diagnostics[0]).toMatchObject({ code: 'ingest/schema-version', level: 'error', pointer: '/schemaVersion' });
  });
  it('refuses a newer major version and names the supported one', () => {
    const r = ingest([asFile('m.json', { ...handWritten(), schemaVersion: '2.0' })]);
    expect(r.runs).toEqual([]);
    expect(r.diagnostics[0]).toMatchObject({ code: 'ingest/schema-version', level: 'error' });
    expect(r.diagnostics[0]!.message).toContain('newer');
  });
  it('reports schema violations with JSON pointers into the user file', () => {
    const doc = handWritten();
    const bad = { ...doc, runs: [{ ...doc.runs[0]!, findings: [{ ...doc.runs[0]!.findings[0]!, severity: 'Critical', extra: 1 }] }] };
    const r = ingest([asFile('m.json', bad)]);
    expect(r.runs).toEqual([]);
    const pointers = r.diagnostics.map((d) => d.pointer);
    expect(pointers).toContain('/runs/0/findings/0/severity');
    expect(pointers).toContain('/runs/0/findings/0/extra');
    expect(r.diagnostics.every((d) => d.code === 'schema/scan' && d.level === 'error')).toBe(true);
  });
  it('does not claim SARIF logs', () => {
    expect(detectFormat({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [] }] }, 'x.sarif').reader?.id).not.toBe('auditmark');
  });
});

/**
 * The schema must describe exactly the TypeScript model: same property names, same required
 * set, per interface. Read types.ts with the TypeScript compiler so the test fails on drift.
 */
describe('schemas/scan.schema.json matches src/model/types.ts', () => {
  const root = new URL('../../', import.meta.url).pathname;
  const source = ts.createSourceFile('types.ts', readFileSync(join(root, 'src/model/types.ts'), 'utf8'), ts.ScriptTarget.ES2022, true);
  const interfaces = new Map<string, { all: string[]; required: string[] }>();
  source.forEachChild((node) => {
    if (!ts.isInterfaceDeclaration(node)) return;
    const props = node.members.filter(ts.isPropertySignature);
    const name = (p: ts.PropertySignature) => p.name.getText(source).replace(/^['"]|['"]$/g, '');
    interfaces.set(node.name.text, { all: props.map(name).sort(), required: props.filter((p) => !p.questionToken).map(name).sort() });
  });
  const schema = JSON.parse(readFileSync(join(root, 'schemas/scan.schema.json'), 'utf8'));
  const defs = schema.$defs;
  const pairs: Array<[string, { properties: object; required?: string[] }]> = [
    ['ScanDocument', schema],
    ['ScanRun', defs.run],
    ['Finding', defs.finding],
    ['SourceLocation', defs.finding.properties.location],
    ['PackageRef', defs.finding.properties.package],
    ['Suppression', defs.finding.properties.suppressions.items],
    ['WebLocation', defs.finding.properties.web],
    ['CvssRating', defs.finding.properties.cvss.items],
    ['NotScanned', defs.run.properties.notScanned.items],
    ['Coverage', defs.run.properties.coverage],
  ];
  for (const [iface, node] of pairs) {
    it(iface, () => {
      const t = interfaces.get(iface);
      expect(t, `interface ${iface} not found`).toBeDefined();
      expect(Object.keys(node.properties).sort()).toEqual(t!.all);
      expect([...(node.required ?? [])].sort()).toEqual(t!.required);
    });
  }
  it('documents every property', () => {
    const missing: string[] = [];
    const walk = (n: unknown, path: string) => {
      if (!n || typeof n !== 'object') return;
      const o = n as Record<string, unknown>;
      if (o.properties && typeof o.properties === 'object') {
        for (const [k, v] of Object.entries(o.properties as Record<string, Record<string, unknown>>)) {
          const ref = typeof v.$ref === 'string' ? defs[v.$ref.split('/').pop()!] : undefined;
          if (!v.description && !ref?.description) missing.push(`${path}/${k}`);
        }
      }
      for (const [k, v] of Object.entries(o)) walk(v, `${path}/${k}`);
    };
    walk(schema, '');
    expect(missing).toEqual([]);
  });
});
