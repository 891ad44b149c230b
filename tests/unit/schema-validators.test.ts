/**
 * The schema validators are compiled at build time (scripts/schema-validators.ts, run by
 * `npm run build`) and loaded by src/model/schema-validate.ts. These tests fail while the built
 * modules are not what the shipped schemas compile to now, and check that a run compiles no
 * schema at all (Ajv's compiler is never loaded).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VALIDATORS_DIR, schemaNames, validatorSource } from '../../scripts/schema-validators.ts';
import { validateSchema, type SchemaName } from '../../src/model/schema-validate.ts';
import { REPO_ROOT } from '../cli/run-cli.ts';

describe('built schema validators', () => {
  it('one per shipped schema, each equal to what the schema compiles to now (else run `npm run build`)', () => {
    const names = schemaNames();
    expect(readdirSync(VALIDATORS_DIR).sort()).toEqual(names.map((n) => `${n}.cjs`).sort());
    for (const name of names) expect(readFileSync(join(VALIDATORS_DIR, `${name}.cjs`), 'utf8'), `dist/schema-validators/${name}.cjs is stale`).toBe(validatorSource(name));
  });

  it('every SchemaName has a shipped schema, and each validates and reports with a pointer', () => {
    const names: SchemaName[] = ['scan', 'checklist', 'config', 'report', 'diff', 'history', 'manifest', 'template-manifest', 'checklist-definition'];
    expect(names.slice().sort()).toEqual(schemaNames());
    for (const name of names) {
      const problems = validateSchema(name, { surely: 'not this' }, `${name}.json`);
      expect(problems.length, name).toBeGreaterThan(0);
      expect(problems.every((d) => d.code === `schema/${name}` && d.file === `${name}.json` && typeof d.pointer === 'string'), name).toBe(true);
    }
  });

  it('a run validates without loading Ajv\'s compiler or the JSON Schema meta-schemas', () => {
    const script = [
      "const { validateSchema } = await import('./dist/model/schema-validate.js');",
      "const problems = validateSchema('config', { project: 1, nope: true }, 'c.yaml', 'config/invalid');",
      "const loaded = Object.keys((await import('node:module')).createRequire(import.meta.url).cache);",
      'console.log(JSON.stringify({ problems: problems.map((d) => [d.pointer, d.message]), ajv: loaded.filter((f) => /node_modules\\/ajv\\/dist\\/(core|compile|2020|refs)/.test(f)) }));',
    ].join('\n');
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { problems: string[][]; ajv: string[] };
    expect(out.ajv).toEqual([]);
    expect(out.problems).toEqual([['/nope', '/nope: unknown key "nope"'], ['/project', '/project: must be string']]);
  });
});
