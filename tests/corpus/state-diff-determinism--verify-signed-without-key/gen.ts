import { writeBundle } from '../../helpers/verify-bundle.ts';

/** A signed bundle, intact; the case verifies it without --key. */
export default function gen(dir: string): void {
  writeBundle(dir, { sign: true });
}
