/**
 * Benchmark: normalise a synthetic SARIF 2.1.0 log with N results through `ingest()`.
 * Run alone in a child process so its peak RSS is its own:
 *   node --import tsx bench/normalize-sarif.ts 100000
 * Target: >= 40 MB/s and < 1 GB peak RSS at 100,000 results, with the repeated-key check on
 * (it always is: there is no way to switch it off).
 */
import { ingest } from '../src/ingest/ingest.ts';
import { rng } from './rng.ts';

const RULES = [
  ['js/sql-injection', 'Database query built from user-controlled sources', 89, '8.8'],
  ['js/xss', 'Client-side cross-site scripting', 79, '6.1'],
  ['js/path-injection', 'Uncontrolled data used in path expression', 22, '7.5'],
  ['js/command-line-injection', 'Uncontrolled command line', 78, '9.8'],
  ['js/code-injection', 'Code injection', 94, '9.3'],
  ['js/hardcoded-credentials', 'Hard-coded credentials', 798, '7.5'],
  ['js/weak-cryptographic-algorithm', 'Use of a broken or weak cryptographic algorithm', 327, '5.3'],
  ['js/insecure-randomness', 'Insecure randomness', 338, '4.3'],
  ['js/server-side-unvalidated-url-redirection', 'Server-side URL redirect', 601, '6.1'],
  ['js/request-forgery', 'Server-side request forgery', 918, '9.1'],
  ['js/unsafe-deserialization', 'Deserialization of user-controlled data', 502, '9.8'],
  ['js/regex-injection', 'Regular expression injection', 730, '7.5'],
  ['js/log-injection', 'Log injection', 117, '3.1'],
  ['js/missing-rate-limiting', 'Missing rate limiting', 770, undefined],
  ['js/cors-misconfiguration', 'CORS misconfiguration for credentials transfer', 346, 'MEDIUM'],
  ['js/xxe', 'XML external entity expansion', 611, '9.1'],
] as const;

/** A realistic CodeQL-like SARIF log with `results` results over ~2,000 files. */
export function syntheticSarif(results: number): string {
  const rand = rng(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const dirs = ['src', 'src/api', 'src/db', 'lib/util', 'services/auth', 'web/routes', 'packages/core/src'];
  const files = Array.from({ length: 2000 }, (_, i) => `${pick(dirs)}/module_${i}.${pick(['js', 'ts', 'jsx'])}`);
  const snippets = [
    'const rows = await db.query("SELECT * FROM users WHERE id = " + req.params.id);',
    'res.send(`<div>${req.query.name}</div>`);',
    'fs.readFile(path.join(base, req.body.file), cb);',
    'child_process.exec("convert " + input + " out.png");',
    'const password = "hunter2-prod-password";',
    'crypto.createHash("md5").update(data).digest("hex");',
    'const token = Math.random().toString(36).slice(2);',
    'return res.redirect(req.query.next);',
  ];
  const rules = RULES.map(([id, name, cwe, sev]) => ({
    id, name, shortDescription: { text: name }, fullDescription: { text: `${name}. Untrusted input reaches a sensitive sink.` },
    defaultConfiguration: { level: 'error' }, helpUri: `https://codeql.github.com/codeql-query-help/javascript/${id.replace('/', '-')}/`,
    properties: { tags: ['security', `external/cwe/cwe-${String(cwe).padStart(3, '0')}`], precision: pick(['high', 'medium', 'very-high']), ...(sev ? { 'security-severity': sev } : {}) },
  }));
  const out: unknown[] = new Array(results);
  for (let i = 0; i < results; i++) {
    const r = Math.floor(rand() * rules.length);
    const line = 1 + Math.floor(rand() * 800);
    const col = 1 + Math.floor(rand() * 40);
    out[i] = {
      ruleId: rules[r]!.id, ruleIndex: r,
      message: { text: `${rules[r]!.name} depends on a [user-provided value](1) reaching this sink.` },
      locations: [{ physicalLocation: { artifactLocation: { uri: pick(files), uriBaseId: '%SRCROOT%' }, region: { startLine: line, startColumn: col, endColumn: col + 30, snippet: { text: pick(snippets) } } } }],
      partialFingerprints: { primaryLocationLineHash: `${Math.floor(rand() * 2 ** 52).toString(16).padStart(16, '0')}:1`, primaryLocationStartColumnFingerprint: String(col - 1) },
    };
  }
  return JSON.stringify({
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0',
    runs: [{ tool: { driver: { name: 'CodeQL', semanticVersion: '2.15.0', rules } }, results: out, columnKind: 'utf16CodeUnits' }],
  });
}

/** Synthesise a SARIF log with `results` results and time `ingest()` on its bytes. */
export async function benchNormalizeSarif(results: number): Promise<{ bytes: number; seconds: number; mbPerSec: number; peakRssMb: number; findings: number }> {
  const bytes = Buffer.from(syntheticSarif(results));
  const t0 = process.hrtime.bigint();
  const r = ingest([{ file: 'synthetic.sarif', bytes }]);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const errors = r.diagnostics.filter((d) => d.level === 'error');
  if (errors.length > 0) throw new Error(`ingest reported errors: ${errors.map((d) => d.message).join('; ')}`);
  const findings = r.runs.reduce((n, x) => n + x.findings.length, 0);
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  return {
    bytes: bytes.length,
    seconds: Number(seconds.toFixed(3)),
    mbPerSec: Number((bytes.length / 1024 / 1024 / seconds).toFixed(2)),
    peakRssMb: Number(peakRssMb.toFixed(0)),
    findings,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? '100000');
  // `--write <file>`: only write the synthetic log (for the CLI scenario of bench/run.ts).
  if (process.argv[3] === '--write' && process.argv[4]) {
    (await import('node:fs')).writeFileSync(process.argv[4], syntheticSarif(n));
  } else {
    console.log(JSON.stringify(await benchNormalizeSarif(n)));
  }
}
