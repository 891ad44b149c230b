/**
 * Package URLs (purl) for matching VEX statements to findings: parsed with `packageurl-js`
 * (the package-url project's own implementation), compared by type, namespace, name and version.
 * Qualifiers (`?arch=`, `?distro=`) and subpaths are ignored on purpose: scanners and VEX
 * authors disagree on them for the same package, and a statement about `busybox@1.36.1-r15`
 * is about every architecture's build of it.
 */
import type * as PackageUrlModule from 'packageurl-js';
import { requireOnce } from './require-once.ts';
import type { PurlParts } from './risk.ts';

/**
 * `packageurl-js` (CommonJS), loaded on the first purl: most runs read no purl, and loading it
 * cost every run about 35 ms here (it creates an `Intl.Collator` when it loads).
 */
export const packageUrl = requireOnce<typeof PackageUrlModule>('packageurl-js');

/** Parse a purl; `undefined` for anything that is not one. */
export function parsePurl(text: string | undefined): PurlParts | undefined {
  if (typeof text !== 'string' || !/^pkg:/i.test(text.trim())) return undefined;
  try {
    const p = packageUrl().PackageURL.fromString(text.trim());
    const parts: PurlParts = { type: p.type.toLowerCase(), name: p.name };
    if (p.namespace) parts.namespace = p.namespace;
    if (p.version) parts.version = p.version;
    return parts;
  } catch {
    return undefined;
  }
}

/** Finding ecosystems (as readers normalise them) to purl types. */
const ECOSYSTEM_TYPE: Readonly<Record<string, string>> = {
  pypi: 'pypi', npm: 'npm', maven: 'maven', go: 'golang', golang: 'golang', cargo: 'cargo', rubygems: 'gem', gem: 'gem',
  nuget: 'nuget', packagist: 'composer', composer: 'composer', hex: 'hex', pub: 'pub', swift: 'swift', cocoapods: 'cocoapods',
  debian: 'deb', ubuntu: 'deb', alpine: 'apk', wolfi: 'apk', redhat: 'rpm', centos: 'rpm', rocky: 'rpm', almalinux: 'rpm', fedora: 'rpm', amazon: 'rpm', suse: 'rpm', opensuse: 'rpm',
};

/** The purl type of a finding's ecosystem, when one is known. */
export function purlTypeOf(ecosystem: string | undefined): string | undefined {
  if (!ecosystem) return undefined;
  const e = ecosystem.toLowerCase();
  return Object.prototype.hasOwnProperty.call(ECOSYSTEM_TYPE, e) ? ECOSYSTEM_TYPE[e] : e;
}

/**
 * The name as compared: PyPI names are case-insensitive with `-`, `_` and `.` equivalent (PEP 503);
 * npm, Go and Maven names are case-sensitive by their registries but written in one case in
 * practice, so only PyPI, npm and the OS package types are case-folded.
 */
export function comparableName(type: string, name: string): string {
  if (type === 'pypi') return name.toLowerCase().replace(/[-_.]+/g, '-');
  if (type === 'npm' || type === 'deb' || type === 'apk' || type === 'rpm' || type === 'gem' || type === 'nuget' || type === 'composer') return name.toLowerCase();
  return name;
}

/**
 * True when `product` names the package `pkg`: same type, same namespace (ignored for OS
 * package types, where scanners write the distribution differently: `alpine` vs nothing),
 * same comparable name, and the same version when the product names one.
 */
export function purlMatches(product: PurlParts, pkg: PurlParts): boolean {
  if (product.type !== pkg.type) return false;
  const os = product.type === 'deb' || product.type === 'apk' || product.type === 'rpm';
  if (!os && (product.namespace ?? '').toLowerCase() !== (pkg.namespace ?? '').toLowerCase()) return false;
  if (comparableName(product.type, product.name) !== comparableName(pkg.type, pkg.name)) return false;
  return product.version === undefined || product.version === pkg.version;
}

/**
 * The image name of a reference or scan target (`ghcr.io/org/app:1.2@sha256:…` → `app`,
 * `teamdojo:latest (alpine 3.9.4)` → `teamdojo`), lower-case; nothing for URLs, CPEs, purls and URNs.
 */
export function imageName(ref: string | undefined): string | undefined {
  if (!ref || /^[a-z][a-z0-9+.-]*:\/\//i.test(ref) || /^(cpe|pkg|urn):/i.test(ref)) return undefined;
  const last = ref.trim().split(/\s/)[0]!.replace(/@sha256:[0-9a-f]+$/i, '').split('/').at(-1) ?? '';
  return last.replace(/:[^:]*$/, '').toLowerCase() || undefined;
}
