/**
 * The CISA Known Exploited Vulnerabilities catalog (`--kev`), as CISA publishes it:
 * `known_exploited_vulnerabilities.json` with `title`, `catalogVersion`, `dateReleased`, `count`
 * and `vulnerabilities[]`. Pure.
 */
import { createHash } from 'node:crypto';
import { diag, pointer, type Diagnostic } from '../../model/diagnostics.ts';
import type { Limits } from '../../model/limits.ts';
import type { KevCatalog, KevEntry } from '../../model/risk.ts';
import { isObject } from '../reader.ts';
import { dayOf, readJsonValue, text } from './json-input.ts';

const CVE = /^CVE-\d{4}-\d{4,}$/i;

/** Read a KEV catalog snapshot. Any malformed entry refuses the file: a partial catalog would silently miss exploited CVEs. */
export function parseKev(bytes: Uint8Array, file: string, limits: Pick<Limits, 'maxInputBytes' | 'maxJsonDepth'>): { catalog?: KevCatalog; diagnostics: Diagnostic[] } {
  const json = readJsonValue(bytes, file, limits, 'kev/invalid');
  if (!json.ok) return { diagnostics: json.diagnostics };
  const v = json.value;
  const bad = (ptr: string, message: string, expected: string) => ({
    diagnostics: [diag('kev/invalid', 'error', message, { file, pointer: ptr, expected, fix: 'pass known_exploited_vulnerabilities.json as CISA publishes it' })],
  });
  if (!isObject(v) || !Array.isArray(v.vulnerabilities)) return bad('/vulnerabilities', 'not a CISA KEV catalog: no vulnerabilities array', '{"catalogVersion": …, "dateReleased": …, "vulnerabilities": [{"cveID": …}]}');
  const entries = new Map<string, Omit<KevEntry, 'source'>>();
  for (let i = 0; i < v.vulnerabilities.length; i++) {
    const e = v.vulnerabilities[i];
    const cve = isObject(e) ? text(e.cveID) : undefined;
    if (!isObject(e) || cve === undefined || !CVE.test(cve)) return bad(pointer('vulnerabilities', i, 'cveID'), `entry ${i} has no valid cveID`, 'a CVE id such as CVE-2021-44228');
    const entry: Omit<KevEntry, 'source'> = { cve: cve.toUpperCase() };
    const added = dayOf(e.dateAdded);
    if (added !== undefined) entry.dateAdded = added;
    const due = dayOf(e.dueDate);
    if (due !== undefined) entry.dueDate = due;
    const ransomware = text(e.knownRansomwareCampaignUse);
    if (ransomware !== undefined) entry.ransomware = ransomware;
    const name = text(e.vulnerabilityName);
    if (name !== undefined) entry.vulnerabilityName = name;
    const action = text(e.requiredAction);
    if (action !== undefined) entry.requiredAction = action;
    entries.set(entry.cve, entry);
  }
  const catalog: KevCatalog = { file, sha256: createHash('sha256').update(bytes).digest('hex'), entries };
  const title = text(v.title);
  if (title !== undefined) catalog.title = title;
  const version = text(v.catalogVersion);
  if (version !== undefined) catalog.catalogVersion = version;
  const date = dayOf(v.dateReleased);
  if (date !== undefined) catalog.date = date;
  return { catalog, diagnostics: [] };
}
