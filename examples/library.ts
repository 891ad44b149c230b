/**
 * auditmark as a library: the signed bundle of `npm run example`, built, verified and diffed
 * from code. Run: `npx tsx examples/library.ts [out-dir]`. The README's "Library" section shows
 * this file and `tests/e2e/library-example.test.ts` runs it.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, diff, openBrowser, verifyBundle, type Diagnostic } from 'auditmark';

const out = process.argv[2] ?? 'examples/out-library';
const print = (ds: readonly Diagnostic[]) => ds.forEach((d) => console.error(`${d.file ?? 'auditmark'}: ${d.level} ${d.code}: ${d.message}`));

// A throw-away signing key; in real use, the key your release process keeps.
const keys = generateKeyPairSync('ed25519');
const keyFile = join(mkdtempSync(join(tmpdir(), 'auditmark-example-')), 'signing.pem');
writeFileSync(keyFile, keys.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });

// The browser is a resource the caller owns: `await using` closes it when this module ends, also
// after a throw, so the process always exits. (Pass no browser and build() opens and closes its own.)
const opened = await openBrowser();
if ('code' in opened) throw new Error(`${opened.code}: ${opened.message}`);
await using browser = opened;

const report = await build(
  {
    scans: ['examples/scans/bandit.json', 'examples/scans/pip-audit.json'],
    checklist: 'examples/checklist-state.yaml',
    config: 'examples/auditmark.config.yaml',
    formats: ['md', 'html', 'pdf', 'json', 'sarif'],
    sign: keyFile,
    out,
  },
  { browser },
);
print(report.diagnostics); // the same diagnostics the CLI prints, as data
console.log(`status ${report.value?.status.overall}; wrote ${report.files.map((f) => f.name).join(', ')}`);

const check = await verifyBundle(out, { publicKeyPem: keys.publicKey.export({ type: 'spki', format: 'pem' }) });
print(check.diagnostics);
console.log(`verify: ${check.ok ? 'ok' : 'FAILED'}, signature ${check.signature}`);

// A release compared with itself: nothing new, nothing fixed.
const changes = await diff({ baseline: out, current: out, formats: ['json'], out: `${out}-diff` });
console.log(`diff: ${changes.value?.summary.new} new, ${changes.value?.summary.absent} fixed`);

process.exitCode = Math.max(report.exitCode, check.ok ? 0 : 1, changes.exitCode);
