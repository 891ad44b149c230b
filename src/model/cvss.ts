/**
 * CVSS v3 base score from a vector string, following the formulas of the FIRST CVSS v3.1
 * specification (section 7.1 "Base Metrics Equations", 7.4 "Metric Values", Appendix A
 * "Floating Point Rounding"). Pure; no dependency on other stages.
 *
 * OSV records carry only the vector (`severity[].score`), never the number, so the number has
 * to be computed to place the finding on the severity scale.
 */

const AV: Readonly<Record<string, number>> = { N: 0.85, A: 0.62, L: 0.55, P: 0.2 };
const AC: Readonly<Record<string, number>> = { L: 0.77, H: 0.44 };
const PR_UNCHANGED: Readonly<Record<string, number>> = { N: 0.85, L: 0.62, H: 0.27 };
// Privileges matter more when the impact crosses a security boundary (scope changed).
const PR_CHANGED: Readonly<Record<string, number>> = { N: 0.85, L: 0.68, H: 0.5 };
const UI: Readonly<Record<string, number>> = { N: 0.85, R: 0.62 };
const CIA: Readonly<Record<string, number>> = { H: 0.56, L: 0.22, N: 0 };
const BASE_METRICS = ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'] as const;

/**
 * The specification's `Roundup`: the smallest number with one decimal place that is equal to
 * or higher than its input. v3.1 defines it on integers so that `4.000000000000001` does not
 * become 4.1 through binary floating-point error; v3.0 vectors are scored the same way (the
 * v3.1 change only fixed that rounding artefact).
 */
export function cvssRoundup(value: number): number {
  const intInput = Math.round(value * 100_000);
  if (intInput % 10_000 === 0) return intInput / 100_000;
  return (Math.floor(intInput / 10_000) + 1) / 10;
}

// Own-property lookup only: a vector value such as `constructor` must not reach Object.prototype.
function weight(table: Readonly<Record<string, number>>, key: string | undefined): number | undefined {
  return key !== undefined && Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

/**
 * Compute the CVSS v3.0/v3.1 base score (0.0-10.0) from a vector such as
 * `CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H` (9.8). Temporal and environmental metrics in
 * the vector are allowed and ignored (this is the base score). Returns `undefined` for anything
 * that is not a complete, valid v3 base vector: a CVSS v2 or v4 vector, a missing or repeated
 * base metric, or an unknown metric value. Never throws.
 */
export function cvss3BaseScore(vector: string): number | undefined {
  if (typeof vector !== 'string') return undefined;
  const parts = vector.trim().split('/');
  if (!/^CVSS:3\.[01]$/.test(parts[0] ?? '')) return undefined;
  const m = new Map<string, string>();
  for (const part of parts.slice(1)) {
    const [key, value, extra] = part.split(':');
    if (!key || value === undefined || extra !== undefined || m.has(key)) return undefined;
    m.set(key, value);
  }
  if (!BASE_METRICS.every((k) => m.has(k))) return undefined;
  const scope = m.get('S');
  if (scope !== 'U' && scope !== 'C') return undefined;
  const changed = scope === 'C';
  const av = weight(AV, m.get('AV')), ac = weight(AC, m.get('AC')), ui = weight(UI, m.get('UI'));
  const pr = weight(changed ? PR_CHANGED : PR_UNCHANGED, m.get('PR'));
  const c = weight(CIA, m.get('C')), i = weight(CIA, m.get('I')), a = weight(CIA, m.get('A'));
  if (av === undefined || ac === undefined || ui === undefined || pr === undefined || c === undefined || i === undefined || a === undefined) return undefined;

  const iss = 1 - (1 - c) * (1 - i) * (1 - a);
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
  const exploitability = 8.22 * av * ac * pr * ui;
  if (impact <= 0) return 0;
  return changed ? cvssRoundup(Math.min(1.08 * (impact + exploitability), 10)) : cvssRoundup(Math.min(impact + exploitability, 10));
}
