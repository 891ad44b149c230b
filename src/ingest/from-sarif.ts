import { diag } from '../model/diagnostics.ts';
import { limitHint } from '../model/limits.ts';
import { collectCwes, normalizePath } from '../model/normalize-text.ts';
import type { Confidence, Coverage, FindingKind, NotScanned, PackageRef, Severity, SourceLocation, Suppression, SuppressionStatus } from '../model/types.ts';
import { arr, isObject, type DraftFinding, type DraftRun, type Reader, type ReaderInput, type ReaderResult } from './reader.ts';
import { FieldCheck, confidenceOf, firstLine, maskSecrets, splitVersions } from './field-check.ts';

type Obj = Record<string, unknown>;

const LEVELS = ['error', 'warning', 'note', 'none'] as const;
type Level = (typeof LEVELS)[number];

/** SARIF `level` → severity, used only when the producer gives no security severity. */
const LEVEL_SEVERITY: Readonly<Record<Level, Severity>> = { error: 'high', warning: 'medium', note: 'low', none: 'info' };

/** `security-severity` given as a word (Semgrep 1.x) instead of a CVSS number (GitHub, Trivy). */
const SECURITY_SEVERITY_WORDS: Readonly<Record<string, Severity>> = {
  critical: 'critical', high: 'high', medium: 'medium', moderate: 'medium', low: 'low', info: 'info', informational: 'info', none: 'info',
};

/** Bandit's and ShiftLeft scan's `properties.issue_severity`. */
const ISSUE_SEVERITY: Readonly<Record<string, Severity>> = {
  critical: 'critical', high: 'high', medium: 'medium', low: 'low', undefined: 'unknown',
};

// gitleaks 8 writes commit metadata into partialFingerprints; none of it identifies the
// problem and author/email are personal data that must never reach a report.
const NOT_FINGERPRINTS = new Set(['commitsha', 'commit', 'author', 'email', 'date', 'commitmessage', 'message', 'repo']);
const MEANINGLESS_FINGERPRINT = new Set(['', 'requires login']);
const MEANINGLESS_LENGTHS = new Set([...MEANINGLESS_FINGERPRINT].map((s) => s.length));

const SECRET_TOOLS = /gitleaks|trufflehog|detect-secrets|secretlint|ggshield/i;
const SCA_TOOLS = /^(trivy|grype|snyk|osv-scanner|dependency-check|npm audit|pip-audit)$/i;

/**
 * SARIF 2.1.0 from any producer (CodeQL, Semgrep, Bandit, ESLint, Trivy, gitleaks, ShiftLeft
 * scan, codacy merges...). One normalised run per SARIF run.
 */
export const fromSarif: Reader = {
  id: 'sarif',
  description: 'SARIF 2.1.0 logs from any producer (CodeQL, Semgrep, Bandit, ESLint, Trivy, gitleaks, ...)',
  detect(value) {
    if (!isObject(value) || !Array.isArray(value.runs)) return 0;
    if (typeof value.version === 'string' && value.version.startsWith('2.')) return 1;
    if (typeof value.$schema === 'string' && /sarif/i.test(value.$schema)) return 1;
    // Without version/$schema only SARIF's own `tool.driver` shape says SARIF (auditmark's
    // normalised scan JSON also has `runs[].tool`, but no driver).
    return value.runs.some((r) => isObject(r) && isObject(r.tool) && isObject(r.tool.driver)) ? 0.8 : 0;
  },
  read: readSarif,
};

function readSarif({ value, limits }: ReaderInput): ReaderResult {
  const f = new FieldCheck();
  if (!isObject(value) || !Array.isArray(value.runs)) {
    if (!isObject(value)) f.refuse('a SARIF log must be a JSON object', '', 'an object with "version" and "runs"');
    else f.refuse('/runs is missing or not an array', '/runs', 'an array of SARIF runs');
    return { runs: [], diagnostics: f.diagnostics };
  }
  // Refuse before mapping: a huge log must not be half-processed before the limit is noticed.
  const total = value.runs.reduce<number>((n, r) => n + (isObject(r) && Array.isArray(r.results) ? r.results.length : 0), 0);
  if (total > limits.maxFindings) {
    return {
      runs: [],
      diagnostics: [diag('limit/findings', 'error', `the SARIF log holds ${total} results, over the limit maxFindings=${limits.maxFindings}`, {
        pointer: '/runs', expected: `at most ${limits.maxFindings} results`, fix: limitHint('maxFindings'),
      })],
    };
  }
  const runs: DraftRun[] = [];
  value.runs.forEach((run, i) => {
    const p = `/runs/${i}`;
    if (!isObject(run)) {
      f.bad(p, 'a SARIF run object', run);
      return;
    }
    runs.push(readRun(run, p, f));
  });
  // A bad rule-level field is met once per result that uses the rule; report it once.
  const seen = new Set<string>();
  const diagnostics = f.diagnostics.filter((d) => {
    const key = `${d.code}\u0000${d.pointer}\u0000${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { runs, diagnostics };
}

interface RunContext {
  tool: string;
  /** Per-rule values every result of the rule shares (a 100,000-result log has a few dozen rules). */
  ruleTitles: Map<Obj, string | undefined>;
  ruleReferences: Map<Obj, readonly string[]>;
  rules: Obj[];
  /** Rules of `tool.extensions[n]`, for results that name `rule.toolComponent.index`. */
  extensionRules: Obj[][];
  ruleById: Map<string, Obj>;
  /** JSON pointer of each rule object, so rule-level problems are located. */
  rulePointer: Map<Obj, string>;
  ruleCwes: Map<Obj, string[]>;
  /** The rule's own `security-severity` reading (`null`: none), read once per rule. */
  ruleSecuritySeverity: Map<Obj, { severity: Severity; rawSeverity?: string } | null>;
  /** The rule's `properties.precision` as a confidence (`null`: none). */
  ruleConfidence: Map<Obj, Confidence | null>;
  bases: Obj;
  artifacts: unknown[];
  p: string;
  f: FieldCheck;
}

function readRun(run: Obj, p: string, f: FieldCheck): DraftRun {
  const tool = f.object(run.tool, `${p}/tool`);
  const driver = f.object(tool?.driver, `${p}/tool/driver`);
  const rawName = f.id(driver?.name, `${p}/tool/driver/name`);
  const name = (rawName ?? 'unknown-sarif-tool').toLowerCase();
  const version = f.string(driver?.version, `${p}/tool/driver/version`) ?? f.string(driver?.semanticVersion, `${p}/tool/driver/semanticVersion`);
  const rulePointer = new Map<Obj, string>();
  // Non-object rules become empty ones, so ruleIndex keeps pointing at the right entry.
  const rules = f.array(driver?.rules, `${p}/tool/driver/rules`).map((r, k) => {
    if (isObject(r)) return r;
    f.bad(`${p}/tool/driver/rules/${k}`, 'a SARIF rule object', r);
    return {};
  });
  rules.forEach((r, k) => rulePointer.set(r, `${p}/tool/driver/rules/${k}`));
  const extensionRules = f.array(tool?.extensions, `${p}/tool/extensions`).map((e, n) => {
    const list = isObject(e) ? arr(e.rules).map((r) => (isObject(r) ? r : {})) : [];
    list.forEach((r, k) => rulePointer.set(r, `${p}/tool/extensions/${n}/rules/${k}`));
    return list;
  });
  const ruleById = new Map<string, Obj>();
  for (const r of [...rules, ...extensionRules.flat()]) {
    if (typeof r.id === 'string' && !ruleById.has(r.id)) ruleById.set(r.id, r);
  }
  const ctx: RunContext = {
    tool: name, rules, extensionRules, ruleById, rulePointer, ruleCwes: new Map(), ruleSecuritySeverity: new Map(), ruleConfidence: new Map(), ruleTitles: new Map(), ruleReferences: new Map(), p, f,
    bases: f.object(run.originalUriBaseIds, `${p}/originalUriBaseIds`) ?? {},
    artifacts: f.array(run.artifacts, `${p}/artifacts`),
  };
  const findings: DraftFinding[] = [];
  let notFailures = 0;
  f.array(run.results, `${p}/results`).forEach((res, j) => {
    const rp = `${p}/results/${j}`;
    if (!isObject(res)) {
      f.bad(rp, 'a SARIF result object', res);
      return;
    }
    // `kind` defaults to "fail"; "pass" and "notApplicable" record a check that found nothing.
    if (res.kind === 'pass' || res.kind === 'notApplicable') {
      notFailures++;
      return;
    }
    findings.push(readResult(res, rp, ctx));
  });
  if (notFailures > 0) {
    f.diagnostics.push(diag('ingest/sarif-passed-results', 'info', `${notFailures} result(s) with kind "pass" or "notApplicable" record checks that found nothing; they are not findings`, { pointer: `${p}/results` }));
  }

  const invocations = f.array(run.invocations, `${p}/invocations`);
  const out: DraftRun = {
    tool: version !== undefined ? { name, version } : { name },
    format: 'sarif',
    notScanned: notScanned(invocations, p, f),
    findings,
    coverage: coverage(name, [...rules, ...extensionRules.flat()], findings),
  };
  const firstInv = invocations.find(isObject);
  const started = firstInv ? f.string(firstInv.startTimeUtc, `${p}/invocations/0/startTimeUtc`) : undefined;
  if (started) out.startedAt = started;
  return out;
}

/** Coverage gaps: failed invocations and error-level (or parse-failure) notifications. */
function notScanned(invocations: unknown[], p: string, f: FieldCheck): NotScanned[] {
  const out: NotScanned[] = [];
  invocations.forEach((inv, k) => {
    const ip = `${p}/invocations/${k}`;
    if (!isObject(inv)) return;
    if (inv.executionSuccessful === false) {
      const why = f.string(inv.exitCodeDescription, `${ip}/exitCodeDescription`) ?? f.string(inv.exitSignalName, `${ip}/exitSignalName`);
      out.push({ reason: `the tool reported an unsuccessful execution${why ? `: ${why}` : ''}`, pointer: `${ip}/executionSuccessful` });
    }
    for (const key of ['toolExecutionNotifications', 'toolConfigurationNotifications'] as const) {
      f.array(inv[key], `${ip}/${key}`).forEach((n, m) => {
        const np = `${ip}/${key}/${m}`;
        if (!isObject(n)) return;
        const level = typeof n.level === 'string' ? n.level : 'warning';
        const descriptor = isObject(n.descriptor) && typeof n.descriptor.id === 'string' ? n.descriptor.id : '';
        const text = isObject(n.message) ? f.string(n.message.text, `${np}/message/text`) ?? '' : '';
        // Semgrep reports files it could not parse as warning-level "Syntax error"
        // notifications: those files were not analysed, which is a coverage gap.
        const parseFailure = /syntax error|parse error|parsing/i.test(`${descriptor} ${text.slice(0, 200)}`);
        if (level !== 'error' && !parseFailure) return;
        const entry: NotScanned = { reason: firstLine(text) || descriptor || `${level} notification`, pointer: np };
        const loc = arr(n.locations).find(isObject);
        const uri = loc && isObject(loc.physicalLocation) && isObject(loc.physicalLocation.artifactLocation) ? loc.physicalLocation.artifactLocation.uri : undefined;
        const fromText = /at line ([^\s:]+):\d+/.exec(text)?.[1];
        const path = typeof uri === 'string' ? uri : fromText;
        if (path) entry.path = normalizePath(path);
        out.push(entry);
      });
    }
  });
  return out;
}

function coverage(tool: string, rules: Obj[], findings: DraftFinding[]): Coverage {
  const cwe = collectCwes(rules.flatMap((r) => cweCandidates(r.properties)));
  const c: Coverage = { source: 'rules[] of the SARIF run' };
  if (cwe.length > 0) c.cwe = cwe;
  if (SCA_TOOLS.test(tool) || findings.some((x) => x.kind === 'dependency')) c.dependencies = true;
  if (SECRET_TOOLS.test(tool)) c.secrets = true;
  return c;
}

/** CWE-bearing strings among rule/result properties: `tags` entries that mention a CWE, and `cwe`. */
function cweCandidates(props: unknown): readonly unknown[] {
  if (!isObject(props) || (props.tags === undefined && props.cwe === undefined)) return NONE;
  // Only tags that mention "cwe" are candidates: a bare numeric tag such as "2021" is not a CWE.
  const tags = arr(props.tags).filter((t): t is string => typeof t === 'string' && /cwe[-_/ :]?\d/i.test(t));
  const cwe = props.cwe;
  return [...tags, ...(Array.isArray(cwe) ? cwe : cwe !== undefined ? [cwe] : [])];
}

const NONE: readonly unknown[] = Object.freeze([]);

/**
 * Rule CWEs are computed once per rule and the array is shared by the rule's results (frozen:
 * nothing may change one finding's list through another's).
 */
function resultCwes(rule: Obj | undefined, ruleProps: Obj, resProps: Obj, ctx: RunContext): string[] {
  let fromRule = rule ? ctx.ruleCwes.get(rule) : undefined;
  if (fromRule === undefined) {
    fromRule = Object.freeze(collectCwes(cweCandidates(ruleProps))) as string[];
    if (rule) ctx.ruleCwes.set(rule, fromRule);
  }
  const own = cweCandidates(resProps);
  return own.length === 0 ? fromRule : collectCwes([...fromRule, ...own]);
}

function readResult(res: Obj, rp: string, ctx: RunContext): DraftFinding {
  const { f } = ctx;
  const rule = resolveRule(res, rp, ctx);
  const message = messageText(res, rule, rp, f);
  const ruleId = f.id(res.ruleId, rp, 'ruleId')
    ?? (isObject(res.rule) ? f.id(res.rule.id, rp, 'rule/id') : undefined)
    ?? (typeof rule?.id === 'string' && rule.id.trim() !== '' ? rule.id.trim() : undefined)
    ?? ruleFromMessage(message, ctx)
    ?? 'sarif/no-rule-id';
  const ruleProps = isObject(rule?.properties) ? rule.properties : EMPTY;
  const resProps = f.object(res.properties, rp, 'properties') ?? EMPTY;

  const rulePtr = rule && ctx.rulePointer.get(rule);
  const level = resolveLevel(res, rule, rp, rulePtr, f);
  const { severity, rawSeverity } = resolveSeverity(resProps, rule, ruleProps, level, rp, rulePtr, ctx);

  const isSecret = SECRET_TOOLS.test(ctx.tool);
  const pkg = isSecret || !message.includes('Installed Version: ') ? undefined : trivyPackage(message);
  const kind: FindingKind = isSecret ? 'secret' : pkg ? 'dependency' : 'code';
  const secretValues = isSecret ? [resProps.offender, resProps.secret, resProps.match].filter((s): s is string => typeof s === 'string') : [];

  const finding: DraftFinding = {
    tool: ctx.tool,
    kind,
    ruleId,
    title: cachedRuleTitle(rule, ctx) ?? ruleId,
    message: isSecret ? maskSecrets(message, secretValues) : message,
    severity,
    cwe: resultCwes(rule, ruleProps, resProps, ctx),
    // SARIF has no advisory aliases: one frozen empty list serves every result.
    aliases: NO_ALIASES,
    references: ruleReferences(rule, ctx),
    pointer: rp,
  };
  if (rawSeverity !== undefined) finding.rawSeverity = rawSeverity;
  const conf = confidence(resProps, rule, ruleProps, ctx);
  if (conf) finding.confidence = conf;
  const loc = location(res, rp, ctx);
  if (loc) {
    if (isSecret && loc.snippet !== undefined) loc.snippet = maskSecrets(loc.snippet, secretValues);
    finding.location = loc;
  }
  if (pkg) finding.package = pkg;
  const fps = producerFingerprints(res, rp, f);
  if (fps) finding.producerFingerprints = fps;
  if (res.suppressions !== undefined) {
    const sups = suppressions(res, rp, f);
    if (sups.length > 0) finding.suppressions = sups;
  }
  return finding;
}

/** `ruleIndex` / `rule.index` (into the driver or an extension), else the rule with the same id. */
function resolveRule(res: Obj, rp: string, ctx: RunContext): Obj | undefined {
  const { f } = ctx;
  const ref = res.rule === undefined ? undefined : f.object(res.rule, rp, 'rule');
  let rules = ctx.rules;
  if (ref && isObject(ref.toolComponent) && typeof ref.toolComponent.index === 'number') {
    rules = ctx.extensionRules[ref.toolComponent.index] ?? [];
  }
  const rawIndex = res.ruleIndex ?? ref?.index;
  // -1 is SARIF's documented "no index" default.
  if (rawIndex !== undefined && rawIndex !== -1) {
    if (typeof rawIndex === 'number' && Number.isInteger(rawIndex) && rawIndex >= 0 && rawIndex < rules.length) return rules[rawIndex];
    f.bad(res.ruleIndex !== undefined ? `${rp}/ruleIndex` : `${rp}/rule/index`, `an index into the ${rules.length} rules of the run`, rawIndex);
  }
  const id = typeof res.ruleId === 'string' ? res.ruleId : typeof ref?.id === 'string' ? ref.id : undefined;
  return id !== undefined ? ctx.ruleById.get(id) : undefined;
}

/**
 * gitleaks 7 writes no ruleId; its message is "<rule name> secret detected" and its rules use
 * the name as id, so the longest rule id that starts the message is the rule.
 */
function ruleFromMessage(message: string, ctx: RunContext): string | undefined {
  let best: string | undefined;
  for (const id of ctx.ruleById.keys()) {
    if (id !== '' && message.startsWith(id) && (best === undefined || id.length > best.length)) best = id;
  }
  return best ?? /^(.+?) secret detected/.exec(message)?.[1]?.trim() ?? undefined;
}

function messageText(res: Obj, rule: Obj | undefined, rp: string, f: FieldCheck): string {
  const msg = f.object(res.message, rp, 'message');
  if (!msg) return '';
  const text = f.string(msg.text, rp, 'message/text') ?? f.string(msg.markdown, rp, 'message/markdown');
  if (text !== undefined) return substitute(text, msg.arguments);
  // A message may only reference a rule's messageStrings by id, with {0} placeholders.
  const id = typeof msg.id === 'string' ? msg.id : undefined;
  const strings = isObject(rule?.messageStrings) ? rule.messageStrings : undefined;
  const template = id && strings && isObject(strings[id]) ? strings[id] : undefined;
  if (template && typeof template.text === 'string') return substitute(template.text, msg.arguments);
  if (Object.keys(msg).length === 0) f.bad(`${rp}/message`, 'an object with "text"', msg);
  return '';
}

function substitute(text: string, args: unknown): string {
  const list = arr(args);
  if (list.length === 0) return text;
  return text.replace(/\{(\d+)\}/g, (m, n: string) => (typeof list[Number(n)] === 'string' ? (list[Number(n)] as string) : m));
}

const EMPTY: Obj = Object.freeze({}) as Obj;
const NO_ALIASES = Object.freeze([]) as unknown as string[];

function cachedRuleTitle(rule: Obj | undefined, ctx: RunContext): string | undefined {
  if (!rule) return undefined;
  if (!ctx.ruleTitles.has(rule)) ctx.ruleTitles.set(rule, ruleTitle(rule));
  return ctx.ruleTitles.get(rule);
}

function ruleTitle(rule: Obj | undefined): string | undefined {
  if (!rule) return undefined;
  const short = isObject(rule.shortDescription) && typeof rule.shortDescription.text === 'string' ? rule.shortDescription.text.trim() : '';
  if (short) return firstLine(short);
  if (typeof rule.name === 'string' && rule.name.trim() !== '') return rule.name.trim();
  return undefined;
}

/** `result.level` → rule `defaultConfiguration.level` → `warning`; `""` (PMD via codacy) is absent. */
function resolveLevel(res: Obj, rule: Obj | undefined, rp: string, rulePtr: string | undefined, f: FieldCheck): Level {
  const own = levelOf(res.level, rp, 'level', f);
  if (own) return own;
  const dc = isObject(rule?.defaultConfiguration) ? rule.defaultConfiguration : undefined;
  return (dc && levelOf(dc.level, rulePtr ?? `${rp}/rule`, 'defaultConfiguration/level', f)) || 'warning';
}

function levelOf(v: unknown, ptr: string, key: string, f: FieldCheck): Level | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'string' && (LEVELS as readonly string[]).includes(v)) return v as Level;
  f.bad(`${ptr}/${key}`, `one of: ${LEVELS.join(', ')}`, v);
  return undefined;
}

/**
 * `security-severity` (result, then rule properties) as a CVSS number or a word; else
 * Bandit/slscan `issue_severity`; else the level table.
 */
function resolveSeverity(resProps: Obj, rule: Obj | undefined, ruleProps: Obj, level: Level, rp: string, rulePtr: string | undefined, ctx: RunContext): { severity: Severity; rawSeverity?: string } {
  const rulePlace = rulePtr ?? `${rp}/rule`;
  return securitySeverity(resProps, rp, ctx) ?? ruleSecuritySeverity(rule, ruleProps, rulePtr, rulePlace, ctx)
    ?? issueSeverity(resProps, rp, ctx) ?? issueSeverity(ruleProps, rulePlace, ctx)
    ?? { severity: LEVEL_SEVERITY[level], rawSeverity: level };
}

/**
 * The rule's `security-severity`, read once per rule (a 100,000-result log has a few dozen). A
 * bad value is reported the first time, where the uncached read would first report it; later
 * reports of it were removed as repeats anyway (see `readSarif`). The result is shared, and
 * only ever destructured.
 */
function ruleSecuritySeverity(rule: Obj | undefined, ruleProps: Obj, rulePtr: string | undefined, rulePlace: string, ctx: RunContext): { severity: Severity; rawSeverity?: string } | undefined {
  if (!rule || rulePtr === undefined) return securitySeverity(ruleProps, rulePlace, ctx);
  let s = ctx.ruleSecuritySeverity.get(rule);
  if (s === undefined) {
    s = securitySeverity(ruleProps, rulePtr, ctx) ?? null;
    ctx.ruleSecuritySeverity.set(rule, s);
  }
  return s ?? undefined;
}

/** `properties["security-severity"]` of `owner` (a result or rule at `ptr`) as a CVSS number or a word. */
function securitySeverity(props: Obj, ptr: string, ctx: RunContext): { severity: Severity; rawSeverity?: string } | undefined {
  const raw = props['security-severity'];
  if (raw === undefined || raw === null || raw === '') return undefined;
  const { f } = ctx;
  const at = `${ptr}/properties/security-severity`;
  const byScore = f.score(raw, at);
  if (byScore) return { severity: byScore, rawSeverity: String(raw) };
  if (typeof raw === 'string' && !/^\s*[\d.eE+-]+\s*$/.test(raw)) return f.severity(raw, SECURITY_SEVERITY_WORDS, at, 'SARIF security-severity');
  if (typeof raw !== 'number') f.bad(at, 'a CVSS score (0.0-10.0) as a number or string, or a severity word', raw);
  return undefined;
}

/** Bandit's and ShiftLeft scan's `properties.issue_severity`; a non-string (a bad field, reported) falls through. */
function issueSeverity(props: Obj, ptr: string, ctx: RunContext): { severity: Severity; rawSeverity?: string } | undefined {
  const raw = props.issue_severity;
  if (raw === undefined || raw === null) return undefined;
  const s = ctx.f.severity(raw, ISSUE_SEVERITY, `${ptr}/properties/issue_severity`, `${ctx.tool} issue_severity`);
  return s.rawSeverity !== undefined ? s : undefined;
}

/** `rule.properties.precision` (SARIF/CodeQL vocabulary) or Bandit's `issue_confidence`. */
function confidence(resProps: Obj, rule: Obj | undefined, ruleProps: Obj, ctx: RunContext): Confidence | undefined {
  const own = confidenceOf(resProps.issue_confidence) ?? confidenceOf(resProps.precision);
  if (own !== undefined) return own;
  if (!rule) return confidenceOf(ruleProps.precision);
  let c = ctx.ruleConfidence.get(rule);
  if (c === undefined) {
    c = confidenceOf(ruleProps.precision) ?? null;
    ctx.ruleConfidence.set(rule, c);
  }
  return c ?? undefined;
}

/** The rule's `helpUri` when it is http(s); one frozen array per rule, shared by its results. */
function ruleReferences(rule: Obj | undefined, ctx: RunContext): string[] {
  if (!rule) return [];
  let refs = ctx.ruleReferences.get(rule);
  if (refs === undefined) {
    refs = Object.freeze(typeof rule.helpUri === 'string' && /^https?:\/\//i.test(rule.helpUri) ? [rule.helpUri] : []);
    ctx.ruleReferences.set(rule, refs);
  }
  return refs as string[];
}

/** The first location's physical location, with `uriBaseId` and `artifacts[index]` resolved. */
function location(res: Obj, rp: string, ctx: RunContext): SourceLocation | undefined {
  const { f } = ctx;
  const locs = f.array(res.locations, rp, 'locations');
  const first = locs[0];
  if (first === undefined) return undefined;
  // Pointers are built only when something is reported: this runs once per result.
  if (!isObject(first)) {
    f.bad(`${rp}/locations/0`, 'a SARIF location object', first);
    return undefined;
  }
  const phys = first.physicalLocation;
  if (!isObject(phys)) {
    if (phys !== undefined && phys !== null) f.bad(`${rp}/locations/0/physicalLocation`, 'an object', phys);
    return undefined;
  }
  const al = isObject(phys.artifactLocation) ? phys.artifactLocation : f.object(phys.artifactLocation, rp, 'locations/0/physicalLocation/artifactLocation');
  let uri = al ? (typeof al.uri === 'string' ? al.uri : f.string(al.uri, rp, 'locations/0/physicalLocation/artifactLocation/uri')) : undefined;
  let baseId = al ? (typeof al.uriBaseId === 'string' ? al.uriBaseId : f.string(al.uriBaseId, rp, 'locations/0/physicalLocation/artifactLocation/uriBaseId')) : undefined;
  if (al && al.index !== undefined) {
    const idx = al.index;
    const art = typeof idx === 'number' && Number.isInteger(idx) && idx >= 0 ? ctx.artifacts[idx] : undefined;
    if (!isObject(art)) {
      f.bad(`${rp}/locations/0/physicalLocation/artifactLocation/index`, `an index into the ${ctx.artifacts.length} artifacts of the run`, idx);
    } else if (isObject(art.location)) {
      uri ??= typeof art.location.uri === 'string' ? art.location.uri : undefined;
      baseId ??= typeof art.location.uriBaseId === 'string' ? art.location.uriBaseId : undefined;
    }
  }
  if (uri === undefined) return undefined;
  const resolved = baseId === undefined ? uri : resolveUri(uri, baseId, ctx.bases);
  const path = normalizePath(resolved);
  // The original is the URI as the file wrote it, before uriBaseId resolution.
  const loc: SourceLocation = { path };
  if (path !== uri) loc.originalPath = uri;
  const region = isObject(phys.region) ? phys.region : f.object(phys.region, rp, 'locations/0/physicalLocation/region');
  if (region) {
    const startLine = regionInt(region.startLine, rp, 'startLine', f);
    const startColumn = regionInt(region.startColumn, rp, 'startColumn', f);
    const endLine = regionInt(region.endLine, rp, 'endLine', f);
    const endColumn = regionInt(region.endColumn, rp, 'endColumn', f);
    if (startLine !== undefined) loc.startLine = startLine;
    if (startColumn !== undefined) loc.startColumn = startColumn;
    if (endLine !== undefined) loc.endLine = endLine;
    if (endColumn !== undefined) loc.endColumn = endColumn;
    const snip = isObject(region.snippet) ? region.snippet : f.object(region.snippet, rp, 'locations/0/physicalLocation/region/snippet');
    const text = snip ? (typeof snip.text === 'string' ? snip.text : f.string(snip.text, rp, 'locations/0/physicalLocation/region/snippet/text')) : undefined;
    if (text !== undefined && text.trim() !== '') loc.snippet = text.endsWith('\n') ? text.replace(/\r?\n$/, '') : text;
  }
  return loc;
}

/** A 1-based region number of the first location; the common valid case returns without building a pointer. */
function regionInt(v: unknown, rp: string, key: string, f: FieldCheck): number | undefined {
  if (v === undefined || (typeof v === 'number' && Number.isSafeInteger(v) && v >= 1)) return v as number | undefined;
  return f.int(v, `${rp}/locations/0/physicalLocation/region`, 1, key);
}

/**
 * Resolve `uriBaseId` through `run.originalUriBaseIds` (which may chain). An undefined base
 * such as `%SRCROOT%` leaves the URI relative, which is what a repo-relative path should be.
 */
function resolveUri(uri: string, baseId: string | undefined, bases: Obj): string {
  // Most logs name a base (%SRCROOT%) without defining it: the URI then stays as written.
  if (baseId === undefined || !Object.prototype.hasOwnProperty.call(bases, baseId)) return uri;
  if (/^[a-z][a-z0-9+.-]*:/i.test(uri) && !/^[a-z]:[\\/]/i.test(uri)) return uri;
  let out = uri;
  let id: string | undefined = baseId;
  const seen = new Set<string>();
  while (id !== undefined && !seen.has(id)) {
    seen.add(id);
    const base: unknown = Object.prototype.hasOwnProperty.call(bases, id) ? bases[id] : undefined;
    if (!isObject(base)) break;
    const b = typeof base.uri === 'string' ? base.uri : '';
    out = b === '' ? out : b.endsWith('/') ? b + out : `${b}/${out}`;
    id = typeof base.uriBaseId === 'string' ? base.uriBaseId : undefined;
  }
  return out;
}

/** Whether a `partialFingerprints`/`fingerprints` key names a fingerprint (gitleaks 8 abuses the object for commit data). */
const fingerprintKeyCache = new Map<string, boolean>();
function isFingerprintKey(k: string): boolean {
  let ok = fingerprintKeyCache.get(k);
  if (ok === undefined) {
    ok = !NOT_FINGERPRINTS.has(k.toLowerCase());
    if (fingerprintKeyCache.size < 1024) fingerprintKeyCache.set(k, ok);
  }
  return ok;
}

const FINGERPRINT_KEYS = ['partialFingerprints', 'fingerprints'] as const;

/**
 * Whether a fingerprint value says nothing ({@link MEANINGLESS_FINGERPRINT}, case and white
 * space aside). A value that starts and ends with a printable ASCII character is its own trimmed
 * form, so only one of the listed lengths can match: the common 20-character hash is rejected
 * without trimming and lower-casing 100,000 strings.
 */
function meaninglessFingerprint(v: string): boolean {
  const n = v.length;
  if (n > 0 && !MEANINGLESS_LENGTHS.has(n)) {
    const a = v.charCodeAt(0), z = v.charCodeAt(n - 1);
    if (a > 32 && a < 127 && z > 32 && z < 127) return false;
  }
  return MEANINGLESS_FINGERPRINT.has(v.trim().toLowerCase());
}

function producerFingerprints(res: Obj, rp: string, f: FieldCheck): Record<string, string> | undefined {
  let out: Record<string, string> | undefined;
  for (let n = 0; n < FINGERPRINT_KEYS.length; n++) {
    const key = FINGERPRINT_KEYS[n]!;
    const raw = res[key];
    if (raw === undefined) continue;
    const fp = isObject(raw) ? raw : f.object(raw, rp, key);
    if (!fp) continue;
    for (const k in fp) {
      const v = fp[k];
      if (typeof v !== 'string' || !isFingerprintKey(k) || meaninglessFingerprint(v)) continue;
      (out ??= {})[k] = v;
    }
  }
  return out;
}

const SUPPRESSION_STATUSES: ReadonlySet<string> = new Set<SuppressionStatus>(['accepted', 'underReview', 'rejected']);

/**
 * Every suppression of the result, in order, with its kind, status and justification as written.
 * Whether the finding is suppressed is decided later by the one SARIF rule (`isSuppressed`): an
 * `underReview` or `rejected` suppression keeps it open. A suppression with a status outside
 * SARIF's three words cannot be judged, so it is left out (the finding then counts as open
 * unless another suppression applies) and reported.
 */
function suppressions(res: Obj, rp: string, f: FieldCheck): Suppression[] {
  const out: Suppression[] = [];
  f.array(res.suppressions, rp, 'suppressions').forEach((s, k) => {
    const sp = `${rp}/suppressions/${k}`;
    if (!isObject(s)) {
      f.bad(sp, 'a SARIF suppression object', s);
      return;
    }
    const entry: Suppression = { kind: f.id(s.kind, sp, 'kind') ?? 'unspecified' };
    if (s.status !== undefined && s.status !== null) {
      if (typeof s.status !== 'string' || !SUPPRESSION_STATUSES.has(s.status)) {
        f.bad(`${sp}/status`, 'one of: accepted, underReview, rejected (the suppression was not applied)', s.status);
        return;
      }
      entry.status = s.status as SuppressionStatus;
    }
    const j = f.string(s.justification, sp, 'justification');
    if (j !== undefined && j.trim() !== '') entry.justification = j;
    out.push(entry);
  });
  return out;
}

/**
 * Trivy's SARIF puts the package in the message ("Package: x\nInstalled Version: 1\n...
 * Fixed Version: 2, 3"); only a message with both lines is treated as a dependency finding.
 */
function trivyPackage(message: string): PackageRef | undefined {
  const name = /^Package: (.+)$/m.exec(message)?.[1]?.trim();
  const version = /^Installed Version: (.+)$/m.exec(message)?.[1]?.trim();
  if (!name || !version) return undefined;
  const fixed = /^Fixed Version: (.*)$/m.exec(message)?.[1];
  return { name, version, fixedVersions: splitVersions(fixed) };
}
