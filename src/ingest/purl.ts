/**
 * Package URLs (purl) through the specification's reference library, `packageurl-js`, so
 * percent-encoding, namespaces and per-type normalisation (PyPI names lower-cased, ...) follow
 * the specification rather than a regular expression.
 */
import type { PackageURL } from 'packageurl-js';
import { packageUrl } from '../model/purl.ts';

/** A purl's type, display name and version. */
export interface Purl {
  /** The purl type (`maven`, `npm`, `pypi`, `deb`, ...). */
  type: string;
  /**
   * The name as package managers and the other readers write it: Maven `group:artifact` (as
   * Trivy names jars), otherwise `namespace/name` (`@scope/name` for npm, `github.com/x/y` for Go).
   */
  name: string;
  version?: string;
}

/** Parse a purl; `undefined` for anything that is not one. Never throws. */
export function parsePurl(text: string): Purl | undefined {
  let p: PackageURL;
  try {
    p = packageUrl().PackageURL.fromString(text.trim());
  } catch {
    return undefined;
  }
  const ns = p.namespace ?? undefined;
  const name = ns ? (p.type === 'maven' ? `${ns}:${p.name}` : `${ns}/${p.name}`) : p.name;
  return p.version ? { type: p.type, name, version: p.version } : { type: p.type, name };
}
