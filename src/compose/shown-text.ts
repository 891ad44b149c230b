/**
 * How untrusted text is shown in documents: characters that act on the reader's terminal or
 * reorder what is displayed are made visible and inert, so `cat report.md` cannot run an escape
 * sequence (OSC 52 writes the clipboard) and `invoice\u202Etxt.py` cannot display as
 * `invoiceyp.txt`. report.json keeps the original text.
 *
 * Made visible as `‹U+XXXX›`: C0 controls (tab and line feed kept where the context allows them),
 * DEL, C1 controls, the bidirectional embeddings, overrides, isolates and marks (the "Trojan
 * Source" set, U+061C, U+200E/F, U+202A–202E, U+2066–2069), the line and paragraph separators,
 * and the invisible U+200B, U+2060 and U+FEFF. Zero-width joiners (U+200C/D) stay: scripts and
 * emoji need them, and they cannot reorder text.
 */

// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060\u2066-\u2069\ufeff]/g;
// eslint-disable-next-line no-control-regex
const INVISIBLE_OR_TAB_LF = /[\u0000-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060\u2066-\u2069\ufeff]/g;

const visible = (ch: string): string => `‹U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}›`;

/** Text for a block (code block): tabs and line breaks kept (CRLF/CR → LF), every other control made visible. */
export function shownBlockText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(INVISIBLE, visible);
}

/**
 * Text for one line (a cell, a heading, a sentence): line breaks and tabs become spaces, so a
 * value can never start a new block, and every other control is made visible.
 */
export function shownInlineText(text: string): string {
  return text.replace(/\r\n?|\n|\t/g, ' ').replace(INVISIBLE_OR_TAB_LF, visible);
}

/** True when `text` has a character {@link shownInlineText} would change (besides spacing). */
export function hasInvisible(text: string): boolean {
  INVISIBLE.lastIndex = 0;
  return INVISIBLE.test(text);
}
