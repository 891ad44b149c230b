/**
 * OWASP ZAP's "traditional JSON" report (`-J report.json` of the packaged scans, the
 * `traditional-json` report template, `/OTHER/core/other/jsonreport/` of the API). One finding per
 * alert instance: ZAP groups the places an alert was raised under the alert, and each place is a
 * problem of its own (fixing one URL leaves the others open).
 */
import { collectCwes, normalizeWebLocation } from '../model/normalize-text.ts';
import type { Confidence, Coverage, Severity, Suppression, WebLocation } from '../model/types.ts';
import { FieldCheck } from './field-check.ts';
import { htmlToText, urlsIn } from './html-text.ts';
import { isObject, uniqSorted, type DraftFinding, type DraftRun, type Reader, type ReaderInput, type ReaderResult } from './reader.ts';

type Obj = Record<string, unknown>;

/** `riskcode`: ZAP's risk levels (`Constants.RISK_*`): 0 informational, 1 low, 2 medium, 3 high. */
const RISK: Readonly<Record<string, Severity>> = { '0': 'info', '1': 'low', '2': 'medium', '3': 'high' };

/**
 * `confidence`: 1 low, 2 medium, 3 high, 4 user confirmed (taken as high). 0 means a user marked
 * the alert a false positive in ZAP: the alert is kept, as a suppressed finding.
 */
const CONFIDENCE: Readonly<Record<string, Confidence>> = { '1': 'low', '2': 'medium', '3': 'high', '4': 'high' };

function detect(v: unknown): number {
  if (!isObject(v) || !('site' in v)) return 0;
  if (typeof v['@programName'] === 'string' && /zap/i.test(v['@programName'])) return 1;
  // ZAP before 2.9 wrote no @programName: its @version/@generated beside `site` identify it.
  const site = Array.isArray(v.site) ? v.site[0] : v.site;
  if ('@version' in v && '@generated' in v) return 0.9;
  return isObject(site) && '@name' in site && 'alerts' in site ? 0.7 : 0;
}

interface AlertText {
  title: string;
  description: string;
  solution: string;
  otherinfo: string;
  references: string[];
}

function read({ value }: ReaderInput): ReaderResult {
  const f = new FieldCheck();
  if (!isObject(value)) {
    f.refuse('a ZAP report must be a JSON object with "site"', '', 'an object {"@version", "site": [...]}');
    return { runs: [], diagnostics: f.diagnostics };
  }
  const run: DraftRun = { tool: { name: 'zap' }, format: 'zap', notScanned: [], findings: [] };
  const version = f.string(value['@version'], '', '@version');
  if (version) run.tool.version = version;
  // `created` (2.16+) is ISO-8601; `@generated` ("Sun, 8 Mar 2020 18:09:07") has no time zone and is not used.
  const created = f.string(value.created, '', 'created');
  if (created && /^\d{4}-\d{2}-\d{2}/.test(created)) run.startedAt = created;
  // One site is written as an object by some ZAP versions, several as an array.
  const sites = Array.isArray(value.site) ? value.site : value.site === undefined || value.site === null ? [] : [value.site];
  if (!Array.isArray(value.site) && value.site !== undefined && value.site !== null && !isObject(value.site)) {
    f.refuse('/site is neither a site object nor an array of them', '/site', 'an array of {"@name", "alerts"}');
    return { runs: [], diagnostics: f.diagnostics };
  }
  const names: string[] = [];
  sites.forEach((raw, si) => {
    const sp = Array.isArray(value.site) ? `/site/${si}` : '/site';
    const site = f.item(raw, sp, 'a ZAP site object');
    if (!site) return;
    const siteName = f.string(site['@name'], sp, '@name');
    if (siteName) names.push(siteName);
    f.array(site.alerts, sp, 'alerts').forEach((a, ai) => {
      const ap = `${sp}/alerts/${ai}`;
      const alert = f.item(a, ap, 'a ZAP alert object');
      if (alert) run.findings.push(...readAlert(alert, ap, siteName, f));
    });
  });
  if (names.length > 0) run.target = names.join(', ');
  const cwe = collectCwes(run.findings.flatMap((x) => x.cwe));
  const coverage: Coverage = { source: 'ZAP alert rules that raised alerts in this report (dynamic scan of the running site)' };
  if (cwe.length > 0) coverage.cwe = cwe;
  run.coverage = coverage;
  return { runs: [run], diagnostics: f.diagnostics };
}

function readAlert(alert: Obj, ap: string, siteName: string | undefined, f: FieldCheck): DraftFinding[] {
  const pluginId = f.id(alert.pluginid, ap, 'pluginid');
  // alertRef (2.11+) tells the variants of one scan rule apart ("10055-4" is "CSP: Wildcard Directive").
  const ruleId = f.id(alert.alertRef, ap, 'alertRef') ?? pluginId ?? 'zap/no-plugin-id';
  const text = alertText(alert, ap, ruleId, f);
  const risk = alert.riskcode;
  const sev = f.severity(typeof risk === 'number' ? String(risk) : risk, RISK, `${ap}/riskcode`, 'ZAP riskcode');
  const riskdesc = f.string(alert.riskdesc, ap, 'riskdesc');
  const conf = alert.confidence === undefined || alert.confidence === null ? undefined : String(alert.confidence).trim();
  const cweId = f.string(alert.cweid, ap, 'cweid');
  const wascId = f.string(alert.wascid, ap, 'wascid');
  const base: Omit<DraftFinding, 'pointer' | 'web'> = {
    tool: 'zap', kind: 'web', ruleId, title: text.title,
    message: text.description,
    severity: sev.severity,
    // ZAP writes -1 or 0 when a rule has no CWE or WASC class.
    cwe: cweId && Number(cweId) > 0 ? collectCwes([`CWE-${Number(cweId)}`]) : [],
    // The WASC threat class is kept as an id beside the rule, which is how ZAP users look alerts up.
    aliases: uniqSorted([wascId && Number(wascId) > 0 ? `WASC-${Number(wascId)}` : undefined]),
    references: text.references,
  };
  if (riskdesc ?? sev.rawSeverity) base.rawSeverity = riskdesc ?? sev.rawSeverity;
  if (conf !== undefined && Object.prototype.hasOwnProperty.call(CONFIDENCE, conf)) base.confidence = CONFIDENCE[conf]!;
  if (conf === '0') {
    const s: Suppression = { kind: 'zap-false-positive', justification: 'marked as a false positive in ZAP (confidence 0)' };
    base.suppressions = [s];
  }
  const instances = f.array(alert.instances, ap, 'instances');
  const message = (otherinfo: string) => [text.description, otherinfo, text.solution ? `Solution: ${text.solution}` : ''].filter((t) => t !== '').join('\n\n');
  if (instances.length === 0) {
    // An alert without instances (the report template left them out) still happened: at the site.
    const web = siteName ? { url: normalizeWebLocation(siteName).url } : { url: '(site not named)' };
    return [{ ...base, message: message(text.otherinfo), web, pointer: ap }];
  }
  const out: DraftFinding[] = [];
  instances.forEach((raw, ii) => {
    const ip = `${ap}/instances/${ii}`;
    const inst = f.item(raw, ip, 'a ZAP alert instance object');
    if (!inst) return;
    const uri = f.string(inst.uri, ip, 'uri') ?? siteName;
    if (uri === undefined || uri.trim() === '') {
      f.bad(`${ip}/uri`, 'the URL the alert was raised at', inst.uri, true);
      return;
    }
    const where = normalizeWebLocation(uri);
    const web: WebLocation = { url: where.url };
    const method = f.string(inst.method, ip, 'method')?.trim();
    if (method) web.method = method.toUpperCase();
    const param = f.string(inst.param, ip, 'param');
    if (param !== undefined && param !== '') web.parameter = param;
    if (where.queryParameters.length > 0) web.queryParameters = where.queryParameters;
    const attack = f.string(inst.attack, ip, 'attack');
    if (attack !== undefined && attack !== '') web.attack = attack;
    const evidence = f.string(inst.evidence, ip, 'evidence');
    if (evidence !== undefined && evidence !== '') web.evidence = evidence;
    const own = f.string(inst.otherinfo, ip, 'otherinfo');
    out.push({ ...base, message: message(own !== undefined && own.trim() !== '' ? htmlToText(own) : text.otherinfo), web, pointer: ip });
  });
  return out;
}

/** An alert's text fields as plain text (ZAP writes HTML paragraphs into them). */
function alertText(alert: Obj, ap: string, ruleId: string, f: FieldCheck): AlertText {
  const html = (key: string) => {
    const s = f.string(alert[key], ap, key);
    return s === undefined ? '' : htmlToText(s);
  };
  const reference = html('reference');
  return {
    title: (f.string(alert.alert, ap, 'alert') ?? f.string(alert.name, ap, 'name'))?.trim() || ruleId,
    description: html('desc'),
    solution: html('solution'),
    otherinfo: html('otherinfo'),
    references: urlsIn(reference),
  };
}

/** OWASP ZAP traditional JSON report. */
export const fromZap: Reader = {
  id: 'zap',
  description: 'OWASP ZAP traditional JSON report (zap-baseline/full-scan -J, traditional-json template); HTML text stripped to plain text',
  detect,
  read,
};
