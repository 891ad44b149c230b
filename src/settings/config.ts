import { createRequire } from 'node:module';
import type parseSpdxExpression from 'spdx-expression-parse';
import type { ConfigOptions, Settings, SignOffOptions } from '../model/config.ts';
import { diag, type Diagnostic } from '../model/diagnostics.ts';
import { DEFAULT_LIMITS, type Limits } from '../model/limits.ts';
import { validateSchema } from '../model/schema-validate.ts';
import { parseYaml, withPositions } from './yaml.ts';

/** Result of reading a configuration file. */
export type ConfigParsed = { ok: true; options: ConfigOptions } | { ok: false; diagnostics: Diagnostic[] };

/** Project name used when neither the config file nor a flag names one. */
export const DEFAULT_PROJECT = 'Untitled project';

/** Policy defaults; documented in docs/enrich.md. */
export const DEFAULT_POLICY: Readonly<Settings['policy']> = Object.freeze<Settings['policy']>({
  blockingSeverities: ['critical', 'high'],
  warningSeverities: ['medium'],
  maxEvidenceAgeDays: 180,
  scanCadenceDays: 30,
  maxScanAgeDays: 30,
  // No deadline unless the policy sets one: a default SLA would declare findings overdue by a rule nobody agreed to.
  sla: {},
});

/** `7d` or `7` (days, as the schema allows) → 7. */
export function slaDays(value: number | string): number {
  return typeof value === 'number' ? value : Number(value.replace(/d$/, ''));
}

// spdx-expression-parse (CommonJS) loads the SPDX licence and exception lists: only a
// configuration naming a licence needs them, so it is required on first use, not at start-up.
let parseSpdx: typeof parseSpdxExpression | undefined;
const spdx = (): typeof parseSpdxExpression => (parseSpdx ??= createRequire(import.meta.url)('spdx-expression-parse') as typeof parseSpdxExpression);

/**
 * Check an SPDX licence expression. Returns a diagnostic naming the value and the fix, or
 * nothing when the expression parses (`MIT`, `Apache-2.0 OR MIT`, `GPL-2.0-only WITH Classpath-exception-2.0`).
 */
export function checkLicense(value: string, file: string, pointer = '/license'): Diagnostic | undefined {
  try {
    spdx()(value);
    return undefined;
  } catch {
    return diag('config/invalid-license', 'error', `"${value}" is not a valid SPDX licence expression`, {
      file, pointer, expected: 'an SPDX expression such as "MIT", "Apache-2.0", "AGPL-3.0-or-later" or "MIT OR Apache-2.0"',
      fix: 'use the exact identifier from https://spdx.org/licenses/ (case matters; "-only"/"-or-later" for GPL family), or LicenseRef-<name> for a custom licence',
    });
  }
}

/**
 * Read `auditmark.config.yaml` / `.json` text into {@link ConfigOptions}. YAML is parsed safely
 * (see `parseYaml`), validated against `schemas/config.schema.json` (unknown keys are errors),
 * and the licence expression is checked. Pure: the caller reads the file.
 */
export function parseConfig(text: string, file: string, limits: Partial<Limits> = {}): ConfigParsed {
  const lim = { ...DEFAULT_LIMITS, ...limits };
  const parsed = parseYaml(text, file, lim);
  if (!parsed.ok) return { ok: false, diagnostics: parsed.diagnostics };
  // An empty file is a valid "all defaults" configuration.
  const value = parsed.value ?? {};
  const diagnostics = validateSchema('config', value, file, 'config/invalid');
  if (diagnostics.length > 0) return { ok: false, diagnostics: withPositions(diagnostics, text) };
  const options = value as ConfigOptions & { $schema?: string };
  if (options.license !== undefined) {
    const d = checkLicense(options.license, file);
    if (d) return { ok: false, diagnostics: withPositions([d], text) };
  }
  const { $schema: _ignored, ...rest } = options;
  return { ok: true, options: rest };
}

function defined<T extends object>(o: T | undefined): Partial<T> {
  if (!o) return {};
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Resolve configuration layers into {@link Settings}: built-in defaults < each layer in order
 * (config file, then CLI flags). Nested objects (`policy`, `document`, `copyright`, `limits`)
 * merge key by key; arrays replace; `undefined` never overrides a value.
 */
export function resolveSettings(...layers: ConfigOptions[]): Settings {
  const top: ConfigOptions = {};
  let policy: Settings['policy'] = { ...DEFAULT_POLICY, blockingSeverities: [...DEFAULT_POLICY.blockingSeverities], warningSeverities: [...DEFAULT_POLICY.warningSeverities], sla: {} };
  let document: NonNullable<ConfigOptions['document']> = {};
  let copyright: NonNullable<ConfigOptions['copyright']> | undefined;
  let limits: Limits = { ...DEFAULT_LIMITS };
  let signOff: SignOffOptions = {};
  for (const layer of layers) {
    Object.assign(top, defined(layer));
    const { sla, ...rest } = layer.policy ?? {};
    policy = { ...policy, ...defined(rest) };
    if (sla) {
      // A later layer replaces deadlines severity by severity.
      const next = { ...policy.sla };
      for (const [sev, v] of Object.entries(sla)) if (v !== undefined) next[sev as keyof typeof next] = slaDays(v);
      policy.sla = next;
    }
    document = { ...document, ...defined(layer.document) };
    if (layer.copyright) copyright = { ...copyright, ...defined(layer.copyright) };
    if (layer.signOff) signOff = { ...signOff, ...defined(layer.signOff) };
    limits = { ...limits, ...defined(layer.limits) } as Limits;
  }
  const project = top.project ?? DEFAULT_PROJECT;
  const settings: Settings = {
    project,
    classification: top.classification ?? 'Internal',
    language: top.language ?? 'en',
    owasp: [...(top.owasp ?? ['2021', '2025'])].sort(),
    policy,
    document: {
      title: document.title ?? `Security audit — ${project}`,
      purpose: document.purpose ?? 'Security scan results and compliance checklist',
      description: document.description ?? 'Findings, OWASP Top 10 coverage and checklist state computed from scanner output',
      version: document.version ?? '1.0.0',
      status: document.status ?? 'Generated',
    },
    template: top.template ?? 'security-scan@^1',
    paper: top.paper ?? 'A4',
    limits,
    signOff,
  };
  if (top.repository !== undefined) settings.repository = top.repository;
  if (top.version !== undefined) settings.version = top.version;
  if (top.distributedBy !== undefined) settings.distributedBy = top.distributedBy;
  if (top.author !== undefined) settings.author = top.author;
  if (top.license !== undefined) settings.license = top.license;
  // A copyright line needs a holder; years are optional and printed only when given.
  if (copyright?.holder !== undefined) settings.copyright = { holder: copyright.holder, years: copyright.years ?? '' };
  if (top.templatesDir !== undefined) settings.templatesDir = top.templatesDir;
  if (top.checklist !== undefined) settings.checklist = top.checklist;
  return settings;
}
