import { diag, pointer, type Diagnostic } from '../model/diagnostics.ts';
import type { ReportFinding, WaiverResult } from '../model/report.ts';
import type { Waiver } from '../model/checklist.ts';
import { expiryInstant } from '../model/dates.ts';

/** Findings after waivers, the waivers' own state, and warnings about waivers. */
export interface WaiverApplication {
  findings: ReportFinding[];
  waivers: WaiverResult[];
  diagnostics: Diagnostic[];
}

/** True when `w` names finding `f`: same fingerprint, or same rule/advisory id (or alias) and, if given, tool. */
export function waiverMatches(w: Waiver, f: Pick<ReportFinding, 'fingerprint' | 'ruleId' | 'aliases' | 'tool'>): boolean {
  if (w.fingerprint !== undefined) return w.fingerprint === f.fingerprint;
  if (w.ruleId === undefined) return false;
  if (w.tool !== undefined && w.tool !== f.tool) return false;
  return w.ruleId === f.ruleId || f.aliases.includes(w.ruleId);
}

/**
 * Apply risk acceptances. A finding matched by an active waiver becomes `waived` and carries it
 * (accepted, never hidden). A waiver past its `expires` day stops applying: its findings stay
 * `open` and carry the waiver with `expired: true`, so the document can say the acceptance
 * lapsed. A waiver matching no finding is `unmatched` and warned about (a typo or a fixed
 * finding: either way the state file needs attention). Findings suppressed in source stay
 * suppressed but count as matched. The first listed active waiver wins when several match.
 */
export function applyWaivers(findings: readonly ReportFinding[], waivers: readonly Waiver[], now: Date, stateFile?: string): WaiverApplication {
  const nowMs = now.getTime();
  const expired = waivers.map((w) => nowMs >= (expiryInstant(w.expires) ?? Number.NEGATIVE_INFINITY));
  const matched = waivers.map(() => 0);
  const out = findings.map((f) => {
    let result: ReportFinding = f;
    let lapsed: ReportFinding['waiver'] | undefined;
    for (let i = 0; i < waivers.length; i++) {
      const w = waivers[i]!;
      if (!waiverMatches(w, f)) continue;
      matched[i]!++;
      const view = { id: w.id, justification: w.justification, approver: w.approver, expires: w.expires };
      if (expired[i]) {
        lapsed ??= { ...view, expired: true };
        continue;
      }
      // Only an open finding needs accepting: suppressed in source, or not affected by VEX, it stays as it is.
      if (result === f && f.status === 'open') result = { ...f, status: 'waived', waiver: view };
    }
    if (result === f && lapsed && f.status === 'open') result = { ...f, waiver: lapsed };
    return result;
  });
  const diagnostics: Diagnostic[] = [];
  const results = waivers.map((w, i): WaiverResult => {
    const match: WaiverResult['match'] = w.fingerprint !== undefined ? { fingerprint: w.fingerprint } : { ruleId: w.ruleId!, ...(w.tool !== undefined ? { tool: w.tool } : {}) };
    const state: WaiverResult['state'] = matched[i] === 0 ? 'unmatched' : expired[i] ? 'expired' : 'active';
    if (state === 'unmatched') {
      const what = w.fingerprint !== undefined ? `fingerprint ${w.fingerprint}` : `rule ${w.ruleId}${w.tool ? ` of ${w.tool}` : ''}`;
      diagnostics.push(diag('waiver/unmatched', 'warning', `waiver ${w.id} (${what}) matches no finding`, {
        ...(stateFile ? { file: stateFile } : {}), pointer: pointer('waivers', i),
        expected: 'a fingerprint or rule id present in the scan results', fix: 'remove the waiver if the finding was fixed, or correct its fingerprint/ruleId/tool',
      }));
    } else if (state === 'expired') {
      diagnostics.push(diag('waiver/expired', 'warning', `waiver ${w.id} expired after ${w.expires}; its ${matched[i]} finding(s) count as open again`, {
        ...(stateFile ? { file: stateFile } : {}), pointer: pointer('waivers', i, 'expires'), fix: 'fix the finding, or renew the waiver with a new approval and expiry',
      }));
    }
    return { id: w.id, match, justification: w.justification, approver: w.approver, expires: w.expires, state, matched: matched[i]! };
  });
  return { findings: out, waivers: results, diagnostics };
}
