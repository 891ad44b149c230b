/**
 * auditmark's public library API: everything the CLI does, as functions. Named re-exports only.
 *
 * Typical use (the README's library section has a tested example):
 * ```ts
 * import { build } from 'auditmark';
 * const result = await build({ scans: ['bandit.json'], formats: ['md', 'json', 'pdf'], out: 'audit-report' });
 * for (const d of result.diagnostics) console.error(d.code, d.message);
 * process.exitCode = result.exitCode;
 * ```
 */

// The product: what the CLI does, as functions
export { build, diff, history } from './pipeline.ts';
export type { BuildOptions, DiffOptions, HistoryCommandOptions, PipelineResources, PipelineResult } from './pipeline.ts';
export type { VerifyResult, VerifiedFile, SignatureState } from './bundle/verify.ts';
export { normalize, scanDocumentText } from './bundle/normalize.ts';
export type { NormalizeOptions } from './bundle/normalize.ts';
export { validate } from './bundle/validate.ts';
export { sourceProvenance, sameRepository } from './bundle/provenance.ts';
export type { SourceOptions, SourceProvenanceResult } from './bundle/provenance.ts';
export type { ValidatedFile } from './bundle/validate.ts';
export { openBrowser, resolveBrowser, toPdf } from './render/pdf-stack.ts';
export type { BrowserResource, OpenBrowserOptions, ResolvedBrowser } from './render/pdf/browser.ts';

// The pure plan (in-memory inputs → Report / ReportDiff and their documents)
export { assembleReport, planBuild, planDiff, planHistory, isReportJson, checkReportJson } from './plan.ts';
export type { AssembleInput, AssembledReport, BuildPlan, DiffPlan, HistoryPlan, TextInput } from './plan.ts';

// Model
export type { Severity, Confidence, FindingKind, SourceLocation, WebLocation, CvssRating, PackageRef, Suppression, SuppressionStatus, Finding, NotScanned, Coverage, ScanRun, ScanDocument } from './model/types.ts';
export { isSuppressed } from './model/suppression.ts';
export { SCAN_SCHEMA_VERSION } from './model/types.ts';
export type { Report, ReportFinding, ReportMetadata, RunSummary, OwaspRow, OwaspStatus, ChecklistItemResult, WaiverResult, OverallStatus, InputRecord, SeverityCounts } from './model/report.ts';
export type {
  ChecklistStatus, OwaspCoverage, OwaspScanEvidence, OwaspAttestationEvidence, RunFreshness, RuleEvaluation, AttestationView, EvidenceView, EvidenceCheck, GitProvenance,
} from './model/report.ts';
export type { StatusReason, RunWarning, ChecklistReason, Recommendation, GitUnrecorded, EvidenceProblem, EvidenceFileProblem, RuleCount, Attested } from './model/reasons.ts';
export { STATUS_REASON_CODES, RUN_WARNING_CODES, CHECKLIST_REASON_CODES, RECOMMENDATION_CODES, GIT_UNRECORDED_CODES, EVIDENCE_PROBLEMS } from './model/reasons.ts';
export { REPORT_SCHEMA_VERSION } from './model/report.ts';
export type { ReportDiff, DiffState, DiffFinding, DiffSummary, MatchStrategy, DerivedDocumentMetadata } from './model/diff.ts';
export type { ConfigOptions, PolicyOptions, Settings, OwaspEdition } from './model/config.ts';
export type { Manifest, ManifestFile } from './model/manifest.ts';
export type { Diagnostic, DiagnosticLevel, DiagnosticCode } from './model/diagnostics.ts';
export { CATALOGUE, codeSpec } from './model/diagnostic-catalogue.ts';
export type { DiagnosticCategory, CodeSpec } from './model/diagnostic-catalogue.ts';
export { hasErrors } from './model/diagnostics.ts';
export { DEFAULT_LIMITS } from './model/limits.ts';
export type { Limits } from './model/limits.ts';
export { SEVERITIES, severityRank, fromCvssScore } from './model/severity.ts';
export { FINGERPRINT_VERSION, assignFingerprints, fingerprintBasis, canonicalAdvisoryId } from './model/fingerprint.ts';
export { cvss3BaseScore, scoreCvss, cvssSeverity } from './model/cvss.ts';
export type { CvssVersion, CvssParsed, CvssRejected } from './model/cvss.ts';
export type { ReportRisk, CvssScore, EpssScore, KevEntry, Exploitability, FindingVex, FindingSla, FixFirstRow, RiskReason, VexStatement, VexDocument, RiskInputs } from './model/risk.ts';
export type { ReportHistory, HistoryRelease } from './model/history.ts';
export { parseVex } from './ingest/risk/vex.ts';
export { parseKev } from './ingest/risk/kev.ts';
export { parseEpss } from './ingest/risk/epss.ts';
export { parseOsvAdvisories, unzipOsv } from './ingest/risk/osv-advisories.ts';
export { buildHistory, orderReleases } from './diff/history.ts';
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
export { parseConfig, resolveSettings } from './settings/config.ts';
export { parseChecklistState, parseChecklistDefinition } from './settings/checklist.ts';
export { evaluateChecklist } from './enrich/checklist.ts';
export type { ChecklistDefinition, ChecklistState, Attestation, Waiver, Evidence, EvidenceHash, ChecklistRule } from './model/checklist.ts';
export { applyWaivers } from './enrich/waivers.ts';
export { owaspFor, OWASP_DATA } from './enrich/owasp.ts';
export { parseYaml } from './settings/yaml.ts';

// Compose
export { composeContent, composeTree, composeFor } from './compose/compose.ts';
export type { ComposedDocument, ComposeOptions, DocumentContent } from './compose/compose.ts';
export { composeReport, composeDiff, composeHistory, diffMetadata } from './compose/documents.ts';
export { historyContext, historyFrontmatter, historyMetadata } from './compose/compose-history.ts';
export type { ChartSpec, ChartBar, ChartSegment } from './compose/charts.ts';
export { readFrontmatter } from './settings/frontmatter.ts';
export { parseTemplateSelector, selectTemplate, listTemplates } from './compose/template-registry.ts';
export type { LoadedTemplate, TemplateManifest } from './compose/template-registry.ts';
export { loadTemplates, SHIPPED_TEMPLATES_DIR } from './bundle/templates-fs.ts';

// Diff and gates
export { diffReports } from './diff/diff.ts';
export { parseGate, evaluateGates } from './policy/gates.ts';
export type { Gate, GateResult } from './policy/gates.ts';
export { exitCode, EXIT } from './policy/exit-code.ts';

// Render and bundle
export { HtmlWriter, renderHtml } from './render/html/to-html.ts';
export type { HtmlOptions, HtmlDocument, HtmlPage, PrintPart } from './render/html/to-html.ts';
export { documentMarkdown, markdownFile, MarkdownWriter, treeToMarkdown, stringifyFrontmatter } from './render/markdown.ts';
export { renderDocument, renderReport, jsonBytes } from './render/render.ts';
export type { BuildFormat, DiffFormat, PlannedDocument, RenderResources, Rendered } from './render/render.ts';
export { toSarif } from './render/sarif.ts';
export { toOscal, riskStatus, OSCAL_VERSION, OSCAL_NS } from './render/oscal.ts';
export { ruleHelp, ruleHelpFacts } from './render/sarif-help.ts';
export { toStepSummary, statusReasonText } from './render/summary.ts';
export { writeOutputs } from './bundle/write.ts';
export type { OutputFile } from './bundle/write.ts';
export { buildManifest, serializeManifest } from './bundle/manifest.ts';
export { assembleBundle } from './bundle/bundle.ts';
export type { BundleInput } from './bundle/bundle.ts';
export { signManifest, verifyManifestSignature } from './bundle/sign.ts';
export { verifyBundle } from './bundle/verify.ts';
export { ATTESTATION_FILE, DSSE_PAYLOAD_TYPE, PREDICATE_TYPE, STATEMENT_TYPE, buildStatement, openEnvelope, preAuthEncoding, signStatement } from './bundle/attest.ts';
export type { AuditPredicate, Envelope, EnvelopeCheck, Statement, Subject } from './bundle/attest.ts';
