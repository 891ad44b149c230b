/**
 * Where `ingest()` spends its time on the 100,000-result SARIF of `normalize-sarif.ts`: each
 * stage timed on its own, in the order ingest runs them (decode, the depth and repeated-key
 * scan, JSON.parse, the repeated-key count, the SARIF reader, fingerprints, the stable order).
 * Not a target: it says what the 40 MB/s target leaves for the stages after JSON.parse.
 *   node --import tsx bench/normalize-phases.ts 100000
 */
import { decodeInput, countMembers, scanJson } from '../src/ingest/json-text.ts';
import { readerById } from '../src/ingest/detect.ts';
import { DEFAULT_LIMITS } from '../src/model/limits.ts';
import { fingerprintRun } from '../src/model/fingerprint.ts';
import { sortedFindingOrder } from '../src/model/order.ts';
import type { Finding } from '../src/model/types.ts';
import { syntheticSarif } from './normalize-sarif.ts';

const n = Number(process.argv[2] ?? 100_000);
const bytes = Buffer.from(syntheticSarif(n));
const ms: Record<string, number> = {};
let t = performance.now();
const lap = (name: string) => {
  const now = performance.now();
  ms[name] = Math.round(now - t);
  t = now;
};
const decoded = decodeInput(bytes, 'synthetic.sarif');
if (!decoded.ok) throw new Error(decoded.diagnostic.message);
lap('decode');
scanJson(decoded.text, DEFAULT_LIMITS.maxJsonDepth);
lap('scan (depth, members)');
const value: unknown = JSON.parse(decoded.text);
lap('JSON.parse');
countMembers(value);
lap('count members');
const findings = readerById('sarif')!.read({ file: 'synthetic.sarif', value, limits: DEFAULT_LIMITS }).runs[0]!.findings;
lap('SARIF reader');
const { fingerprints } = fingerprintRun(findings);
findings.forEach((f, i) => ((f as Finding).fingerprint = fingerprints[i]!));
lap('fingerprints');
sortedFindingOrder(findings as Finding[]);
lap('stable order');
const total = Object.values(ms).reduce((a, b) => a + b, 0);
console.log(JSON.stringify({ results: n, mb: Number((bytes.length / 1024 / 1024).toFixed(1)), ms, totalMs: Math.round(total), budgetMsAt40MBs: Math.round((bytes.length / 1024 / 1024 / 40) * 1000) }));
