/**
 * A synthetic but realistic Bandit 1.8 JSON report: varied rules with their real CWEs and
 * severities, many files, multi-line snippets with Bandit's line-number prefixes, a few
 * not-scanned files. Deterministic for a given count (seeded generator).
 */
import { rng } from './rng.ts';

const RULES: Array<[id: string, name: string, sev: string, conf: string, cwe: number, text: string, code: string]> = [
  ['B101', 'assert_used', 'LOW', 'HIGH', 703, 'Use of assert detected. The enclosed code will be removed when compiling to optimised byte code.', 'assert user.is_admin, "not allowed"'],
  ['B105', 'hardcoded_password_string', 'LOW', 'MEDIUM', 259, "Possible hardcoded password: 'hunter2'", 'DEFAULT_PASSWORD = "hunter2"'],
  ['B108', 'hardcoded_tmp_directory', 'MEDIUM', 'MEDIUM', 377, 'Probable insecure usage of temp file/directory.', 'cache_dir = "/tmp/app-cache"'],
  ['B110', 'try_except_pass', 'LOW', 'HIGH', 703, 'Try, Except, Pass detected.', 'except Exception:\n    pass'],
  ['B301', 'blacklist', 'MEDIUM', 'HIGH', 502, 'Pickle and modules that wrap it can be unsafe when used to deserialize untrusted data, possible security issue.', 'obj = pickle.loads(payload)'],
  ['B311', 'blacklist', 'LOW', 'HIGH', 330, 'Standard pseudo-random generators are not suitable for security/cryptographic purposes.', 'token = random.randint(0, 10**6)'],
  ['B324', 'hashlib', 'HIGH', 'HIGH', 327, 'Use of weak MD5 hash for security. Consider usedforsecurity=False', 'digest = hashlib.md5(data).hexdigest()'],
  ['B602', 'subprocess_popen_with_shell_equals_true', 'HIGH', 'HIGH', 78, 'subprocess call with shell=True identified, security issue.', 'subprocess.call(cmd, shell=True)'],
  ['B608', 'hardcoded_sql_expressions', 'MEDIUM', 'LOW', 89, 'Possible SQL injection vector through string-based query construction.', 'cur.execute("SELECT * FROM users WHERE name = \'%s\'" % name)'],
  ['B113', 'request_without_timeout', 'MEDIUM', 'LOW', 400, 'Call to requests without timeout', 'resp = requests.get(url)'],
  ['B201', 'flask_debug_true', 'HIGH', 'MEDIUM', 94, 'A Flask app appears to be run with debug=True, which exposes the Werkzeug debugger and allows the execution of arbitrary code.', 'app.run(debug=True)'],
  ['B506', 'yaml_load', 'MEDIUM', 'HIGH', 20, 'Use of unsafe yaml load. Allows instantiation of arbitrary objects. Consider yaml.safe_load().', 'cfg = yaml.load(stream)'],
];

/** Build the Bandit JSON text for `n` results. */
export function syntheticBandit(n: number, seed = 42): string {
  const r = rng(seed);
  const modules = ['api', 'core', 'auth', 'billing', 'jobs', 'storage', 'admin', 'reports', 'integrations', 'utils'];
  const files = Array.from({ length: Math.max(5, Math.ceil(n / 8)) }, (_, i) => `src/${modules[i % modules.length]}/module_${i}.py`);
  const results = [];
  for (let i = 0; i < n; i++) {
    const [id, name, sev, conf, cwe, text, code] = RULES[Math.floor(r() * RULES.length)]!;
    const file = files[Math.floor(r() * files.length)]!;
    const line = 1 + Math.floor(r() * 800);
    const lines = code.split('\n');
    const numbered = [`${line - 1}     # handler ${i}`, ...lines.map((l, k) => `${line + k}     ${l.replace('hunter2', `hunter${i}`)}`), `${line + lines.length}     return result_${i}`].join('\n') + '\n';
    results.push({
      code: numbered, col_offset: 4, end_col_offset: 40, filename: file,
      issue_confidence: conf, issue_cwe: { id: cwe, link: `https://cwe.mitre.org/data/definitions/${cwe}.html` },
      issue_severity: sev, issue_text: text.replace('hunter2', `hunter${i}`), line_number: line,
      line_range: lines.map((_, k) => line + k),
      more_info: `https://bandit.readthedocs.io/en/1.8.6/plugins/${id.toLowerCase()}_${name}.html`, test_id: id, test_name: name,
    });
  }
  const errors = files.slice(0, 3).map((f) => ({ filename: f.replace('.py', '_legacy.py'), reason: 'syntax error while parsing AST from file' }));
  return JSON.stringify({ errors, generated_at: '2026-11-01T10:00:00Z', metrics: { _totals: { loc: n * 20, nosec: 0 } }, results }, null, 2);
}
