/**
 * Only md, html and pdf are renderings of the composed document: a build that writes none of
 * them does not compose (README "The document"). These tests pin what that changes and what it
 * does not: the JSON outputs are byte for byte those of a build that composes, the template's
 * id and version are recorded all the same, and a template problem found only by composing is
 * reported by the build that writes a document.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline.ts';
import { REPO_ROOT, tempDir } from '../cli/run-cli.ts';

const env = { SOURCE_DATE_EPOCH: '1767225600' };
const examples = join(REPO_ROOT, 'examples');
const RAW = join(REPO_ROOT, 'tests/corpus/template-data--raw-output-in-project-template');

describe('a build without md, html or pdf', () => {
  it('writes report.json, SARIF, OSCAL and the manifest byte for byte as a build that composes the document', async () => {
    const inputs = { scans: [join(examples, 'scans/bandit.json'), join(examples, 'scans/pip-audit.json')], checklist: join(examples, 'checklist-state.yaml'), config: join(examples, 'auditmark.config.yaml'), env };
    const withDocument = tempDir();
    const without = tempDir();
    const a = await build({ ...inputs, formats: ['md', 'json', 'sarif', 'oscal'], out: withDocument });
    const b = await build({ ...inputs, formats: ['json', 'sarif', 'oscal'], out: without });
    expect(b.exitCode).toBe(a.exitCode);
    expect(b.files.map((f) => f.name).sort()).toEqual(['manifest.json', 'report.json', 'report.oscal.json', 'report.sarif']);
    for (const name of ['report.json', 'report.sarif', 'report.oscal.json']) {
      expect(readFileSync(join(without, name), 'utf8'), name).toBe(readFileSync(join(withDocument, name), 'utf8'));
    }
    // The manifests differ only by report.md, listed in one of them.
    const manifest = (dir: string) => {
      const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { outputs: Array<{ path: string }> };
      return { ...m, outputs: m.outputs.filter((o) => o.path !== 'report.md') };
    };
    expect(manifest(without)).toEqual(manifest(withDocument));
  });

  it('records the template without composing it: a problem only composing finds is reported by the build that writes a document', async () => {
    const options = { scans: [join(RAW, 'input.json')], template: 'raw@^1', templatesDir: join(RAW, 'my-templates'), env };
    const jsonOnly = await build({ ...options, formats: ['json'], out: tempDir() });
    expect(jsonOnly.diagnostics.filter((d) => d.level === 'error')).toEqual([]);
    expect(jsonOnly.value?.metadata.template).toEqual({ id: 'raw', version: '1.0.0' });
    const md = await build({ ...options, formats: ['md', 'json'], out: tempDir() });
    expect(md.exitCode).toBe(2);
    expect(md.diagnostics.map((d) => d.code)).toContain('template/raw-output');
    expect(md.files).toEqual([]);
  });
});
