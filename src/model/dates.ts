/**
 * Date arithmetic in UTC only. Local-time `Date` methods are never used, so the same inputs
 * give the same report under any TZ.
 */

const DAY_MS = 86_400_000;

/** Start instant (ms) of a `YYYY-MM-DD` date or an RFC 3339 date-time with offset; `undefined` when invalid. */
export function parseInstant(text: string): number | undefined {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (day) {
    const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
    const t = Date.UTC(y, m - 1, d);
    const back = new Date(t);
    // Date.UTC rolls 2026-02-30 over to March; refuse it instead.
    if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) return undefined;
    return t;
  }
  // Only offset-qualified date-times: a local time would depend on the machine's time zone.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(text)) return undefined;
  const t = Date.parse(text);
  return Number.isFinite(t) ? t : undefined;
}

/**
 * Instant from which something with this expiry no longer applies: the end of the day for a
 * plain date (a waiver "expires 2026-03-31" still holds on 31 March), the instant itself for a date-time.
 */
export function expiryInstant(text: string): number | undefined {
  const t = parseInstant(text);
  if (t === undefined) return undefined;
  return /^\d{4}-\d{2}-\d{2}$/.test(text) ? t + DAY_MS : t;
}

/** Whole days from `from` to `to` (rounded down; negative when `to` is earlier). */
export function daysBetween(from: number, to: number): number {
  return Math.floor((to - from) / DAY_MS);
}

/** `YYYY-MM-DD` of an instant, in UTC. */
export function isoDay(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

/** `t` plus `days` days. */
export function addDays(t: number, days: number): number {
  return t + days * DAY_MS;
}

/** Scan start times as tools write them: ISO with offset, or (Bandit) `2025-07-13T11:53:14Z`; naive times are read as UTC. */
export function parseScanTime(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const exact = parseInstant(text);
  if (exact !== undefined) return exact;
  // Some tools write a naive ISO time; reading it as UTC keeps the result TZ-independent.
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text)) {
    const t = Date.parse(text.replace(' ', 'T') + 'Z');
    return Number.isFinite(t) ? t : undefined;
  }
  return undefined;
}

/** `YYYY-MM-DD` of an ISO date or date-time as written (its own calendar day, no time-zone shift), or `undefined`. */
export function dayOfIso(text: string | undefined): string | undefined {
  const m = text ? /^(\d{4}-\d{2}-\d{2})(?:$|[T ])/.exec(text.trim()) : null;
  return m && parseInstant(m[1]!) !== undefined ? m[1] : undefined;
}
