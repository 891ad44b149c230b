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

// What makes a name need quoting: controls (C0, DEL, C1), bidi and zero-width format characters,
// line/paragraph separators, whitespace other than a plain space, quotes and backslashes.
const NEEDS_QUOTING = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff"'\\\s]/u;
const ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\\': '\\\\', '"': '\\"' };

/**
 * Quote an untrusted name (a file name from a bundle, a path from scan data) for one line of
 * terminal or CI-log output. A plain name is returned as it is; anything else becomes a
 * double-quoted string in which newlines, tabs, every C0/C1 control, DEL, bidi and zero-width
 * characters are shown as escapes (`\n`, `\t`, `\x1b`, `\u202e`), so a name can never start a new
 * line, inject a workflow command (`::error …`) or reorder what is shown. Pure and total: the
 * result is always a single line of printable characters, and distinct names stay distinct.
 */
export function quoteForTerminal(name: string): string {
  if (name.length > 0 && !NEEDS_QUOTING.test(name)) return name;
  let out = '"';
  for (const ch of name) {
    const cp = ch.codePointAt(0)!;
    if (ESCAPES[ch] !== undefined) out += ESCAPES[ch];
    else if (cp === 0x20) out += ' ';
    else if (NEEDS_QUOTING.test(ch)) out += cp <= 0xff ? `\\x${cp.toString(16).padStart(2, '0')}` : `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + '"';
}
