/**
 * The `help` of a SARIF rule: what GitHub's alert view shows as the rule's help. Built as data:
 * an mdast tree whose untrusted parts (advisory text, package names, URLs from scan data) are
 * only ever values of text, inline-code and link nodes, serialised by mdast-util-to-markdown with
 * the GFM escapes, so a description holding `# `, `](`, `|`, `~~` or `<script>` stays text. Pure.
 */
import type { List, ListItem, PhrasingContent, Root, RootContent } from 'mdast';
import { gfmToMarkdown } from 'mdast-util-gfm';
import { toMarkdown } from 'mdast-util-to-markdown';
import type { ReportFinding } from '../model/report.ts';

/** What the help of one rule is made from, gathered over the rule's findings. */
export interface RuleHelpFacts {
  id: string;
  title: string;
  /** The first non-empty message of the rule's findings: the rule's description as the tool words it. */
  description: string;
  cwe: readonly string[];
  owasp: readonly string[];
  aliases: readonly string[];
  /** One line of remediation data per affected package (dependency findings). */
  packages: ReadonlyArray<{ name: string; version?: string; fixedVersions: readonly string[] }>;
  /** http(s) references, in first-seen order, deduplicated. */
  references: readonly string[];
}

/** How many references and packages a rule's help lists; the rest is counted, not dropped silently. */
const MAX_REFERENCES = 20;
const MAX_PACKAGES = 50;

/** Gather the facts of one rule from its findings (in report order, so the result is deterministic). */
export function ruleHelpFacts(id: string, findings: readonly ReportFinding[]): RuleHelpFacts {
  const refs: string[] = [];
  const packages = new Map<string, { name: string; version?: string; fixedVersions: string[] }>();
  const cwe = new Set<string>(), owasp = new Set<string>(), aliases = new Set<string>();
  let description = '';
  for (const f of findings) {
    if (!description && f.message.trim()) description = f.message.trim();
    f.cwe.forEach((c) => cwe.add(c));
    f.owasp.forEach((o) => owasp.add(o));
    f.aliases.forEach((a) => aliases.add(a));
    for (const u of f.references) if (isWebUrl(u) && !refs.includes(u)) refs.push(u);
    if (f.package) {
      const key = `${f.package.name}\u0000${f.package.version ?? ''}`;
      if (!packages.has(key)) packages.set(key, { name: f.package.name, ...(f.package.version ? { version: f.package.version } : {}), fixedVersions: [...f.package.fixedVersions] });
    }
  }
  return {
    id, title: findings[0]?.title || id, description, cwe: [...cwe].sort(), owasp: [...owasp].sort(), aliases: [...aliases].sort(), packages: [...packages.values()], references: refs,
  };
}

function isWebUrl(u: string): boolean {
  try {
    const url = new URL(u);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

const text = (value: string): PhrasingContent => ({ type: 'text', value });
const code = (value: string): PhrasingContent => ({ type: 'inlineCode', value });
const link = (url: string, label: string): PhrasingContent => ({ type: 'link', url, children: [text(label)] });
const item = (children: PhrasingContent[]): ListItem => ({ type: 'listItem', spread: false, children: [{ type: 'paragraph', children }] });
const list = (items: ListItem[]): List => ({ type: 'list', ordered: false, spread: false, children: items });
const heading = (value: string): RootContent => ({ type: 'heading', depth: 2, children: [text(value)] });

function cweUrl(id: string): string | undefined {
  const m = /^CWE-(\d+)$/.exec(id);
  return m ? `https://cwe.mitre.org/data/definitions/${m[1]}.html` : undefined;
}

function remediation(p: RuleHelpFacts['packages'][number]): PhrasingContent[] {
  const at = [code(p.version ? `${p.name} ${p.version}` : p.name)];
  if (p.fixedVersions.length === 0) return [...at, text(': no fixed version is known; remove or replace the dependency, or accept the risk with a waiver')];
  return [text('Upgrade '), ...at, text(' to '), ...p.fixedVersions.flatMap((v, i) => (i === 0 ? [code(v)] : [text(' or '), code(v)]))];
}

function plainRemediation(p: RuleHelpFacts['packages'][number]): string {
  const at = p.version ? `${p.name} ${p.version}` : p.name;
  return p.fixedVersions.length === 0 ? `${at}: no fixed version is known; remove or replace the dependency, or accept the risk with a waiver` : `Upgrade ${at} to ${p.fixedVersions.join(' or ')}`;
}

/** The mdast tree of a rule's help. */
export function ruleHelpTree(f: RuleHelpFacts): Root {
  const children: RootContent[] = [{ type: 'paragraph', children: [text(f.description || f.title)] }];
  if (f.packages.length > 0) {
    children.push(heading('Remediation'));
    const shown = f.packages.slice(0, MAX_PACKAGES).map((p) => item(remediation(p)));
    if (f.packages.length > MAX_PACKAGES) shown.push(item([text(`… and ${f.packages.length - MAX_PACKAGES} more packages (see report.json)`)]));
    children.push(list(shown));
  } else if (f.references.length > 0) {
    children.push(heading('Remediation'), { type: 'paragraph', children: [text('The tool gives no fix for this rule; follow the guidance in the references below.')] });
  }
  const classification: ListItem[] = [
    ...f.cwe.map((c) => item([cweUrl(c) ? link(cweUrl(c)!, c) : text(c)])),
    ...f.owasp.map((o) => item([text(`OWASP Top 10 ${o}`)])),
    ...(f.aliases.length ? [item([text('Also known as '), ...f.aliases.flatMap((a, i) => (i === 0 ? [code(a)] : [text(', '), code(a)]))])] : []),
  ];
  if (classification.length > 0) children.push(heading('Classification'), list(classification));
  if (f.references.length > 0) {
    const refs = f.references.slice(0, MAX_REFERENCES).map((u) => item([link(u, u)]));
    if (f.references.length > MAX_REFERENCES) refs.push(item([text(`… and ${f.references.length - MAX_REFERENCES} more`)]));
    children.push(heading('References'), list(refs));
  }
  return { type: 'root', children };
}

const gfm = gfmToMarkdown({ tablePipeAlign: false });

/** SARIF `help` (`text` and `markdown`) of one rule. */
export function ruleHelp(f: RuleHelpFacts): { text: string; markdown: string } {
  const markdown = toMarkdown(ruleHelpTree(f), { extensions: [gfm], bullet: '-', rule: '-' }).replace(/\n+$/, '');
  const lines: string[] = [f.description || f.title];
  if (f.packages.length > 0) lines.push('', 'Remediation:', ...f.packages.slice(0, MAX_PACKAGES).map((p) => `- ${plainRemediation(p)}`));
  if (f.packages.length > MAX_PACKAGES) lines.push(`- … and ${f.packages.length - MAX_PACKAGES} more packages (see report.json)`);
  else if (f.packages.length === 0 && f.references.length > 0) lines.push('', 'Remediation: the tool gives no fix for this rule; follow the guidance in the references below.');
  const cls = [...f.cwe, ...f.owasp.map((o) => `OWASP Top 10 ${o}`), ...(f.aliases.length ? [`also known as ${f.aliases.join(', ')}`] : [])];
  if (cls.length > 0) lines.push('', `Classification: ${cls.join('; ')}`);
  if (f.references.length > 0) lines.push('', 'References:', ...f.references.slice(0, MAX_REFERENCES).map((u) => `- ${u}`));
  return { text: lines.join('\n'), markdown };
}
