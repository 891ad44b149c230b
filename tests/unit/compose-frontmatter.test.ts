import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import matter from 'gray-matter';
import { afterAll, describe, expect, it } from 'vitest';
import { reportFrontmatter } from '../../src/compose/frontmatter.ts';
import { stringifyFrontmatter } from '../../src/render/markdown.ts';
import { readFrontmatter } from '../../src/settings/frontmatter.ts';
import { DiagnosticError } from '../../src/model/diagnostics.ts';
import { buildReport, run } from '../helpers/report-builder.ts';

const dir = mkdtempSync(join(tmpdir(), 'auditmark-fm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof DiagnosticError ? e.diagnostic.code : `not a DiagnosticError: ${String(e)}`;
  }
  return undefined;
}

const g = globalThis as Record<string, unknown>;

describe('report frontmatter', () => {
  const report = buildReport({
    metadata: {
      title: '</title><script>', purpose: 'yes', description: 'null', project: '2024-01-01', repository: 'https://example.org/r',
      appVersion: '1.0', documentVersion: '0.10', documentStatus: 'Draft', distributedBy: 'ACME', author: 'A. Author',
      license: 'Apache-2.0 OR MIT', copyright: 'Copyright (c) 2025 ACME', classification: 'TLP:AMBER', language: 'en',
      created: '2026-01-02T03:04:05Z', git: { commit: 'abc123', date: '2026-01-01T00:00:00Z', basis: 'source-option', dirty: true, changed: { count: 2, paths: ['src/a.py', 'yes'] } },
      template: { id: 'security-scan', version: '1.0.0' }, auditmarkVersion: '0.1.0', documentId: 'doc-1',
    },
    status: { overall: 'CONDITIONAL', reasons: [] },
    runs: [run()],
    findings: [],
    inputs: [{ path: 'scans/b.json', sha256: 'f'.repeat(64), kind: 'scan' }, { path: 'state.yaml', sha256: 'e'.repeat(64), kind: 'checklist' }],
  });

  it('round-trips through the safe reader with every key, strings staying strings', () => {
    const text = stringifyFrontmatter(reportFrontmatter(report)) + '\n# Body\n';
    const { data, content } = readFrontmatter(text);
    expect(Object.keys(data)).toEqual([
      'title', 'purpose', 'description', 'file', 'project', 'repository', 'created', 'git', 'distributed_by', 'author',
      'application_version', 'document_version', 'SPDX-License-Identifier', 'copyright', 'status', 'classification',
      'language', 'template', 'auditmark_version', 'document_id', 'inputs',
    ]);
    expect(data.title).toBe('</title><script>');
    expect(data.purpose).toBe('yes');
    expect(data.description).toBe('null');
    expect(data.project).toBe('2024-01-01');
    expect(data.application_version).toBe('1.0');
    expect(data.document_version).toBe('0.10');
    expect(data.file).toBe('report.md');
    expect(data['SPDX-License-Identifier']).toBe('Apache-2.0 OR MIT');
    expect(data.git).toEqual({ recorded: true, commit: 'abc123', date: '2026-01-01T00:00:00Z', basis: 'source-option', dirty: true, changed_files: 2, changed_paths: ['src/a.py', 'yes'] });
    expect(data.status).toEqual({ document: 'Draft', audit: 'CONDITIONAL' });
    expect(data.template).toEqual({ id: 'security-scan', version: '1.0.0' });
    expect(data.inputs).toEqual([{ path: 'scans/b.json', kind: 'scan', sha256: 'f'.repeat(64) }, { path: 'state.yaml', kind: 'checklist', sha256: 'e'.repeat(64) }]);
    expect(content.trim()).toBe('# Body');
  });

  it('also parses with stock gray-matter (js-yaml) to the same strings', () => {
    const text = stringifyFrontmatter(reportFrontmatter(report));
    const data = matter(text, { engines: { javascript: () => { throw new Error('no'); } } } as never).data as Record<string, unknown>;
    expect(data.purpose).toBe('yes');
    expect(data.project).toBe('2024-01-01');
  });

  it('omits optional keys when absent and says why git is not recorded, never writing placeholders', () => {
    const bare = buildReport({ runs: [], findings: [] });
    const text = stringifyFrontmatter(reportFrontmatter(bare));
    const { data } = readFrontmatter(text);
    for (const k of ['repository', 'author', 'distributed_by', 'SPDX-License-Identifier', 'copyright', 'application_version']) expect(data).not.toHaveProperty(k);
    expect(data.git).toEqual({ recorded: false, reason: 'not-collected' });
    const mismatch = buildReport({ runs: [], findings: [], metadata: { ...bare.metadata, gitUnrecorded: { code: 'remote-mismatch', args: { repository: 'o/r' } } } });
    expect(readFrontmatter(stringifyFrontmatter(reportFrontmatter(mismatch))).data.git).toEqual({ recorded: false, reason: 'remote-mismatch' });
    expect(text).not.toMatch(/TBD/);
  });
});

describe('readFrontmatter refuses every non-YAML engine', () => {
  const variants = ['js', 'javascript', 'JavaScript', ' js', 'js ', 'coffee', 'coffeescript', 'cson', 'toml', 'json', 'yml', 'ruby', 'constructor', 'toString', '__proto__'];

  it('stock gray-matter would evaluate ---js (the attack this guards against is real)', () => {
    delete g.__amProbe;
    matter('---js\n{ a: (globalThis.__amProbe = 1) }\n---\n', { language: 'js' } as never);
    expect(g.__amProbe).toBe(1);
    delete g.__amProbe;
  });

  for (const v of variants) {
    it(`---${v}`, () => {
      const marker = join(dir, `pwned-${v.trim() || 'x'}`);
      delete g.pwned;
      const text = `---${v}\n{ a: (globalThis.pwned = 1, require("fs").writeFileSync(${JSON.stringify(marker)}, "x")) }\n---\n# doc\n`;
      expect(codeOf(() => readFrontmatter(text))).toBe('frontmatter/engine-not-allowed');
      expect(g.pwned).toBeUndefined();
      expect(existsSync(marker)).toBe(false);
    });
  }

  it('accepts ---yaml and plain ---', () => {
    expect(readFrontmatter('---yaml\na: "1"\n---\nx').data).toEqual({ a: '1' });
    expect(readFrontmatter('---\na: 1\n---\nx').data).toEqual({ a: 1 });
  });
});

describe('readFrontmatter rejects malformed frontmatter', () => {
  it('an opening --- with no closing delimiter', () => {
    expect(codeOf(() => readFrontmatter('---\ntitle: x\n# heading\n'))).toBe('frontmatter/unclosed');
  });
  it('duplicate keys', () => {
    expect(codeOf(() => readFrontmatter('---\na: 1\na: 2\n---\n'))).toBe('frontmatter/invalid-yaml');
  });
  it('aliases', () => {
    expect(codeOf(() => readFrontmatter('---\na: &x [1, 2]\nb: *x\n---\n'))).toBe('frontmatter/invalid-yaml');
  });
  it('a non-mapping', () => {
    expect(codeOf(() => readFrontmatter('---\n- a\n- b\n---\n'))).toBe('frontmatter/not-a-mapping');
  });
  it('__proto__ keys do not pollute prototypes', () => {
    const { data } = readFrontmatter('---\n__proto__:\n  polluted: true\n---\n');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
  });
  it('tool-config-looking keys are only data', () => {
    const { data } = readFrontmatter('---\ndest: /etc/passwd\nlaunch_options: { args: ["--no-sandbox"] }\nstylesheet: ~/.ssh/id_rsa\n---\n');
    expect(data.dest).toBe('/etc/passwd');
  });
  it('a document without frontmatter', () => {
    expect(readFrontmatter('# Title\n')).toEqual({ data: {}, content: '# Title\n' });
  });
  it('a date under any TZ stays the same string', () => {
    const before = process.env.TZ;
    const seen: unknown[] = [];
    for (const tz of ['America/Los_Angeles', 'Asia/Tokyo']) {
      process.env.TZ = tz;
      seen.push(readFrontmatter('---\ndate: 2024-01-01\n---\n').data.date);
    }
    process.env.TZ = before;
    expect(seen).toEqual(['2024-01-01', '2024-01-01']);
  });
});
