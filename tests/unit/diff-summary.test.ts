import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { diffReports } from '../../src/diff/diff.ts';
import { STEP_SUMMARY_MAX_BYTES, toStepSummary, TRUNCATION_MARKER } from '../../src/render/summary.ts';
import type { Report } from '../../src/model/report.ts';
import { reportFromRuns, runsFrom } from '../helpers/report-from-runs.ts';

const bandit = readFileSync(new URL('../fixtures/diff/bandit-2025-06-06.json', import.meta.url), 'utf8');
const base = reportFromRuns(runsFrom([{ file: 'bandit.json', bytes: bandit }]));

const EVIL = '::error file=x::pwned\n::set-output name=a::b \u001b[31mred\u001b[0m \u001b]8;;http://evil\u0007link\u001b]8;;\u0007 \u202Eevil\u202C \u2066iso\u2069 # heading | pipe ](x) `tick` <script>';

function hostile(): Report {
  const r = structuredClone(base);
  r.metadata.project = '::warning::project \u001b[2J';
  r.findings = r.findings.map((f, i) => (i < 5 ? { ...f, title: EVIL, message: EVIL, ruleId: `${f.ruleId}\u001b[1m` } : f));
  return r;
}

describe('toStepSummary', () => {
  it('a report summary shows status and counts', () => {
    const md = toStepSummary(base);
    expect(md).toContain(`Overall status: **${base.status.overall}**`);
    expect(md).toContain(`${base.summary.total} finding(s)`);
  });

  it('a diff summary shows the four states and lists new findings', () => {
    const cur = structuredClone(base);
    cur.findings = cur.findings.slice(3);
    const d = diffReports(cur, base);
    const md = toStepSummary(d);
    expect(md).toContain('| new | 3 |');
    expect(md).toContain('### New findings (3)');
  });

  it('neutralises workflow commands, escapes, bidi overrides and Markdown structure from scan data', () => {
    const md = toStepSummary(hostile());
    for (const line of md.split('\n')) expect(line.trimStart().startsWith('::')).toBe(false);
    expect(md).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    // Parsed back, the hostile title is text in a table cell: no heading, link, html or code node from it.
    const tree = fromMarkdown(md);
    const types = new Set<string>();
    let text = '';
    const walk = (n: { type: string; value?: string; children?: unknown[] }) => {
      types.add(n.type);
      if (n.type === 'text') text += n.value;
      (n.children as Array<{ type: string; value?: string; children?: unknown[] }> | undefined)?.forEach(walk);
    };
    walk(tree as never);
    expect([...types].filter((t) => ['link', 'html', 'inlineCode'].includes(t))).toEqual([]);
    expect(text).toContain('::error file=x::pwned');
  });

  it('stays under the cap with a visible marker', () => {
    const huge = structuredClone(base);
    huge.findings = Array.from({ length: 20_000 }, (_, i) => ({ ...base.findings[i % base.findings.length]!, title: `T${i} ${'x'.repeat(400)}`, fingerprint: `v1:${i}` }));
    const md = toStepSummary(huge, { maxRows: 20_000, maxCellChars: 10_000 });
    expect(Buffer.byteLength(md)).toBeLessThan(STEP_SUMMARY_MAX_BYTES);
    expect(md).toContain(TRUNCATION_MARKER);
    const small = toStepSummary(huge, { maxBytes: 4096 });
    expect(Buffer.byteLength(small)).toBeLessThanOrEqual(4096);
    expect(small).toContain(TRUNCATION_MARKER);
  });
});
