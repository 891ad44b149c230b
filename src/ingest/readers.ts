import type { Reader } from './reader.ts';
import { fromAuditmarkScan } from './from-auditmark-scan.ts';
import { fromBandit } from './from-bandit.ts';
import { fromSafety } from './from-safety.ts';
import { fromPipAudit } from './from-pip-audit.ts';
import { fromNpmAudit } from './from-npm-audit.ts';
import { fromSemgrep } from './from-semgrep.ts';
import { fromGitleaks } from './from-gitleaks.ts';
import { fromSarif } from './from-sarif.ts';
import { fromTrivy } from './from-trivy.ts';
import { fromGrype } from './from-grype.ts';
import { fromOsvScanner } from './from-osv-scanner.ts';
import { fromSnyk } from './from-snyk.ts';
import { fromZap } from './from-zap.ts';
import { fromDependencyCheck } from './from-dependency-check.ts';
import { fromTrufflehog } from './from-trufflehog.ts';
import { fromNuclei } from './from-nuclei.ts';

/**
 * Every reader, in one list. Detection asks each and takes the highest confidence; ties go to
 * the earlier entry, so more specific formats come first.
 */
export const READERS: readonly Reader[] = [
  fromAuditmarkScan,
  fromSarif,
  fromBandit,
  fromSemgrep,
  fromSafety,
  fromPipAudit,
  fromNpmAudit,
  fromTrivy,
  fromGrype,
  fromOsvScanner,
  fromSnyk,
  fromGitleaks,
  fromZap,
  fromDependencyCheck,
  fromTrufflehog,
  fromNuclei,
];
