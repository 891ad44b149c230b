/**
 * The running header and footer stamped on every page (classification, title, document id,
 * "Page N of M"), and page numbers stamped into the table of contents. Drawn in embedded Noto
 * Sans and marked as artifacts, so in a tagged PDF assistive technology skips them.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { beginMarkedContent, endMarkedContent, fontkit, rgb, type Color, type PDFDocument, type PDFFont, type PDFPage } from './commonjs.ts';
import type { ReportMetadata } from '../../model/report.ts';
import { shownInlineText } from '../../compose/shown-text.ts';

const MM = 72 / 25.4;

const require = createRequire(import.meta.url);

/**
 * Font files for the running header/footer, in fallback order. They are the Noto Sans WOFF files
 * of `@fontsource/noto-sans` (SIL Open Font License 1.1, already used for the body), which
 * @pdf-lib/fontkit (MIT) reads directly; WOFF, not WOFF2, because fontkit's subsetter throws
 * `RangeError: Index out of range` on the WOFF2 files (tried). Fontsource splits the font by
 * script, so no single file has both `a` and `ł`: each character is drawn with the first file
 * that has it. Files a stamp does not need are never embedded, so an ASCII-only document carries
 * only the `latin` subset.
 */
const STAMP_SUBSETS = ['latin', 'latin-ext', 'vietnamese', 'greek', 'cyrillic', 'cyrillic-ext'] as const;

/**
 * One fontsource file: its bytes and the code points it has a glyph for, read on first use so a
 * stamp in plain Latin never parses the other files.
 */
class StampFace {
  #bytes?: Uint8Array;
  #chars?: ReadonlySet<number>;
  constructor(readonly subset: string, readonly weight: 400 | 700) {}
  get bytes(): Uint8Array {
    this.#bytes ??= readFileSync(require.resolve(`@fontsource/noto-sans/files/noto-sans-${this.subset}-${this.weight}-normal.woff`));
    return this.#bytes;
  }
  get chars(): ReadonlySet<number> {
    this.#chars ??= new Set(fontkit.create(this.bytes).characterSet);
    return this.#chars;
  }
}

const faceCache = new Map<number, StampFace[]>();

function fontFaces(weight: 400 | 700): StampFace[] {
  let faces = faceCache.get(weight);
  if (!faces) {
    faces = STAMP_SUBSETS.map((subset) => new StampFace(subset, weight));
    faceCache.set(weight, faces);
  }
  return faces;
}

/** A piece of stamp text drawn with one embedded font. */
interface TextRun {
  font: PDFFont;
  text: string;
}

/** Draws stamp text in Noto Sans, switching font file per character as needed. */
interface StampFont {
  width(text: string, size: number): number;
  draw(page: PDFPage, text: string, at: { x: number; y: number; size: number; color: Color }): void;
}

/** Index of the face that draws `ch`; a character no face has becomes a visible `?`. */
function pick(ch: string, faces: readonly StampFace[]): { face: number; ch: string } {
  const face = faces.findIndex((f) => f.chars.has(ch.codePointAt(0)!));
  return face < 0 ? { face: 0, ch: '?' } : { face, ch };
}

/** Line breaks, tabs and controls would draw as missing glyphs (or reorder the line) in a one-line stamp. */
const oneLine = (value: string): string => shownInlineText(value);

/**
 * Embed the faces `texts` need (subset to the glyphs drawn). pdf-lib names an embedded font
 * `<name>-<random digits>` unless given a name; the name here carries the PDF subset tag
 * (ISO 32000-1 §9.6.4: six capital letters and `+`) derived from the face and the characters it
 * may draw, so the bytes depend only on the stamped text.
 */
async function stampFont(doc: PDFDocument, weight: 400 | 700, texts: readonly string[]): Promise<StampFont> {
  const faces = fontFaces(weight);
  const used = faces.map(() => new Set<number>());
  for (const text of texts) for (const c of oneLine(text)) {
    const { face, ch } = pick(c, faces);
    used[face]!.add(ch.codePointAt(0)!);
  }
  used[0]!.add(0x3f);
  const fonts: Array<PDFFont | undefined> = [];
  for (const [i, face] of faces.entries()) {
    if (used[i]!.size === 0) continue;
    const digest = createHash('sha256').update(`${face.subset}-${face.weight}:${[...used[i]!].sort((a, b) => a - b).join(',')}`).digest();
    const tag = Array.from(digest.subarray(0, 6), (b) => String.fromCharCode(65 + (b % 26))).join('');
    fonts[i] = await doc.embedFont(face.bytes, { subset: true, customName: `${tag}+NotoSans-${weight === 700 ? 'Bold' : 'Regular'}` });
  }
  // Every page stamps the same title, classification and document id, and fitting a long title
  // measures it once per character; fontkit lays text out (GSUB/GPOS) on every width and every
  // encoding. So runs, widths and encodings are computed once per distinct text.
  for (const font of fonts) if (font) encodeOnce(font);
  const runCache = new Map<string, TextRun[]>();
  const runs = (text: string): TextRun[] => {
    let out = runCache.get(text);
    if (out) return out;
    out = [];
    let last = -1;
    for (const c of oneLine(text)) {
      const { face, ch } = pick(c, faces);
      if (face === last) out[out.length - 1]!.text += ch;
      else out.push({ font: fonts[face]!, text: ch });
      last = face;
    }
    runCache.set(text, out);
    return out;
  };
  const widths = new Map<string, number>();
  const runWidth = (r: TextRun, size: number): number => {
    const key = `${fonts.indexOf(r.font)}\u0000${size}\u0000${r.text}`;
    let w = widths.get(key);
    if (w === undefined) widths.set(key, (w = r.font.widthOfTextAtSize(r.text, size)));
    return w;
  };
  return {
    width: (text, size) => runs(text).reduce((n, r) => n + runWidth(r, size), 0),
    draw(page, text, { x, y, size, color }) {
      let dx = x;
      for (const r of runs(text)) {
        page.drawText(r.text, { x: dx, y, size, font: r.font, color });
        dx += runWidth(r, size);
      }
    },
  };
}

/**
 * Remember `font.encodeText` per text: pdf-lib lays the text out again on every draw. The
 * glyphs of a text join the font's subset on its first encoding, so a remembered encoding
 * draws the same glyphs.
 */
function encodeOnce(font: PDFFont): void {
  const encode = font.encodeText.bind(font);
  const known = new Map<string, ReturnType<PDFFont['encodeText']>>();
  font.encodeText = (text: string) => {
    let hex = known.get(text);
    if (!hex) known.set(text, (hex = encode(text)));
    return hex;
  };
}

function fit(value: string, font: StampFont, size: number, width: number): string {
  if (font.width(value, size) <= width) return value;
  const chars = Array.from(value);
  while (chars.length > 1 && font.width(chars.join('') + '...', size) > width) chars.pop();
  return chars.join('') + '...';
}

/** A page number to stamp at the end of a table-of-contents line. */
export interface TocNumber {
  /** Index of the page the line is on. */
  page: number;
  /** Right edge and baseline of the slot, in PDF points. */
  right: number;
  baseline: number;
  /** Height of the line box, to size the number like the line's text. */
  height: number;
  label: string;
}

/** Draw `draw` as an artifact: in a tagged PDF, not part of the content tree (headers, footers, page numbers). */
function asArtifact(page: PDFPage, draw: () => void): void {
  page.pushOperators(beginMarkedContent('Artifact'));
  draw();
  page.pushOperators(endMarkedContent());
}

/**
 * Running header (classification, title) and footer (document id, Page N of M) on every page,
 * and the page numbers of the table of contents.
 */
export async function stamp(doc: PDFDocument, metadata: ReportMetadata, toc: readonly TocNumber[] = []): Promise<void> {
  doc.registerFontkit(fontkit);
  const pages = doc.getPages();
  const total = pages.length;
  const size = 8;
  const grey = rgb(0.25, 0.27, 0.3);
  const classification = oneLine(metadata.classification.toUpperCase());
  const title = oneLine(metadata.title);
  const docId = oneLine(`Document ${metadata.documentId}`);
  const labels = pages.map((_, i) => `Page ${i + 1} of ${total}`);
  const bold = await stampFont(doc, 700, [classification, '...']);
  const regular = await stampFont(doc, 400, [title, docId, ...labels, ...toc.map((t) => t.label), '...']);
  pages.forEach((page, i) => {
    const { width, height } = page.getSize();
    const left = 15 * MM;
    const right = width - 15 * MM;
    const top = height - 11 * MM;
    const bottom = 9 * MM;
    asArtifact(page, () => {
      const cls = fit(classification, bold, size, (right - left) / 3);
      const clsWidth = bold.width(cls, size);
      bold.draw(page, cls, { x: left, y: top, size, color: grey });
      const t = fit(title, regular, size, right - left - clsWidth - 20);
      regular.draw(page, t, { x: right - regular.width(t, size), y: top, size, color: grey });
      page.drawLine({ start: { x: left, y: top - 3 }, end: { x: right, y: top - 3 }, thickness: 0.4, color: grey });
      const pageLabel = labels[i]!;
      page.drawLine({ start: { x: left, y: bottom + 9 }, end: { x: right, y: bottom + 9 }, thickness: 0.4, color: grey });
      regular.draw(page, fit(docId, regular, size, (right - left) / 2), { x: left, y: bottom, size, color: grey });
      bold.draw(page, cls, { x: (left + right) / 2 - clsWidth / 2, y: bottom, size, color: grey });
      regular.draw(page, pageLabel, { x: right - regular.width(pageLabel, size), y: bottom, size, color: grey });
    });
  });
  for (const n of toc) {
    const page = pages[n.page];
    if (!page) continue;
    // The line box is about 1.45 × the font size (the stylesheet's line height).
    const fontSize = Math.max(6, Math.min(12, n.height / 1.45));
    asArtifact(page, () => regular.draw(page, n.label, { x: n.right - regular.width(n.label, fontSize), y: n.baseline, size: fontSize, color: rgb(0.1, 0.12, 0.14) }));
  }
}
