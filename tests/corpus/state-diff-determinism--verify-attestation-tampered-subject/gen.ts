import { createHash } from 'node:crypto';
import { editStatement, writeBundle } from '../../helpers/verify-bundle.ts';

/** The attestation's subject for report.md is given another digest (signature left stale). */
export default function gen(dir: string): void {
  writeBundle(dir, { sign: true });
  editStatement(dir, (s) => {
    s.subject.find((x) => x.name === 'report.md')!.digest.sha256 = createHash('sha256').update('forged').digest('hex');
  });
}
