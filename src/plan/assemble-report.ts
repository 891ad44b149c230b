/**
 * The first half of the plan: inputs already read into memory become a Report (ingest →
 * settings → enrich), and report.json files read back are checked. No compose: this module is
 * what a build that writes no document (JSON, SARIF, OSCAL only) loads, so it imports nothing of
 * the template engine or the Markdown stack; `../plan.ts` adds composing and re-exports all of
 * this. No fs, no clock (injected), no browser.
 */
import { createHash } from 'node:crypto';
import { selectTemplate, type LoadedTemplate } from '../compose/template-registry.ts';
import { enrich } from '../enrich/enrich.ts';
import { ingest, type RawInput } from '../ingest/ingest.ts';
import type { ChecklistDefinition, ChecklistState, EvidenceHash } from '../model/checklist.ts';
import { parseRiskInputs, type RawRiskInputs } from '../ingest/risk/risk-inputs.ts';
import { riskInputRecords } from '../enrich/risk.ts';
import { firstSeenFrom, type EarlierReport } from '../diff/first-seen.ts';
import type { ConfigOptions, Settings } from '../model/config.ts';
import { diag, hasErrors, type Diagnostic } from '../model/diagnostics.ts';
import type { Limits } from '../model/limits.ts';
import type { GitUnrecorded } from '../model/reasons.ts';
import { REPORT_SCHEMA_VERSION, type GitProvenance, type InputRecord, type Report } from '../model/report.ts';
import { validateSchema } from '../model/schema-validate.ts';
import { parseChecklistDefinition, parseChecklistState } from '../settings/checklist.ts';
import { resolveSettings } from '../settings/config.ts';
import { parseSelector, selects } from '../settings/selector.ts';

/** A text input with its path as recorded. */
export interface TextInput {
  file: string;
  text: string;
}

/** Everything a report needs, as data. */
export interface AssembleInput {
  scans: RawInput[];
  /** Reader id for every scan file, or `auto`. */
  readerFormat?: string;
  /** The configuration file, already parsed (its limits are needed before inputs are read). */
  config?: { file: string; sha256: string; options: ConfigOptions };
  /** Flags: the last and strongest configuration layer. */
  overrides?: ConfigOptions;
  checklistState?: TextInput;
  /** A checklist definition file (config `checklist:` naming a path); default: the template's own. */
  checklistDefinition?: TextInput;
  /** Every loaded template (shipped + project-local); the selector picks one. */
  templates: readonly LoadedTemplate[];
  /** The injected clock. */
  now: Date;
  auditmarkVersion: string;
  /** Git facts of the scanned sources (`bundle/provenance.ts`), or why there are none. */
  git?: GitProvenance | GitUnrecorded;
  /** Current sha256 of an evidence file named in the checklist state, or why it is unusable. Injected effect. */
  hashEvidence?: (path: string) => EvidenceHash;
  /** VEX documents and KEV, EPSS, OSV snapshots, read but not parsed. */
  risk?: RawRiskInputs;
  /** Earlier reports (`--baseline`, `--history`) that date when each finding was first seen. */
  earlier?: EarlierReport[];
}

/** A report assembled from evidence, before any document is composed. */
export interface AssembledReport {
  settings: Settings;
  template: LoadedTemplate;
  report: Report;
}

const sha256 = (text: string | Uint8Array) => createHash('sha256').update(text).digest('hex');

/**
 * The checklist definition: a file named by config `checklist:`, else the one shipped with the
 * template; a config selector `id@range` must select that one.
 */
function checklistDefinition(input: AssembleInput, settings: Settings, template: LoadedTemplate): { definition?: ChecklistDefinition; diagnostics: Diagnostic[] } {
  const shipped = template.manifest.checklist;
  const source = input.checklistDefinition ?? (shipped && template.files[shipped] !== undefined ? { file: `${template.dir}/${shipped}`, text: template.files[shipped]! } : undefined);
  if (!source) return { diagnostics: [] };
  const d = parseChecklistDefinition(source.text, source.file, settings.limits);
  if (!d.ok) return { diagnostics: d.diagnostics };
  if (settings.checklist && !input.checklistDefinition) {
    const sel = parseSelector(settings.checklist);
    if (!('selector' in sel) || !selects(sel.selector, d.value)) {
      return {
        diagnostics: [diag('config/checklist-not-found', 'error', `config checklist "${settings.checklist}" does not match the available definition ${d.value.id}@${d.value.version}`, {
          file: input.config?.file, pointer: '/checklist', expected: `${d.value.id}@<range matching ${d.value.version}>, or the path of a checklist definition file`,
          fix: 'name a definition file (e.g. checklist: ./checklist.yaml) or a selector that matches the template\'s checklist',
        })],
      };
    }
  }
  return { definition: d.value, diagnostics: [] };
}

/**
 * ingest + settings + enrich: raw inputs to a Report. Returns diagnostics for every problem of
 * every input; `assembled` is absent when any error makes the report untrustworthy.
 */
export function assembleReport(input: AssembleInput): { assembled?: AssembledReport; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const settings = resolveSettings(input.config?.options ?? {}, input.overrides ?? {});
  const ingested = ingest(input.scans, { format: input.readerFormat ?? 'auto', limits: settings.limits });
  diagnostics.push(...ingested.diagnostics);
  const risk = parseRiskInputs(input.risk, settings.limits);
  diagnostics.push(...risk.diagnostics);
  const selected = selectTemplate(input.templates.filter((t) => t.manifest.kind === 'report'), settings.template);
  diagnostics.push(...selected.diagnostics);
  const template = selected.template;
  const definition = template ? checklistDefinition(input, settings, template) : { diagnostics: [] };
  diagnostics.push(...definition.diagnostics);
  let state: ChecklistState | undefined;
  if (input.checklistState) {
    const s = parseChecklistState(input.checklistState.text, input.checklistState.file, settings.limits);
    if (s.ok) state = s.value;
    else diagnostics.push(...s.diagnostics);
  }
  if (hasErrors(diagnostics) || !template) return { diagnostics };

  // A Map: evidence paths are untrusted text, and `__proto__` must stay a key like any other.
  const evidenceHashes = new Map<string, EvidenceHash>();
  for (const a of state?.attestations ?? []) {
    for (const e of a.evidence ?? []) {
      if (e.file && input.hashEvidence && !evidenceHashes.has(e.file)) evidenceHashes.set(e.file, input.hashEvidence(e.file));
    }
  }
  const inputs: InputRecord[] = [
    ...ingested.runs.map((r) => ({ path: r.source.path, sha256: r.source.sha256, kind: 'scan' as const })),
    ...(input.checklistState ? [{ path: input.checklistState.file, sha256: sha256(input.checklistState.text), kind: 'checklist' as const }] : []),
    ...(input.config ? [{ path: input.config.file, sha256: input.config.sha256, kind: 'config' as const }] : []),
    ...riskInputRecords(risk.inputs),
    ...(input.earlier ?? []).map((e) => ({ path: e.file, sha256: e.sha256, kind: 'history' as const })),
  ];
  // A multi-run SARIF file yields several runs from one input: record each file once.
  const uniqueInputs = inputs.filter((r, i) => inputs.findIndex((o) => o.path === r.path && o.kind === r.kind) === i);
  const enriched = enrich({
    runs: ingested.runs,
    settings,
    now: input.now,
    inputs: uniqueInputs,
    template: { id: template.id, version: template.version },
    auditmarkVersion: input.auditmarkVersion,
    checklist: definition.definition || state ? { definition: definition.definition, state, file: input.checklistState?.file } : undefined,
    evidenceHashes,
    git: input.git,
    risk: { inputs: risk.inputs, ...(input.earlier?.length ? { firstSeen: firstSeenFrom(input.earlier) } : {}) },
  });
  diagnostics.push(...enriched.diagnostics);
  if (hasErrors(diagnostics)) return { diagnostics };
  return { assembled: { settings, template, report: enriched.report }, diagnostics };
}

/** Is this parsed JSON a report.json (rather than scanner output)? */
export function isReportJson(value: unknown): value is Report {
  return typeof value === 'object' && value !== null && 'findings' in value && 'metadata' in value && 'summary' in value && 'schemaVersion' in value;
}

/**
 * Accept a parsed report.json (a diff side or a `--baseline`) only when it is one this auditmark
 * writes: the same `schemaVersion`, valid against `schemas/report.schema.json` (so a wrong type
 * or a status word outside the schema never reaches a document) and within `maxFindings`.
 */
export function checkReportJson(value: Report, file: string, limits: Pick<Limits, 'maxFindings'>): Diagnostic[] {
  if (value.schemaVersion !== REPORT_SCHEMA_VERSION) {
    return [diag('input/report-version', 'error', value.schemaVersion === undefined ? 'report.json has no schemaVersion' : `report.json schemaVersion "${String(value.schemaVersion)}" is not "${REPORT_SCHEMA_VERSION}"`, {
      file, pointer: '/schemaVersion', expected: `"${REPORT_SCHEMA_VERSION}"`, fix: 'rebuild the baseline with this auditmark version, or diff the original scanner files instead',
    })];
  }
  if (Array.isArray(value.findings) && value.findings.length > limits.maxFindings) {
    return [diag('limit/findings', 'error', `report.json holds ${value.findings.length} findings, over the limit maxFindings=${limits.maxFindings}`, {
      file, pointer: '/findings', expected: `at most ${limits.maxFindings} findings`, fix: 'raise it with --limit maxFindings=<value> or limits.maxFindings in auditmark.config.yaml',
    })];
  }
  return validateSchema('report', value, file);
}

