import type { Finding } from './types.ts';
import { severityRank } from './severity.ts';

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The stable finding order everywhere: severity, rule, path, line, fingerprint. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(a.severity) - severityRank(b.severity) ||
    cmp(a.ruleId, b.ruleId) ||
    cmp(a.location?.path ?? a.package?.name ?? '', b.location?.path ?? b.package?.name ?? '') ||
    (a.location?.startLine ?? 0) - (b.location?.startLine ?? 0) ||
    cmp(a.fingerprint, b.fingerprint) ||
    cmp(a.tool, b.tool)
  );
}
