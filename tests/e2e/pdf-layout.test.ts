/**
 * Print quality of real builds (issue "Documents worth signing"): the example report and a
 * 1,000-finding report, built by the CLI with real Chromium, read back with pdfjs-dist.
 *
 * - no word of the fixed vocabulary (severities, states, statuses, tool names, every column
 *   header the HTML has) is split across two lines of the PDF text;
 * - at most one page in ten has under 200 characters of body text (no near-empty pages);
 * - the example prints in one tagged part (structure tree, /Lang, MarkInfo);
 * - the attached report.json is byte for byte the bundle's, and the attached input list equals
 *   manifest.json's inputs.
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromHtml } from 'hast-util-from-html';
import { toText } from 'hast-util-to-text';
import { PDFDocument, PDFName } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticBandit } from '../../bench/synthetic-bandit.ts';
import { runCli, tempDir, type CliRun } from '../cli/run-cli.ts';
import { inspectPdf, sparsePages, splitWords, type PdfInspection } from '../helpers/pdf-inspect.ts';

const ENV = { SOURCE_DATE_EPOCH: '1798675200' };
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const work = tempDir('auditmark-e2e-pdf-layout-');

/** The words a reader scans for: severities, states, statuses and bases, plus the data's tools and every table header of the HTML. */
function vocabulary(dir: string): string[] {
  const fixed = ['critical', 'high', 'medium', 'low', 'info', 'unknown', 'open', 'waived', 'suppressed', 'expired', 'active', 'pending',
    'pass', 'fail', 'warn', 'PASS', 'FAIL', 'WARN', 'automatic', 'attested', 'assessed', 'not-assessed', 'partial', 'stale'];
  const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { findings: Array<{ tool: string }> };
  const tools = report.findings.map((f) => f.tool);
  const headers: string[] = [];
  const tree = fromHtml(readFileSync(join(dir, 'report.html'), 'utf8'));
  const walk = (node: { type: string; tagName?: string; children?: unknown[] }): void => {
    if (node.type === 'element' && node.tagName === 'th') headers.push(...toText(node as never).split(/\s+/).filter(Boolean));
    for (const c of node.children ?? []) walk(c as never);
  };
  walk(tree as never);
  return [...fixed, ...tools, ...headers];
}

interface Built { dir: string; run: CliRun; pdf: PdfInspection; bytes: Uint8Array }
const built: Record<'example' | 'large', Built> = {} as never;

beforeAll(async () => {
  const example = join(work, 'example');
  const large = join(work, 'large');
  const scan = join(work, 'bandit-1000.json');
  writeFileSync(scan, syntheticBandit(1000));
  const runs = {
    example: await runCli(['build', '--config', 'examples/auditmark.config.yaml', '--scan', 'examples/scans/bandit.json', '--scan', 'examples/scans/pip-audit.json',
      '--checklist', 'examples/checklist-state.yaml', '--format', 'html,pdf,json', '--out', example], ENV),
    large: await runCli(['build', '--scan', scan, '--format', 'html,pdf,json', '--out', large], ENV),
  };
  for (const [name, dir] of [['example', example], ['large', large]] as const) {
    const bytes = readFileSync(join(dir, 'report.pdf'));
    built[name] = { dir, run: runs[name], bytes, pdf: await inspectPdf(bytes) };
  }
}, 600_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.each(['example', 'large'] as const)('PDF of the %s report', (name) => {
  it('builds', () => {
    expect(built[name].run.stderr).not.toMatch(/ error /);
    expect(built[name].run.exit === 0 || built[name].run.exit === 1).toBe(true);
    expect(built[name].pdf.pages.length).toBeGreaterThan(name === 'large' ? 20 : 5);
  });

  it('splits no word of the fixed vocabulary across lines', () => {
    const words = vocabulary(built[name].dir);
    expect(words).toEqual(expect.arrayContaining(['Severity', 'Tool', 'State', 'Count', 'bandit']));
    expect(splitWords(built[name].pdf, words)).toEqual([]);
  });

  it('has at most one page in ten with under 200 characters of body text', () => {
    const sparse = sparsePages(built[name].pdf);
    expect(sparse.length * 10, `near-empty pages: ${sparse.join(', ')} of ${built[name].pdf.pages.length}`).toBeLessThanOrEqual(built[name].pdf.pages.length);
  });

  it('carries report.json byte for byte and the manifest\'s input hashes', () => {
    const { attachments } = built[name].pdf;
    expect(Object.keys(attachments).sort()).toEqual(['inputs.json', 'report.json']);
    expect(sha256(attachments['report.json']!)).toBe(sha256(readFileSync(join(built[name].dir, 'report.json'))));
    const manifest = JSON.parse(readFileSync(join(built[name].dir, 'manifest.json'), 'utf8')) as { inputs: Array<{ path: string; sha256: string }> };
    const attached = JSON.parse(Buffer.from(attachments['inputs.json']!).toString('utf8')) as { inputs: Array<{ path: string; sha256: string }> };
    const pairs = (list: Array<{ path: string; sha256: string }>) => list.map((i) => `${i.path} ${i.sha256}`).sort();
    expect(pairs(attached.inputs)).toEqual(pairs(manifest.inputs));
  });
});

describe('the example report PDF', () => {
  it('is tagged: a structure tree, /Lang and MarkInfo (printed in one part)', async () => {
    const catalog = (await PDFDocument.load(built.example.bytes)).catalog;
    expect(catalog.has(PDFName.of('StructTreeRoot'))).toBe(true);
    expect(String(catalog.get(PDFName.of('Lang')))).toContain('en');
    expect(built.example.pdf.marked).toBe(true);
  });
});
