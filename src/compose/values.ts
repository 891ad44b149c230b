/**
 * Data enters a document only as a value. While a template renders, every filter below stores
 * its value in a table and prints an opaque placeholder instead (`\uE000<n>\uE001`, private-use
 * characters with no meaning in Markdown). The trusted skeleton is parsed afterwards and each
 * placeholder replaced by a node holding its value (see `tree.ts`), so no value is ever parsed
 * as Markdown or HTML, whatever it contains.
 */
import { SEVERITIES } from '../model/severity.ts';
import type { ChartSpec } from './charts.ts';
import type { Severity } from '../model/types.ts';

/** One value of the document, by the node it becomes. */
export type Value =
  /** A text node (inline). */
  | { kind: 'text'; value: string }
  /** An inline code node. */
  | { kind: 'code'; value: string }
  /** A code block (block-level: alone in its paragraph). `hidden` lines were cut, with a visible marker. */
  | { kind: 'codeblock'; value: string; lang?: string }
  /** A link (http, https or mailto only; anything else became text). */
  | { kind: 'link'; url: string; label: string }
  /** Markdown by nature (advisory texts): parsed into a confined, sanitised subtree (block-level). */
  | { kind: 'markdown'; value: string }
  /** Data attributes for the table row the placeholder sits in (HTML filters); prints nothing. */
  | { kind: 'row'; props: Readonly<Record<string, string>> }
  /** Where a person signs (sign-off block): a blank line in Markdown, a signature box in HTML/PDF (a signed PDF puts its signature field there). */
  | { kind: 'signature'; role: string }
  /** A chart from model data (block-level): a figure in HTML/PDF, a sentence with the same numbers in Markdown. */
  | { kind: 'chart'; title: string; spec: ChartSpec };

/** Start and end of a placeholder. Templates may not contain them. */
export const OPEN = '\uE000';
export const CLOSE = '\uE001';

/** The values of one document render, addressed by placeholder. */
export class ValueTable {
  readonly values: Value[] = [];

  /** Store a value and return its placeholder. */
  add(value: Value): string {
    this.values.push(value);
    return `${OPEN}${(this.values.length - 1).toString(36)}${CLOSE}`;
  }

  /** The value a placeholder body (the base-36 index) names. */
  get(body: string): Value | undefined {
    return this.values[Number.parseInt(body, 36)];
  }
}

/** The filters that turn data into values: the only way a template may print anything. */
export const VALUE_FILTERS = ['md', 'text', 'cell', 'code', 'codeblock', 'link', 'date', 'datetime', 'sevcount', 'num', 'markdown', 'rowdata', 'chart', 'signature'] as const;

/**
 * A missing value (`undefined`/`null`) gives `undefined` back, so Nunjucks' `throwOnUndefined`
 * reports the template line (a throw from inside a filter would lose it).
 */
class Missing extends Error {}

function present(value: unknown): unknown {
  if (value === undefined || value === null) throw new Missing();
  return value;
}

function asText(value: unknown): string {
  const v = present(value);
  if (Array.isArray(v)) return v.map((x) => asText(x)).join(', ');
  return String(v);
}

const SAFE_URL = /^(?:https?:\/\/[^\s<>]+|mailto:[^\s<>]+)$/i;
const DATE_PREFIX = /^(\d{4}-\d{2}-\d{2})(?:$|[T ])/;
const HAS_ZONE = /(?:Z|[+-]\d{2}:?\d{2})$/i;

/**
 * `YYYY-MM-DD` of an ISO timestamp in UTC. A timestamp without a zone keeps its own date
 * (never reinterpreted in the machine's local time, so TZ cannot change the document).
 */
export function isoDate(value: unknown): string {
  const text = asText(value).trim();
  const m = DATE_PREFIX.exec(text);
  if (!m) return text;
  if (!HAS_ZONE.test(text)) return m[1]!;
  const t = Date.parse(text);
  return Number.isNaN(t) ? text : new Date(t).toISOString().slice(0, 10);
}

/** `YYYY-MM-DD HH:MM UTC` of an ISO timestamp; zone-less timestamps are shown as written. */
export function isoDateTime(value: unknown): string {
  const text = asText(value).trim();
  if (!DATE_PREFIX.test(text)) return text;
  if (!HAS_ZONE.test(text)) return text.replace('T', ' ').slice(0, 16);
  const t = Date.parse(text);
  return Number.isNaN(t) ? text : new Date(t).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

/** `high 2, medium 1` for the non-zero entries of a severity count, or `none`. */
export function severityCounts(value: unknown): string {
  const counts = present(value) as Partial<Record<Severity, number>>;
  const parts = SEVERITIES.filter((s) => (counts[s] ?? 0) > 0).map((s) => `${s} ${counts[s]}`);
  return parts.length ? parts.join(', ') : 'none';
}

/**
 * At most `max` lines of a code block, the rest replaced by a visible `… n more lines` line: a
 * whole function flagged as one finding must not fill pages (the full text is in report.json).
 */
export function boundedLines(text: string, max: number | undefined): string {
  if (max === undefined || max < 1) return text;
  const lines = text.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n');
  if (lines.length <= max) return lines.join('\n');
  const more = lines.length - max;
  return [...lines.slice(0, max), `… ${more} more line${more === 1 ? '' : 's'} (full text in report.json)`].join('\n');
}

/** Data attributes from a view object: `{ severity: 'high', state: ['open'] }` → `data-severity="high"`, `data-state="open"`. */
function rowProps(value: unknown): Record<string, string> {
  const v = present(value);
  const out: Record<string, string> = {};
  if (typeof v !== 'object' || v === null) return out;
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (!/^[a-z][a-z0-9-]{0,31}$/.test(k) || x === undefined || x === null) continue;
    out[k] = Array.isArray(x) ? x.map(String).join(' ') : String(x);
  }
  return out;
}

/**
 * The filters registered in a compose environment, writing into `table`. Each returns the
 * placeholder of its value (or `undefined` for a missing input, see {@link Missing}).
 */
export function valueFilters(table: ValueTable): Record<(typeof VALUE_FILTERS)[number], (...args: never[]) => string> {
  const guard = <A extends unknown[]>(fn: (value: unknown, ...args: A) => Value | string) => (value: unknown, ...args: A): string => {
    try {
      const v = fn(value, ...args);
      return typeof v === 'string' ? v : table.add(v);
    } catch (e) {
      if (e instanceof Missing) return undefined as unknown as string;
      throw e;
    }
  };
  const text = guard((v) => ({ kind: 'text', value: asText(v) }));
  return {
    md: text,
    text,
    cell: guard((v, kind?: unknown) => ({ kind: kind === 'code' ? 'code' : 'text', value: asText(v) })),
    code: guard((v) => ({ kind: 'code', value: asText(v) })),
    codeblock: guard((v, lang?: unknown, maxLines?: unknown) => {
      // The info string is data too: keep only a plain language word.
      const safe = typeof lang === 'string' && /^[A-Za-z0-9_+.#-]{1,32}$/.test(lang) ? lang : undefined;
      return { kind: 'codeblock', value: boundedLines(asText(v), typeof maxLines === 'number' ? maxLines : undefined), ...(safe ? { lang: safe } : {}) };
    }),
    link: guard((url, label?: unknown) => {
      const href = String(present(url)).trim();
      const shown = label === undefined || label === null || label === '' ? href : asText(label);
      // A hostile reference (`javascript:`, `file:`, relative paths) is shown as text, never linked.
      if (!SAFE_URL.test(href)) return { kind: 'text', value: shown === href ? href : `${shown} (${href})` };
      return { kind: 'link', url: href, label: shown };
    }),
    date: guard((v) => ({ kind: 'text', value: isoDate(v) })),
    datetime: guard((v) => ({ kind: 'text', value: isoDateTime(v) })),
    sevcount: guard((v) => ({ kind: 'text', value: severityCounts(v) })),
    num: guard((v) => {
      const n = present(v);
      return { kind: 'text', value: typeof n === 'number' && Number.isFinite(n) ? String(n) : asText(n) };
    }),
    markdown: guard((v) => ({ kind: 'markdown', value: asText(v) })),
    rowdata: guard((v) => ({ kind: 'row', props: rowProps(v) })),
    signature: guard((v) => ({ kind: 'signature', role: asText(v).replace(/[^a-z0-9-]/gi, '').toLowerCase() || 'signature' })),
    chart: guard((v, title?: unknown) => {
      const spec = present(v) as ChartSpec;
      if (!spec || !Array.isArray(spec.bars) || typeof spec.id !== 'string') throw new TypeError('the chart filter needs a chart from `charts` (e.g. charts.severity)');
      return { kind: 'chart', spec, title: title === undefined || title === null ? '' : asText(title) };
    }),
  };
}
