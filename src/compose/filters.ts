/**
 * Markdown-safe template filters. Scanner text is untrusted: a message may start with `# `,
 * hold `](`, `|`, a backtick run or `<!--`. Every filter here turns a value into Markdown that
 * parses back to exactly that value as text (or code), using mdast-util-to-markdown's own
 * `unsafe` tables instead of hand-written regexes wherever the library can do it.
 */
import { toMarkdown } from 'mdast-util-to-markdown';
import { gfmToMarkdown } from 'mdast-util-gfm';
import type { Severity } from '../model/types.ts';
import { SEVERITIES } from '../model/severity.ts';

const gfm = gfmToMarkdown({ tablePipeAlign: false });

// A private-use character stands in for `|` while the paragraph is serialised: paragraph
// escaping does not know about tables, and a pipe escaped as `\|` is safe everywhere.
const PIPE = '\uE000';

/**
 * A missing value (`undefined`/`null`) passes through unchanged: Nunjucks' `throwOnUndefined`
 * then rejects the output with the template's line, which a throw from inside a filter loses.
 */
class Missing extends Error {
  constructor() {
    super('filter input is undefined or null');
  }
}

function present(value: unknown): unknown {
  if (value === undefined || value === null) throw new Missing();
  return value;
}

/** Run a filter; a missing input gives `undefined` back for Nunjucks to report. */
function guard<A extends unknown[]>(fn: (value: unknown, ...args: A) => string): (value: unknown, ...args: A) => string {
  return (value, ...args) => {
    try {
      return fn(value, ...args);
    } catch (e) {
      if (e instanceof Missing) return undefined as unknown as string;
      throw e;
    }
  };
}

function asText(value: unknown): string {
  const v = present(value);
  if (Array.isArray(v)) return v.map((x) => asText(x)).join(', ');
  return String(v);
}

/** Collapse line breaks: inline text must never start a new block. */
function oneLine(text: string): string {
  return text.replace(/\r\n?|\n|\u2028|\u2029/g, ' ').trim();
}

/**
 * Escape text for inline Markdown so it cannot change structure, in a paragraph, a list item,
 * an ATX heading or a GFM table cell. Line breaks become spaces.
 */
export function escapeMarkdown(value: unknown): string {
  const text = oneLine(asText(value).replaceAll(PIPE, '\uFFFD').replaceAll('|', PIPE));
  if (text === '') return '';
  let out = toMarkdown({ type: 'paragraph', children: [{ type: 'text', value: text }] }, { extensions: [gfm] })
    .replace(/\n+$/, '')
    .replaceAll(PIPE, '\\|');
  // A trailing `#` run would be read as an ATX heading's closing sequence and dropped.
  if (out.endsWith('#')) out = out.slice(0, -1) + '\\#';
  return out;
}

/** An inline code span whose backtick fence is longer than any backtick run in the value. */
export function inlineCode(value: unknown, context: 'text' | 'cell' = 'text'): string {
  const text = oneLine(asText(value));
  if (text === '') return '';
  const node = { type: 'inlineCode' as const, value: text };
  if (context !== 'cell') return toMarkdown(node).replace(/\n+$/, '');
  // In a table cell GFM needs `\|` even inside a code span; the table serialiser knows how.
  const table = toMarkdown(
    { type: 'table', align: [null], children: [{ type: 'tableRow', children: [{ type: 'tableCell', children: [node] }] }] },
    { extensions: [gfm] },
  );
  const row = table.split('\n')[0] ?? '';
  return row.slice(2, -2);
}

/** A table cell: escaped text (default) or an inline code span (`cell('code')`). */
export function tableCell(value: unknown, kind: 'text' | 'code' = 'text'): string {
  return kind === 'code' ? inlineCode(value, 'cell') : escapeMarkdown(value);
}

/** A fenced code block whose fence is longer than any backtick or tilde run in the snippet. */
export function codeBlock(value: unknown, lang?: string): string {
  const text = asText(value).replace(/\r\n?/g, '\n').replace(/\n$/, '');
  // The info string is data too: keep only a plain language word.
  const safeLang = lang && /^[A-Za-z0-9_+.#-]{1,32}$/.test(lang) ? lang : null;
  return toMarkdown({ type: 'code', lang: safeLang, value: text }, { fence: '`' }).replace(/\n+$/, '');
}

const SAFE_URL = /^(?:https?:\/\/[^\s<>]+|mailto:[^\s<>]+)$/i;

/**
 * A link when the URL is http(s) or mailto; anything else (`javascript:`, `file:`, relative
 * paths) is shown as escaped text, so a hostile reference can never become a live link.
 */
export function safeLink(url: unknown, text?: unknown): string {
  const href = String(present(url)).trim();
  const label = text === undefined || text === null || text === '' ? href : asText(text);
  if (!SAFE_URL.test(href)) return escapeMarkdown(text === undefined || text === null || text === '' ? href : `${label} (${href})`);
  const md = toMarkdown(
    { type: 'paragraph', children: [{ type: 'link', url: href, children: [{ type: 'text', value: oneLine(label) }] }] },
    { extensions: [gfm] },
  );
  return md.replace(/\n+$/, '').replaceAll('|', '\\|');
}

const DATE_PREFIX = /^(\d{4}-\d{2}-\d{2})(?:$|[T ])/;
const HAS_ZONE = /(?:Z|[+-]\d{2}:?\d{2})$/i;

/**
 * `YYYY-MM-DD` of an ISO timestamp in UTC. A timestamp without a zone keeps its own date
 * (never reinterpreted in the machine's local time, so TZ cannot change the document).
 */
export function isoDate(value: unknown): string {
  const text = asText(value).trim();
  const m = DATE_PREFIX.exec(text);
  if (!m) return escapeMarkdown(text);
  if (!HAS_ZONE.test(text)) return m[1]!;
  const t = Date.parse(text);
  return Number.isNaN(t) ? escapeMarkdown(text) : new Date(t).toISOString().slice(0, 10);
}

/** `YYYY-MM-DD HH:MM UTC` of an ISO timestamp; zone-less timestamps are shown as written. */
export function isoDateTime(value: unknown): string {
  const text = asText(value).trim();
  if (!DATE_PREFIX.test(text)) return escapeMarkdown(text);
  if (!HAS_ZONE.test(text)) return escapeMarkdown(text.replace('T', ' ').slice(0, 16));
  const t = Date.parse(text);
  return Number.isNaN(t) ? escapeMarkdown(text) : new Date(t).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

/** `high 2, medium 1` for the non-zero entries of a severity count, or `none`. */
export function severityCounts(value: unknown): string {
  const counts = present(value) as Partial<Record<Severity, number>>;
  const parts = SEVERITIES.filter((s) => (counts[s] ?? 0) > 0).map((s) => `${s} ${counts[s]}`);
  return parts.length ? parts.join(', ') : 'none';
}

/** The filters registered in every compose environment, by the name templates use. */
export const FILTERS: Readonly<Record<string, (...args: never[]) => string>> = Object.freeze({
  md: guard(escapeMarkdown),
  cell: guard(tableCell),
  code: guard(inlineCode),
  codeblock: guard(codeBlock),
  link: guard(safeLink),
  date: guard(isoDate),
  datetime: guard(isoDateTime),
  sevcount: guard(severityCounts),
});
