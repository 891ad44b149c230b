/**
 * `id@range` selectors (templates, checklist definitions): one parser, one matcher.
 */
// The semver functions used, not the whole package (`semver` loads ~50 modules; a build's start-up counts them).
import satisfies from 'semver/functions/satisfies.js';
import valid from 'semver/functions/valid.js';
import validRange from 'semver/ranges/valid.js';

/** A parsed `id@range` selector. */
export interface Selector {
  id: string;
  /** A semver range; `*` when the selector named only an id. */
  range: string;
}

const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

/**
 * Parse `security-scan@^1`, `security-scan@1.0.0` or `security-scan` (any version). Returns why
 * it is not a selector otherwise; the caller turns that into its own diagnostic.
 */
export function parseSelector(text: string): { selector: Selector } | { problem: string } {
  const trimmed = text.trim();
  const at = trimmed.indexOf('@');
  const id = at === -1 ? trimmed : trimmed.slice(0, at);
  const range = at === -1 ? '*' : trimmed.slice(at + 1).trim();
  if (!ID.test(id)) return { problem: 'the id must be lower-case letters, digits and dashes' };
  if (range === '' || validRange(range) === null) return { problem: `"${range}" is not a semver range` };
  return { selector: { id, range } };
}

/** True when `{id, version}` is selected by `selector`. */
export function selects(selector: Selector, candidate: { id: string; version: string }): boolean {
  return candidate.id === selector.id && valid(candidate.version) !== null && satisfies(candidate.version, selector.range);
}
