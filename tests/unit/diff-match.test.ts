import { describe, expect, it } from 'vitest';
import { commonRoot, jaccard, matchFindings, samePlace, snippetTokens } from '../../src/diff/match.ts';
import { diffReports, sameWithout } from '../../src/diff/diff.ts';
import { assignFingerprints } from '../../src/model/fingerprint.ts';
import { REPORT_SCHEMA_VERSION, type ReportFinding } from '../../src/model/report.ts';
import type { Finding } from '../../src/model/types.ts';

type Draft = Omit<Finding, 'fingerprint'>;
const code = (path: string, snippet: string, extra: Partial<Draft> = {}): Draft => ({
  tool: 'semgrep', kind: 'code', ruleId: 'python.sqli', title: 'SQL injection', message: 'tainted query', severity: 'high', cwe: ['CWE-89'],
  aliases: [], references: [], location: { path, startLine: 10, snippet }, pointer: '/results/0', ...extra,
});
const dep = (tool: string, ruleId: string, aliases: string[], extra: Partial<Draft> = {}): Draft => ({
  tool, kind: 'dependency', ruleId, title: ruleId, message: 'vulnerable', severity: 'high', cwe: [], aliases, references: [],
  package: { ecosystem: 'pypi', name: 'Django', version: '3.2.1', fixedVersions: ['3.2.5'] }, pointer: '/0', ...extra,
});
const side = (drafts: Draft[], run = 0): ReportFinding[] => assignFingerprints(drafts).map((f) => ({ ...f, owasp: [], status: 'open', run }));

describe('matchFindings strategies', () => {
  it('CRLF vs LF and NFC vs NFD in paths and snippets match exactly', () => {
    const b = side([code('src/caf\u00e9.py', 'q = "SELECT " + x\nrun(q)')]);
    const c = side([code('src/cafe\u0301.py', 'q = "SELECT " + x\r\nrun(q)', { location: { path: 'src/cafe\u0301.py', startLine: 99, snippet: 'q = "SELECT " + x\r\nrun(q)' } })]);
    const m = matchFindings(b, c);
    expect(m.pairs.map((p) => p.strategy)).toEqual(['fingerprint']);
  });

  it('dependency findings match across tools by canonical advisory, same tool first', () => {
    const b = side([dep('pip-audit', 'PYSEC-2021-1', ['CVE-2021-33203'])]);
    const c = side([dep('safety', '40000', ['CVE-2021-33203'])]);
    expect(matchFindings(b, c).pairs.map((p) => p.strategy)).toEqual(['fingerprint']);
    // Each tool is its own run, fingerprinted on its own, as ingest does.
    const both = [...side([dep('safety', '40000', ['CVE-2021-33203'])], 0), ...side([dep('pip-audit', 'PYSEC-2021-1', ['CVE-2021-33203'])], 1)];
    const m = matchFindings(b, both);
    expect(both[m.pairs[0]!.current]!.tool).toBe('pip-audit');
  });

  it('code findings never match across tools', () => {
    const b = side([code('a.py', 'x = 1')]);
    const c = side([code('a.py', 'x = 1', { tool: 'bandit' })]);
    expect(matchFindings(b, c).pairs).toEqual([]);
  });

  it('an edited line matches by similar snippet with its score; a different statement does not', () => {
    const b = side([code('a.py', 'cursor.execute("SELECT * FROM users WHERE id=" + user_id)'), code('a.py', 'os.system(cmd)', { ruleId: 'other' })]);
    const c = side([code('a.py', 'cursor.execute("SELECT * FROM users WHERE id=" + uid)'), code('a.py', 'subprocess.run(cmd, shell=True)', { ruleId: 'other' })]);
    const m = matchFindings(b, c);
    const sim = m.pairs.find((p) => p.strategy === 'similar-snippet')!;
    expect(sim.score).toBeGreaterThanOrEqual(0.8);
    // Same rule and file, but both snippets are known and different: new code, not a pair.
    expect(m.pairs.find((p) => p.strategy === 'rule-path')).toBeUndefined();
    expect([m.unmatchedBaseline, m.unmatchedCurrent]).toEqual([[1], [1]]);
  });

  it('a removed safe call and new tainted code elsewhere in the file are absent + new, never unchanged', () => {
    const b = side([code('app.py', 'subprocess.run(["ls", "-l"])', { ruleId: 'B603', location: { path: 'app.py', startLine: 10, snippet: 'subprocess.run(["ls", "-l"])' } })]);
    const c = side([code('app.py', "subprocess.run(request.args['cmd'], shell=True)", { ruleId: 'B603', location: { path: 'app.py', startLine: 250, snippet: "subprocess.run(request.args['cmd'], shell=True)" } })]);
    const d = diffReports({ ...base, findings: b }, { ...base, findings: c });
    expect(d.findings.map((f) => f.state).sort()).toEqual(['absent', 'new']);
    expect(d.summary).toMatchObject({ new: 1, absent: 1, unchanged: 0, updated: 0 });
  });

  it('a pair made without snippet agreement is updated with a code change, never unchanged', () => {
    // An edited line (similar snippet) and a tool upgrade that starts giving snippets (rule-path).
    const b = side([code('a.py', 'cursor.execute("SELECT * FROM users WHERE id=" + user_id)'), code('b.py', 'x', { ruleId: 'other', location: { path: 'b.py', startLine: 3 } })]);
    const c = side([code('a.py', 'cursor.execute("SELECT * FROM users WHERE id=" + uid)'), code('b.py', 'eval(data)', { ruleId: 'other', location: { path: 'b.py', startLine: 40, snippet: 'eval(data)' } })]);
    const d = diffReports({ ...base, findings: b }, { ...base, findings: c });
    const rows = d.findings.map((f) => [f.state, f.match?.strategy, f.changes?.[0]?.field]);
    expect(rows).toContainEqual(['updated', 'similar-snippet', 'code']);
    expect(rows).toContainEqual(['updated', 'rule-path', 'code']);
    expect(d.findings.find((f) => f.match?.strategy === 'rule-path')!.changes![0]).toEqual({ field: 'code', from: '(no snippet)', to: 'eval(data)' });
    expect(d.summary.unchanged).toBe(0);
  });

  it('the indexed similar-snippet pass pairs exactly as comparing every pair would', () => {
    // Reference: for each baseline finding in order, the best unused current one, ties to the earliest.
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
    const ascii = [...Array.from({ length: 11 }, (_, i) => `w${i}`), '(x)', 'a.b', '"q"'];
    // Non-ASCII words too: such snippets are tokenised by the Unicode regex, not the ASCII scan.
    for (const [words, minimum] of [[ascii, 300], [[...ascii, 'grüße', '日本', 'é.ß'], 80]] as const) {
      const line = () => Array.from({ length: 3 + rnd(8) }, () => words[rnd(words.length)]).join(' ');
      let similarFound = 0;
      for (let round = 0; round < 30; round++) {
        const b = side(Array.from({ length: 40 }, () => code('a.py', line())));
        const c = side(Array.from({ length: 40 }, () => code('a.py', line())));
        const got = matchFindings(b, c).pairs.filter((p) => p.strategy === 'similar-snippet').map((p) => [p.baseline, p.current, p.score]);
        // What is left for the similarity pass: the exact passes pair equal snippets first.
        const exact = matchFindings(b, c).pairs.filter((p) => p.strategy !== 'similar-snippet');
        const usedB = new Set(exact.map((p) => p.baseline));
        const usedC = new Set(exact.map((p) => p.current));
        const tok = (s: string) => new Set(s.match(/[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu) ?? []);
        const want: Array<[number, number, number]> = [];
        for (let i = 0; i < b.length; i++) {
          if (usedB.has(i)) continue;
          let best = -1;
          let score = 0;
          for (let j = 0; j < c.length; j++) {
            if (usedC.has(j)) continue;
            const s = jaccard(tok(b[i]!.location!.snippet!), tok(c[j]!.location!.snippet!));
            if (s >= 0.8 && s > score) [best, score] = [j, s];
          }
          if (best >= 0) {
            usedC.add(best);
            want.push([i, best, Math.round(score * 1000) / 1000]);
          }
        }
        expect(got, `round ${round}`).toEqual(want);
        similarFound += want.length;
      }
      // The rounds must actually exercise the pass.
      expect(similarFound).toBeGreaterThan(minimum);
    }
  });

  it('rule-path pairs only when exactly one candidate is left on each side', () => {
    const b = side([code('a.py', 'aaa bbb'), code('a.py', 'ccc ddd')]);
    const c = side([code('a.py', 'eee fff')]);
    const m = matchFindings(b, c);
    expect(m.pairs).toEqual([]);
    expect(m.unmatchedBaseline).toEqual([0, 1]);
  });

  it('re-rooted paths under roots with no common prefix match by path suffix', () => {
    const b = side([code('/home/ci/run-1/src/a.py', 'x()'), code('/home/ci/run-1/lib/b.py', 'y()')]);
    const c = side([code('src/a.py', 'x()'), code('lib/b.py', 'y()')]);
    const m = matchFindings(b, c);
    expect(m.pairs.map((p) => p.strategy)).toEqual(['relocated', 'relocated']);
  });

  it('the same file name in another directory is not the same place', () => {
    expect(samePlace('src/a/util.py', 'src/b/util.py')).toBe(false);
    expect(samePlace('/x/src/util.py', '/y/src/util.py')).toBe(true);
    expect(samePlace('util.py', '/builds/1/util.py')).toBe(true);
  });

  it('commonRoot and jaccard', () => {
    expect(commonRoot(['/home/ci/run-1/src/a.py', '/home/ci/run-1/lib/b.py', 'rel.py'])).toBe('/home/ci/run-1/');
    expect(commonRoot(['rel/a.py'])).toBe('');
    expect(jaccard(new Set(['a', 'b']), new Set(['a', 'b']))).toBe(1);
    expect(jaccard(new Set(['a', 'b']), new Set(['c']))).toBe(0);
  });

  it('input order does not change the diff', () => {
    const drafts = [code('a.py', 'x = 1'), code('a.py', 'x = 1'), code('b.py', 'y = 2'), code('c.py', 'z = 3', { severity: 'low' })];
    const b = side(drafts);
    const c = side([...drafts].reverse().map((d, i) => ({ ...d, location: { ...d.location!, startLine: 50 + i } })));
    const wrap = (f: ReportFinding[]) => ({ ...base, findings: f });
    const d = diffReports(wrap(b), wrap(c));
    expect([d.summary.new, d.summary.absent, d.summary.updated, d.summary.unchanged]).toEqual([0, 0, 0, 4]);
  });
});

const base = {
  schemaVersion: REPORT_SCHEMA_VERSION,
  metadata: {
    title: 't', purpose: 'p', description: 'd', project: 'demo', documentVersion: '1', documentStatus: 'draft', classification: 'INTERNAL', language: 'en',
    created: '2026-01-01T00:00:00Z', template: { id: 'security-scan', version: '1.0.0' }, auditmarkVersion: '0', documentId: 'x',
  },
  status: { overall: 'CONDITIONAL' as const, reasons: [] },
  runs: [{ tool: 'semgrep', format: 'semgrep-json', source: { path: 's', sha256: '0' }, notScanned: [], counts: { critical: 0, high: 0, medium: 0, low: 0, info: 0, unknown: 0 }, total: 0, freshness: 'undated' as const, warnings: [] }],
  findings: [] as ReportFinding[],
  summary: { total: 0, open: 0, waived: 0, suppressed: 0, bySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0, unknown: 0 }, openBySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0, unknown: 0 }, byTool: {} },
  owasp: { editions: ['2021' as const], rows: [], unmapped: [], data: [] },
  waivers: [],
  recommendations: [],
  inputs: [],
};

describe('sameWithout', () => {
  it('agrees with removing every occurrence by split/join, on random texts and roots', () => {
    let seed = 11;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
    const pick = (parts: string[], n: number) => Array.from({ length: n }, () => parts[rnd(parts.length)]).join('');
    const parts = ['/r/', 'a', 'b', '/', 'r', '/r/r/', ' '];
    let equal = 0;
    for (let k = 0; k < 20_000; k++) {
      const [a, b] = [pick(parts, rnd(8)), pick(parts, rnd(8))];
      const [ra, rb] = [['', '/r/', 'r/', 'ab'][rnd(4)]!, ['', '/r/', '/r/r/'][rnd(3)]!];
      const want = (ra ? a.split(ra).join('') : a) === (rb ? b.split(rb).join('') : b);
      expect(sameWithout(a, ra, b, rb), JSON.stringify([a, ra, b, rb])).toBe(want);
      if (want) equal++;
    }
    expect(equal).toBeGreaterThan(500);
  });
});

describe('snippetTokens', () => {
  it('scans ASCII by hand into exactly the tokens of the Unicode regex', () => {
    const regex = (t: string) => t.match(/[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu) ?? [];
    const samples = ['', 'os.system(cmd)', "q = \"SELECT * FROM t WHERE id=\" + user_id\nrun(q)", 'a_b1 __x__ 9z\t\u000b\u0000\u007f~`', 'café ∑ x_1 日本'];
    let seed = 3;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
    for (let k = 0; k < 2000; k++) samples.push(Array.from({ length: rnd(30) }, () => String.fromCharCode(rnd(128))).join(''));
    for (const s of samples) expect(snippetTokens(s), JSON.stringify(s)).toEqual(regex(s));
  });
});
