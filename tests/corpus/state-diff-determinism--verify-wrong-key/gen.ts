import { writeBundle } from '../../helpers/verify-bundle.ts';

/** A signed bundle, intact; the case verifies it with another key. */
export default function gen(dir: string): void {
  writeBundle(dir, { sign: true });
}
