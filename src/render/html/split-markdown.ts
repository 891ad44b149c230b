/**
 * Cut a large Markdown document into independently parsable pieces. micromark keeps every
 * token of the whole document in memory while it parses; a 5,000-finding document (10,000 table
 * rows) peaked at 1.3 GB RSS parsed in one go. Pieces are parsed one after another and their
 * trees joined, which gives the same tree at a fraction of the memory.
 */

/** One piece of the document. */
export interface MarkdownPiece {
  text: string;
  /** The piece is the continuation of a table cut in the previous piece (header rows repeated). */
  continuesTable: boolean;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const HEADING_CUT = /^#{2,3}[ \t]/;
const DELIMITER_ROW = /^\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;

/**
 * True when the document relies on something that links distant parts of it (link reference
 * definitions, footnotes): such a document is parsed in one piece.
 */
function needsWholeParse(markdown: string): boolean {
  return /^ {0,3}\[[^\]\n]+\]:/m.test(markdown) || /\[\^[^\]\n]+\]/.test(markdown);
}

/**
 * Split at h2/h3 headings at column 0 outside fenced code (an ATX heading always ends the
 * previous block), and cut tables longer than `maxTableRows` into pieces that repeat the
 * header and delimiter rows.
 */
export function splitMarkdown(markdown: string, maxTableRows = 500): MarkdownPiece[] {
  if (needsWholeParse(markdown)) return [{ text: markdown, continuesTable: false }];
  const lines = markdown.split('\n');
  const pieces: MarkdownPiece[] = [];
  let current: string[] = [];
  let continues = false;
  const flush = (): void => {
    if (current.length > 0) pieces.push({ text: current.join('\n') + '\n', continuesTable: continues });
    current = [];
    continues = false;
  };
  let fence: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const f = FENCE.exec(line);
    if (fence) {
      if (f && f[1]!.charAt(0) === fence.charAt(0) && f[1]!.length >= fence.length && line.trim() === f[1]) fence = undefined;
      current.push(line);
      continue;
    }
    if (f) {
      fence = f[1];
      current.push(line);
      continue;
    }
    if (HEADING_CUT.test(line)) flush();
    const next = lines[i + 1];
    const previous = current[current.length - 1];
    const startsTable = line.startsWith('|') && next !== undefined && DELIMITER_ROW.test(next) && (previous === undefined || previous.trim() === '');
    if (!startsTable) {
      current.push(line);
      continue;
    }
    // A table: copy header + delimiter, then rows; repeat the header in each continuation piece.
    const header = [line, next!];
    current.push(...header);
    i += 1;
    let rows = 0;
    while (i + 1 < lines.length && lines[i + 1]!.startsWith('|')) {
      if (rows === maxTableRows) {
        flush();
        continues = true;
        current.push(...header);
        rows = 0;
      }
      current.push(lines[i + 1]!);
      i++;
      rows++;
    }
  }
  flush();
  return pieces;
}
