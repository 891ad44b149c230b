import { writeBundle } from '../../helpers/verify-bundle.ts';

/** report.md is listed; the case puts a FIFO in its place. */
export default function gen(dir: string): void {
  writeBundle(dir, { skipWrite: ['report.md'] });
}
