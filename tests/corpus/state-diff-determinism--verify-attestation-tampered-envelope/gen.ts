import { editEnvelope, editStatement, writeBundle } from '../../helpers/verify-bundle.ts';

/** The statement's overall status is rewritten (VALIDATED) inside a signed envelope. */
export default function gen(dir: string): void {
  writeBundle(dir, { sign: true });
  editStatement(dir, (s) => {
    (s.predicate.status as { overall: string }).overall = 'VALIDATED';
  });
  editEnvelope(dir, () => {});
}
