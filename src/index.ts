/**
 * auditmark's public library API: everything the CLI does, as functions. Named re-exports only.
 *
 * Typical use:
 * ```ts
 * import { planBuild, renderOutputs, writeOutputs, loadTemplates, SHIPPED_TEMPLATES_DIR } from 'auditmark';
 * const { templates } = loadTemplates([SHIPPED_TEMPLATES_DIR]);
 * const { plan, diagnostics } = planBuild({ scans: [{ file, bytes }], templates, now: new Date(), auditmarkVersion: '0.1.0' });
 * const out = await renderOutputs(plan!, ['md', 'json', 'pdf']);
 * await writeOutputs('audit-report', out.files);
 * ```
 */

// Pipeline (the stages composed)
export { assembleReport, planBuild, renderOutputs, planDiff, renderDiffOutputs, isReportJson, checkReportVersion } from './pipeline.ts';
export type { BuildInput, BuildPlan, AssembledReport, DiffPlan, RenderOptions, BuildFormat, TextInput } from './pipeline.ts';

// Model
export type { Severity, Confidence, FindingKind, SourceLocation, PackageRef, Suppression, Finding, NotScanned, Coverage, ScanRun, ScanDocument } from './model/types.ts';
export { SCAN_SCHEMA_VERSION } from './model/types.ts';
export type { Report, ReportFinding, ReportMetadata, RunSummary, OwaspRow, OwaspStatus, ChecklistItemResult, WaiverResult, OverallStatus, InputRecord, SeverityCounts } from './model/report.ts';
export { REPORT_SCHEMA_VERSION } from './model/report.ts';
export type { ReportDiff, DiffState, DiffFinding, DiffSummary, MatchStrategy } from './model/diff.ts';
export type { ConfigOptions, PolicyOptions, Settings, OwaspEdition } from './model/config.ts';
export type { Manifest, ManifestFile } from './model/manifest.ts';
export type { Diagnostic, DiagnosticLevel } from './model/diagnostics.ts';
export { hasErrors } from './model/diagnostics.ts';
export { DEFAULT_LIMITS } from './model/limits.ts';
export type { Limits } from './model/limits.ts';
export { SEVERITIES, severityRank, fromCvssScore } from './model/severity.ts';
export { FINGERPRINT_VERSION, assignFingerprints, fingerprintBasis, canonicalAdvisoryId } from './model/fingerprint.ts';
export { cvss3BaseScore } from './model/cvss.ts';
export { validateSchema } from './model/schema-validate.ts';
export type { SchemaName } from './model/schema-validate.ts';

// Ingest
export { ingest } from './ingest/ingest.ts';
export type { RawInput, IngestOptions, IngestResult } from './ingest/ingest.ts';
export { detectFormat, readerById } from './ingest/detect.ts';
export { READERS } from './ingest/readers.ts';
export type { Reader, ReaderInput, ReaderResult } from './ingest/reader.ts';

// Enrich
export { enrich } from './enrich/enrich.ts';
export type { EnrichInput, EnrichResult } from './enrich/enrich.ts';
export { parseConfig, resolveSettings } from './enrich/config.ts';
export { parseChecklistState, parseChecklistDefinition, evaluateChecklist } from './enrich/checklist.ts';
export { applyWaivers } from './enrich/waivers.ts';
export { owaspFor, OWASP_DATA } from './enrich/owasp.ts';
export { parseYaml } from './enrich/yaml-safe.ts';

// Compose
export { composeReport, composeDocument } from './compose/compose.ts';
export { readFrontmatter } from './compose/frontmatter.ts';
export { parseTemplateSelector, selectTemplate, listTemplates } from './compose/template-registry.ts';
export type { LoadedTemplate, TemplateManifest } from './compose/template-registry.ts';
export { loadTemplates, SHIPPED_TEMPLATES_DIR } from './cli/templates-fs.ts';

// Diff and gates
export { diffReports } from './diff/diff.ts';
export { parseGate, evaluateGates } from './diff/gates.ts';
export type { Gate, GateResult } from './diff/gates.ts';
export { exitCode, EXIT } from './diff/exit-code.ts';

// Emit
export { toHtml, renderHtml } from './emit/to-html.ts';
export { toPdf } from './emit/to-pdf.ts';
export { resolveBrowser, getBrowser, closeBrowser } from './emit/browser.ts';
export { toSarif } from './emit/to-sarif.ts';
export { toStepSummary } from './emit/summary.ts';
export { writeOutputs } from './emit/write-output.ts';
export type { OutputFile } from './emit/write-output.ts';
export { buildManifest, serializeManifest } from './emit/manifest.ts';
export { signManifest, verifyManifestSignature } from './emit/sign.ts';
export { verifyBundle } from './emit/verify.ts';
