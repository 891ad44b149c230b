import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildManifest, reportProvenance, serializeManifest, type ManifestInput } from '../../src/bundle/manifest.ts';
import { validateSchema } from '../../src/model/schema-validate.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const input: ManifestInput = {
  kind: 'report',
  metadata: { auditmarkVersion: '0.1.0', created: '2026-11-20T09:00:00Z', template: { id: 'security-scan', version: '1.0.0' } },
  chromium: 'HeadlessChrome/143.0.7499.0',
  mappingData: [
    { name: 'owasp-top10', edition: '2025', source: 'OWASP/Top10 2025/docs/en' },
    { name: 'owasp-top10', edition: '2021', source: 'OWASP/Top10 2021/docs/en' },
  ],
  tools: [{ name: 'pip-audit', version: '2.7.3' }, { name: 'bandit', version: '1.7.9' }],
  inputs: [{ path: 'scans/bandit.json', sha256: 'a'.repeat(64), bytes: 1234, kind: 'scan' }],
  outputs: [
    { name: 'report.pdf', bytes: enc('%PDF-1.7 pdf') },
    { name: 'report.md', bytes: enc('# Report\n') },
  ],
};

describe('buildManifest', () => {
  it('hashes each output from its exact bytes and sorts every list', () => {
    const m = buildManifest(input);
    expect(m.outputs).toEqual([
      { path: 'report.md', sha256: createHash('sha256').update('# Report\n').digest('hex'), bytes: 9 },
      { path: 'report.pdf', sha256: createHash('sha256').update('%PDF-1.7 pdf').digest('hex'), bytes: 12 },
    ]);
    expect(m.tools.map((t) => t.name)).toEqual(['bandit', 'pip-audit']);
    expect(m.mappingData.map((d) => d.edition)).toEqual(['2021', '2025']);
    expect(m.chromium).toBe('HeadlessChrome/143.0.7499.0');
  });

  it('validates against schemas/manifest.schema.json, and the schema rejects unknown keys', () => {
    const m = buildManifest(input);
    expect(validateSchema('manifest', JSON.parse(new TextDecoder().decode(serializeManifest(m))), 'manifest.json')).toEqual([]);
    const bad = { ...m, outputs: [{ path: 'x', sha256: 'nothex', bytes: 1, extra: true }] };
    expect(validateSchema('manifest', bad, 'manifest.json').map((d) => d.pointer)).toEqual(expect.arrayContaining(['/outputs/0/sha256']));
  });

  it('serialises byte-identically whatever the construction order', () => {
    const reversed: ManifestInput = { ...input, tools: [...input.tools].reverse(), outputs: [...input.outputs].reverse(), mappingData: [...input.mappingData].reverse() };
    expect(serializeManifest(buildManifest(reversed))).toEqual(serializeManifest(buildManifest(input)));
    const text = new TextDecoder().decode(serializeManifest(buildManifest(input)));
    expect(text.startsWith('{\n  "schemaVersion": "1.0",\n  "auditmarkVersion"')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('takes mapping data and deduplicated tools from a report', () => {
    const run = (tool: string, version?: string) => ({ tool, version, format: tool, source: { path: 'x', sha256: 'a'.repeat(64) }, notScanned: [], counts: { critical: 0, high: 0, medium: 0, low: 0, info: 0, unknown: 0 }, total: 0, freshness: 'undated' as const, warnings: [] });
    const p = reportProvenance({
      owasp: { editions: ['2021'], rows: [], unmapped: [], data: [{ edition: '2021', source: 'OWASP/Top10 2021/docs/en', license: 'CC BY-SA 4.0' }] },
      runs: [run('bandit', '1.7.9'), run('bandit', '1.7.9'), run('semgrep')],
    });
    const m = buildManifest({ ...input, ...p });
    expect(m.mappingData).toEqual([{ name: 'OWASP Top 10', edition: '2021', source: 'OWASP/Top10 2021/docs/en' }]);
    expect(m.tools).toEqual([{ name: 'bandit', version: '1.7.9' }, { name: 'semgrep' }]);
  });
});
