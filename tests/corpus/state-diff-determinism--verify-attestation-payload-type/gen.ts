import { editEnvelope, writeBundle } from '../../helpers/verify-bundle.ts';

/** The envelope's payloadType is changed: the same bytes presented as another kind of document. */
export default function gen(dir: string): void {
  writeBundle(dir, { sign: true });
  editEnvelope(dir, (e) => {
    e.payloadType = 'application/json';
  });
}
