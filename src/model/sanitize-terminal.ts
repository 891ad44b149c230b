/**
 * Neutralise untrusted text before it reaches a terminal or a CI log. Pure.
 *
 * Scanner messages and paths come from scanned code: an ESC sequence could recolour, hide or
 * rewrite what an operator sees (or set the window title / a hyperlink via OSC), a bare CR can
 * overwrite a printed line, and bidi overrides reorder what is shown ("Trojan Source").
 */

// CSI (7-bit `ESC [` and 8-bit U+009B) with parameters and a final byte.
const CSI = /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]?/g;
// OSC, DCS, SOS, PM, APC strings up to their terminator (BEL or ST), or to the end when unterminated.
const STRING_SEQ = /(?:\u001b[\]PX^_]|[\u0090\u0098\u009d-\u009f])[\s\S]*?(?:\u0007|\u001b\\|\u009c|$)/g;
// Any other two-character ESC sequence (`ESC c` resets the terminal, `ESC 7` saves the cursor…).
const ESC_PAIR = /\u001b[\s\S]?/g;
// C0 controls except TAB and LF, DEL, C1 controls, bidi embeddings/overrides/isolates and marks.
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Strip C0/C1 controls (keeping `\n` and `\t`), ESC/CSI/OSC sequences and bidi controls.
 * CRLF becomes LF first so Windows line ends survive as line ends.
 */
export function sanitizeForTerminal(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(STRING_SEQ, '').replace(CSI, '').replace(ESC_PAIR, '').replace(CONTROLS, '');
}
