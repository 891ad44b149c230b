import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig, resolveSettings } from '../../src/settings/config.ts';
import { parseYaml } from '../../src/settings/yaml.ts';
import type { ConfigOptions, PolicyOptions } from '../../src/model/config.ts';
import type { Limits } from '../../src/model/limits.ts';
import { DEFAULT_LIMITS, LIMIT_RANGES } from '../../src/model/limits.ts';

const LIMITS = { maxYamlAliases: 50, maxJsonDepth: 256 };

describe('parseYaml', () => {
  it('reports a duplicate key with its line and column', () => {
    const r = parseYaml('project: a\nauthor: b\nproject: c\n', 'cfg.yaml', LIMITS);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostics[0]).toMatchObject({ code: 'yaml/duplicate-key', file: 'cfg.yaml', line: 3, column: 1 });
  });

  it('refuses an alias bomb by the maxYamlAliases limit', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]', 'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]'].join('\n');
    const r = parseYaml(bomb, 'bomb.yaml', LIMITS);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostics[0]?.code).toBe('limit/yaml-aliases');
  });

  it('refuses deep JSON before parsing it', () => {
    const r = parseYaml('['.repeat(10_000) + ']'.repeat(10_000), 'deep.json', LIMITS);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostics[0]).toMatchObject({ code: 'limit/json-depth', line: 1, column: 257 });
  });

  it('keeps dates as the strings written (no timestamp type, so no time zone)', () => {
    const r = parseYaml('at: 2024-01-01\nwhen: 2024-01-01T10:00:00+09:00\non: yes\n', 'x.yaml', LIMITS);
    expect(r).toEqual({ ok: true, value: { at: '2024-01-01', when: '2024-01-01T10:00:00+09:00', on: 'yes' } });
  });

  it('refuses language-specific tags instead of reading them as strings', () => {
    const r = parseYaml('project: !!js/function "function () { return 1 }"\n', 'cfg.yaml', LIMITS);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostics[0]).toMatchObject({ code: 'yaml/unsupported-tag', line: 1 });
  });

  it('accepts JSON and reports YAML syntax errors with a position', () => {
    expect(parseYaml('{"project": "x"}', 'c.json', LIMITS)).toEqual({ ok: true, value: { project: 'x' } });
    const bad = parseYaml('project: [x\n', 'c.yaml', LIMITS);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.diagnostics[0]).toMatchObject({ code: 'yaml/parse-error', line: expect.any(Number), column: expect.any(Number) });
  });
});

describe('parseConfig', () => {
  it('rejects unknown keys with a pointer, naming the key', () => {
    const r = parseConfig('project: x\npolicy:\n  blockingSeverity: [high]\n', 'cfg.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ code: 'config/invalid', pointer: '/policy/blockingSeverity', line: 3 });
    expect(r.diagnostics[0]?.message).toContain('blockingSeverity');
  });

  it('validates the SPDX expression and names the bad value and the fix', () => {
    const bad = parseConfig('license: GPL-3+\n', 'cfg.yaml');
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.diagnostics[0]).toMatchObject({ code: 'config/invalid-license', pointer: '/license', line: 1, column: 10 });
      expect(bad.diagnostics[0]?.message).toContain('GPL-3+');
      expect(bad.diagnostics[0]?.fix).toMatch(/spdx/i);
    }
    expect(parseConfig('license: AGPL-3.0-or-later OR MIT\n', 'cfg.yaml').ok).toBe(true);
  });

  it('accepts an empty file as all defaults', () => {
    expect(parseConfig('', 'cfg.yaml')).toEqual({ ok: true, options: {} });
  });
});

describe('resolveSettings', () => {
  it('applies the documented defaults', () => {
    const s = resolveSettings();
    expect(s.classification).toBe('Internal');
    expect(s.language).toBe('en');
    expect(s.owasp).toEqual(['2021', '2025']);
    expect(s.policy).toEqual({ blockingSeverities: ['critical', 'high'], warningSeverities: ['medium'], maxEvidenceAgeDays: 180, scanCadenceDays: 30, maxScanAgeDays: 30, sla: {} });
    expect(s.template).toBe('security-scan@^1');
    expect(s.paper).toBe('A4');
    expect(s.limits).toEqual(DEFAULT_LIMITS);
  });

  it('layers defaults < config file < CLI flags, merging nested objects key by key', () => {
    const file = parseConfig('project: shop\nclassification: Confidential\npolicy: {maxScanAgeDays: 10, scanCadenceDays: 14}\nlimits: {maxFindings: 5}\n', 'cfg.yaml');
    if (!file.ok) throw new Error('fixture config invalid');
    const flags: ConfigOptions = { classification: 'TLP:AMBER', policy: { scanCadenceDays: 7 }, project: undefined };
    const s = resolveSettings(file.options, flags);
    expect(s.project).toBe('shop');
    expect(s.classification).toBe('TLP:AMBER');
    expect(s.policy.scanCadenceDays).toBe(7);
    expect(s.policy.maxScanAgeDays).toBe(10);
    expect(s.policy.maxEvidenceAgeDays).toBe(180);
    expect(s.limits.maxFindings).toBe(5);
    expect(s.limits.maxJsonDepth).toBe(DEFAULT_LIMITS.maxJsonDepth);
    expect(s.document.title).toBe('Security audit — shop');
  });
});

describe('config schema and ConfigOptions stay in sync', () => {
  // TypeScript enforces that every key of each type appears here (and no other):
  // adding a field to ConfigOptions without listing it fails the type check, and the
  // comparison below fails when the schema does not follow.
  const slaKeys = { critical: true, high: true, medium: true, low: true, info: true, unknown: true } satisfies Record<keyof NonNullable<PolicyOptions['sla']>, true>;
  const policyKeys = { blockingSeverities: true, warningSeverities: true, maxEvidenceAgeDays: true, scanCadenceDays: true, maxScanAgeDays: true, sla: slaKeys } satisfies Record<keyof PolicyOptions, true | Record<string, true>>;
  const limitKeys = { maxInputBytes: true, maxJsonDepth: true, maxFindings: true, maxFieldLength: true, maxDocumentFieldLength: true, maxMarkdownNesting: true, maxYamlAliases: true, maxAssetBytes: true, printTimeoutMs: true, renderTimeoutMs: true } satisfies Record<keyof Limits, true>;
  const documentKeys = { title: true, purpose: true, description: true, version: true, status: true } satisfies Record<keyof NonNullable<ConfigOptions['document']>, true>;
  const copyrightKeys = { holder: true, years: true } satisfies Record<keyof NonNullable<ConfigOptions['copyright']>, true>;
  const signOffKeys = { preparedBy: true, reviewedBy: true, approvedBy: true } satisfies Record<keyof NonNullable<ConfigOptions['signOff']>, true>;
  const configKeys = {
    project: true, repository: true, version: true, distributedBy: true, author: true, license: true, copyright: copyrightKeys,
    classification: true, language: true, owasp: true, policy: policyKeys, document: documentKeys, template: true,
    templatesDir: true, source: true, checklist: true, paper: true, limits: limitKeys, signOff: signOffKeys, vex: true, kev: true, epss: true, osv: true,
  } satisfies Record<keyof ConfigOptions, true | Record<string, true | Record<string, true>>>;

  type Shape = { [k: string]: Shape | true };
  function schemaShape(schema: { properties?: Record<string, { properties?: unknown }> }): Shape {
    const out: Shape = {};
    for (const [k, v] of Object.entries(schema.properties ?? {})) {
      if (k === '$schema') continue; // editor hint, not configuration
      out[k] = v.properties ? schemaShape(v as never) : true;
    }
    return out;
  }

  it('has the same property names, recursively', () => {
    const schema = JSON.parse(readFileSync(new URL('../../schemas/config.schema.json', import.meta.url), 'utf8'));
    expect(schemaShape(schema)).toEqual(configKeys);
  });

  it('gives every limit the same range as --limit (LIMIT_RANGES)', () => {
    const schema = JSON.parse(readFileSync(new URL('../../schemas/config.schema.json', import.meta.url), 'utf8'));
    const props = schema.properties.limits.properties as Record<string, { minimum: number; maximum: number }>;
    const ranges = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, { min: v.minimum, max: v.maximum }]));
    expect(ranges).toEqual(LIMIT_RANGES);
  });

  it('refuses a limit outside its range in the config file, naming the pointer', () => {
    const huge = parseConfig('limits:\n  maxInputBytes: 99999999999999999999\n', 'auditmark.config.yaml');
    expect(huge.ok).toBe(false);
    const timeout = parseConfig('limits:\n  printTimeoutMs: 99999999999\n', 'auditmark.config.yaml');
    expect(timeout.ok ? [] : timeout.diagnostics.map((d) => [d.code, d.pointer, d.line])).toEqual([['config/invalid', '/limits/printTimeoutMs', 2]]);
    expect(parseConfig('limits:\n  maxYamlAliases: 0\n', 'auditmark.config.yaml').ok).toBe(true);
  });

  it('describes every property', () => {
    const schema = JSON.parse(readFileSync(new URL('../../schemas/config.schema.json', import.meta.url), 'utf8'));
    const missing: string[] = [];
    const walk = (props: Record<string, { description?: string; properties?: Record<string, never> }>, at: string) => {
      for (const [k, v] of Object.entries(props)) {
        if (!v.description) missing.push(`${at}/${k}`);
        if (v.properties) walk(v.properties, `${at}/${k}`);
      }
    };
    walk(schema.properties, '');
    expect(missing).toEqual([]);
  });
});
