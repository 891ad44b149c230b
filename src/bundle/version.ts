import { readFileSync } from 'node:fs';

/** auditmark's own version, from package.json (recorded in every document and manifest). */
export const AUDITMARK_VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
