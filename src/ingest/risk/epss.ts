/**
 * FIRST EPSS daily scores (`--epss`): the CSV FIRST publishes, plain or gzipped. First line
 * `#model_version:v2025.03.14,score_date:2026-11-30T00:00:00+0000`, then `cve,epss,percentile`,
 * then one row per CVE. Pure (gunzip is computation, bounded by `maxInputBytes`).
 */
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { diag, type Diagnostic } from '../../model/diagnostics.ts';
import { limitHint, type Limits } from '../../model/limits.ts';
import type { EpssSnapshot } from '../../model/risk.ts';

const CVE = /^CVE-\d{4}-\d{4,}$/i;
const UNIT = /^(?:0(?:\.\d+)?|1(?:\.0+)?|\.\d+)$/;

/** Read an EPSS snapshot. A malformed row refuses the file, naming its line. */
export function parseEpss(bytes: Uint8Array, file: string, limits: Pick<Limits, 'maxInputBytes'>): { snapshot?: EpssSnapshot; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const bad = (line: number, message: string, expected: string): { diagnostics: Diagnostic[] } => ({
    diagnostics: [diag('epss/invalid', 'error', message, { file, line, column: 1, expected, fix: 'pass the EPSS CSV as FIRST publishes it (epss_scores-YYYY-MM-DD.csv.gz)' })],
  });
  let raw: Buffer;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      raw = gunzipSync(bytes, { maxOutputLength: limits.maxInputBytes });
    } catch (e) {
      const tooBig = e instanceof RangeError || /maxOutputLength|buffer/i.test(String(e));
      if (tooBig) return { diagnostics: [diag('limit/input-size', 'error', `the gzipped EPSS file unpacks to more than maxInputBytes=${limits.maxInputBytes} bytes`, { file, expected: `at most ${limits.maxInputBytes} bytes unpacked`, fix: limitHint('maxInputBytes') })] };
      return bad(1, `the file starts like gzip but does not unpack: ${String(e).slice(0, 120)}`, 'a gzip-compressed CSV or a plain CSV');
    }
  } else {
    raw = Buffer.from(bytes);
  }
  const lines = raw.toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/);
  let n = 0;
  let model: string | undefined;
  let date: string | undefined;
  if (lines[0]?.startsWith('#')) {
    const meta = lines[0].slice(1);
    model = /model_version:([^,\s]+)/.exec(meta)?.[1];
    date = /score_date:(\d{4}-\d{2}-\d{2})/.exec(meta)?.[1];
    n = 1;
  }
  if ((lines[n] ?? '').trim().toLowerCase() !== 'cve,epss,percentile') return bad(n + 1, `line ${n + 1} is not the header cve,epss,percentile`, 'cve,epss,percentile');
  const scores = new Map<string, { score: number; percentile: number }>();
  for (let i = n + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const [cve, epss, pct, extra] = line.split(',');
    if (extra !== undefined || !cve || !CVE.test(cve.trim()) || !epss || !UNIT.test(epss.trim()) || !pct || !UNIT.test(pct.trim())) {
      return bad(i + 1, `line ${i + 1} is not "CVE-id,score,percentile" with decimals in [0, 1]: ${JSON.stringify(line.slice(0, 80))}`, 'CVE-2021-44228,0.94358,0.99960');
    }
    scores.set(cve.trim().toUpperCase(), { score: Number(epss), percentile: Number(pct) });
  }
  if (date === undefined) {
    const named = /epss_scores-(\d{4}-\d{2}-\d{2})\.csv(?:\.gz)?$/.exec(file)?.[1];
    if (named === undefined) {
      return { diagnostics: [diag('epss/no-date', 'error', 'the EPSS file has no score_date line and no dated file name: its scores cannot be dated', { file, line: 1, column: 1, expected: '#model_version:…,score_date:YYYY-MM-DD… as the first line', fix: 'use the file as FIRST publishes it, or keep its name epss_scores-YYYY-MM-DD.csv.gz' })] };
    }
    date = named;
    diagnostics.push(diag('epss/no-date', 'warning', `the EPSS file has no score_date line; its date ${named} is taken from the file name`, { file, line: 1, column: 1, expected: '#model_version:…,score_date:… as the first line', fix: 'use the file as FIRST publishes it' }));
  }
  const snapshot: EpssSnapshot = { file, sha256: createHash('sha256').update(bytes).digest('hex'), date, scores };
  if (model !== undefined) snapshot.model = model;
  return { snapshot, diagnostics };
}
