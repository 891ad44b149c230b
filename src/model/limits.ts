/**
 * Every limit auditmark enforces, with its default. Each is documented in the README and
 * can be raised in `auditmark.config.yaml` under `limits:` or with `--limit name=value`.
 * Limits are checked before the expensive step (stat before read, depth before parse,
 * counts before render).
 */
export interface Limits {
  /** Largest input file in bytes (DefectDojo uses 100 MB). */
  maxInputBytes: number;
  /** Deepest JSON/YAML nesting accepted before parsing. */
  maxJsonDepth: number;
  /** Most findings in one build or diff side. */
  maxFindings: number;
  /** Longest text field (message, snippet, description) kept; longer ones are truncated with a marker. */
  maxFieldLength: number;
  /**
   * Longest text field shown in the documents (md, html, pdf); longer ones are cut with a marker
   * pointing to report.json, which keeps the text up to maxFieldLength.
   */
  maxDocumentFieldLength: number;
  /** Deepest Markdown nesting (lists, quotes) accepted in rendered documents. */
  maxMarkdownNesting: number;
  /** Most YAML aliases in a checklist or config file. */
  maxYamlAliases: number;
  /** Most bytes of embedded assets (fonts, images) in an HTML page. */
  maxAssetBytes: number;
  /** Milliseconds allowed to print one PDF part in Chromium. */
  printTimeoutMs: number;
  /** Milliseconds allowed for rendering one document: the HTML step, then all PDF parts. */
  renderTimeoutMs: number;
}

/** Defaults, chosen to accept every real scanner output we have seen with a wide margin. */
export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxInputBytes: 100 * 1024 * 1024,
  maxJsonDepth: 256,
  maxFindings: 250_000,
  maxFieldLength: 32 * 1024,
  maxDocumentFieldLength: 16 * 1024,
  maxMarkdownNesting: 32,
  maxYamlAliases: 50,
  maxAssetBytes: 8 * 1024 * 1024,
  printTimeoutMs: 60_000,
  renderTimeoutMs: 300_000,
});

/**
 * Longest timeout accepted (2,000,000,000 ms, about 23 days). Node's timers hold at most
 * 2^31-1 ms and fire at once beyond it (`TimeoutOverflowWarning`), and AbortSignal.timeout
 * throws beyond 2^32-1: a huge `printTimeoutMs` must be refused, not turn into an instant timeout.
 */
export const MAX_TIMEOUT_MS = 2_000_000_000;

/**
 * The values each limit accepts, for `--limit` and (the same numbers) `schemas/config.schema.json`.
 * `maxYamlAliases` may be 0 (no aliases at all); every other limit is at least 1. Sizes and
 * counts stop at the largest integer a double holds exactly, so `99999999999999999999` is refused
 * instead of silently becoming 1e20.
 */
export const LIMIT_RANGES: Readonly<Record<keyof Limits, { min: number; max: number }>> = Object.freeze({
  maxInputBytes: { min: 1, max: Number.MAX_SAFE_INTEGER },
  maxJsonDepth: { min: 1, max: Number.MAX_SAFE_INTEGER },
  maxFindings: { min: 1, max: Number.MAX_SAFE_INTEGER },
  maxFieldLength: { min: 1, max: Number.MAX_SAFE_INTEGER },
  maxDocumentFieldLength: { min: 1, max: Number.MAX_SAFE_INTEGER },
  maxMarkdownNesting: { min: 1, max: Number.MAX_SAFE_INTEGER },
  maxYamlAliases: { min: 0, max: Number.MAX_SAFE_INTEGER },
  maxAssetBytes: { min: 1, max: Number.MAX_SAFE_INTEGER },
  printTimeoutMs: { min: 1, max: MAX_TIMEOUT_MS },
  renderTimeoutMs: { min: 1, max: MAX_TIMEOUT_MS },
});

/** The config key that raises each limit, for error messages. */
export function limitHint(name: keyof Limits): string {
  return `raise it with --limit ${name}=<value> or limits.${name} in auditmark.config.yaml`;
}
