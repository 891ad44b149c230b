import type { Reader } from './reader.ts';
import { READERS } from './readers.ts';

/** The outcome of format detection. */
export interface Detection {
  reader?: Reader;
  /** Every reader with a non-zero score, best first (for "did you mean" messages). */
  candidates: Array<{ id: string; score: number }>;
}

/**
 * Pick the reader for a parsed value by asking every registered reader how sure it is.
 * `null` has no shape, so only a file-name hint (`gitleaks-report.json`) can choose for it.
 */
export function detectFormat(value: unknown, file: string, readers: readonly Reader[] = READERS): Detection {
  if (value === null) {
    const base = file.split(/[\\/]/).pop() ?? file;
    const reader = readers.find((r) => r.nullFileHint?.test(base));
    return { reader, candidates: reader ? [{ id: reader.id, score: 0.5 }] : [] };
  }
  const candidates = readers
    .map((r, i) => ({ r, i, score: safeScore(r, value) }))
    .filter((c) => c.score > 0)
    .sort((a, b) => b.score - a.score || a.i - b.i);
  return { reader: candidates[0]?.r, candidates: candidates.map((c) => ({ id: c.r.id, score: c.score })) };
}

function safeScore(r: Reader, value: unknown): number {
  try {
    return r.detect(value);
  } catch {
    return 0;
  }
}

/** Look a reader up by its `--format` id. */
export function readerById(id: string, readers: readonly Reader[] = READERS): Reader | undefined {
  return readers.find((r) => r.id === id);
}
