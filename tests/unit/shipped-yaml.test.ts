/**
 * The shipped templates' YAML is parsed when auditmark is built (scripts/shipped-yaml.ts →
 * dist/shipped-yaml.json) and src/settings/yaml.ts uses that record for exactly those texts.
 * These tests fail when a shipped YAML file is missing from the record, when a record differs
 * from parsing, or when a text that is not recorded is not parsed as before.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHIPPED_YAML_FILE, shippedYamlFiles, shippedYamlRecord } from '../../scripts/shipped-yaml.ts';
import { DEFAULT_LIMITS } from '../../src/model/limits.ts';
import { parseYaml, parseYamlText } from '../../src/settings/yaml.ts';
import { REPO_ROOT } from '../cli/run-cli.ts';

const CHECKLIST = 'templates/security-scan/1.0.0/checklist.yaml';

describe('the shipped-YAML record', () => {
  it('holds every shipped YAML file, as the build wrote it (else run `npm run build`)', () => {
    expect(shippedYamlFiles()).toContain(CHECKLIST);
    const record = shippedYamlRecord();
    expect(Object.keys(record)).toHaveLength(shippedYamlFiles().length);
    expect(JSON.parse(readFileSync(SHIPPED_YAML_FILE, 'utf8'))).toEqual(record);
  });

  it('gives exactly what parsing gives, a fresh value each time', () => {
    for (const rel of shippedYamlFiles()) {
      const text = readFileSync(join(REPO_ROOT, rel), 'utf8');
      const a = parseYaml(text, rel, DEFAULT_LIMITS);
      expect(a.ok, rel).toBe(true);
      expect(a).toStrictEqual(parseYamlText(text, rel, DEFAULT_LIMITS));
      // Callers may change what they get: a second parse must not hand out the same object.
      const b = parseYaml(text, rel, DEFAULT_LIMITS);
      if (a.ok && b.ok) expect(b.value).not.toBe(a.value);
    }
  });

  it('still applies the depth limit to a recorded text, and parses any other text (one changed byte)', () => {
    const text = readFileSync(join(REPO_ROOT, CHECKLIST), 'utf8');
    const shallow = parseYaml(text, CHECKLIST, { ...DEFAULT_LIMITS, maxJsonDepth: 1 });
    expect(shallow.ok ? [] : shallow.diagnostics.map((d) => d.code)).toEqual(['limit/json-depth']);
    const edited = text.replace(/\n$/, '\nextra: [1, 1\n');
    const broken = parseYaml(edited, CHECKLIST, DEFAULT_LIMITS);
    expect(broken.ok ? [] : broken.diagnostics.map((d) => d.code)).toEqual(['yaml/parse-error']);
  });

  it('a run that reads only the shipped checklist never loads the yaml library', () => {
    const script = [
      "import { readFileSync } from 'node:fs';",
      "const { parseYaml } = await import('./dist/settings/yaml.js');",
      `const r = parseYaml(readFileSync('${CHECKLIST}', 'utf8'), 'c.yaml', { maxYamlAliases: 100, maxJsonDepth: 64 });`,
      "const loaded = Object.keys((await import('node:module')).createRequire(import.meta.url).cache);",
      "console.log(JSON.stringify({ ok: r.ok, yaml: loaded.filter((f) => f.includes('/node_modules/yaml/')).length }));",
    ].join('\n');
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ ok: true, yaml: 0 });
  });
});
