import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/cli/print.ts';
import { diag } from '../../src/model/diagnostics.ts';
import { escapeForTerminal, sanitizeForTerminal, terminalName, terminalSafeJson } from '../../src/model/sanitize-terminal.ts';

/** Every character a terminal or log viewer may act on. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('terminalName', () => {
  it('leaves ordinary names alone', () => {
    expect(terminalName('scans/bandit report.json')).toBe('scans/bandit report.json');
    expect(terminalName('résumé/日本.json')).toBe('résumé/日本.json');
  });

  it('quotes and escapes newlines, every C0/C1 control and bidi control, visibly', () => {
    expect(terminalName('a\nb.json')).toBe('"a\\nb.json"');
    expect(terminalName('in\u001b]0;pwned\u0007\u001b[31m\u202Egnp.json')).toBe('"in\\x1b]0;pwned\\x07\\x1b[31m\\u202egnp.json"');
    expect(terminalName('x\u009b2J\u0085\u2028\u2066\u061c')).toBe('"x\\x9b2J\\x85\\u2028\\u2066\\u061c"');
    expect(terminalName('tab\there\r')).toBe('"tab\\there\\r"');
    for (let c = 0; c < 0x2070; c++) {
      const ch = String.fromCharCode(c);
      if (UNSAFE.test(ch)) expect(terminalName(`a${ch}b`), `U+${c.toString(16)}`).not.toMatch(UNSAFE);
    }
  });

  it('never prints two different names the same (backslash and quote are escaped once quoting starts)', () => {
    const names = ['a\nb', 'a\\nb', '"a\\nb"', 'a\u202eb', 'a\\u202eb', 'ab'];
    expect(new Set(names.map(terminalName)).size).toBe(names.length);
  });
});

describe('sanitizeForTerminal (free text)', () => {
  it('keeps line breaks and tabs as layout, escapes the rest, drops nothing', () => {
    expect(sanitizeForTerminal('a\u001b[31mred\u001b[0m\tb\r\nc\u001b]0;title\u0007d')).toBe('a\\x1b[31mred\\x1b[0m\tb\nc\\x1b]0;title\\x07d');
    expect(sanitizeForTerminal('x\u001b]8;;http://evil')).toBe('x\\x1b]8;;http://evil');
  });
});

describe('escapeForTerminal and terminalSafeJson', () => {
  it('escape everything unsafe unless kept', () => {
    expect(escapeForTerminal('a\nb\tc\u0000')).toBe('a\\nb\\tc\\x00');
    expect(escapeForTerminal('a\nb', '\n')).toBe('a\nb');
  });
  it('keeps the JSON value while escaping what JSON.stringify leaves raw', () => {
    const value = { file: 'a\u202eb\u0085c\u007f\u2028', n: 1 };
    const text = terminalSafeJson(JSON.stringify(value, null, 2));
    expect(text).not.toMatch(/[\u007f-\u009f\u2028\u202e]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('formatDiagnostic', () => {
  it('is always one line, quotes the file name and escapes data in the message', () => {
    const d = diag('input/unreadable', 'error', 'file not found: x\ny \u001b[2J', { file: 'in\nvalid.json: valid scan\u202e', fix: 'check the path' });
    const line = formatDiagnostic(d);
    expect(line.split('\n')).toHaveLength(1);
    expect(line).not.toMatch(UNSAFE);
    expect(line).toBe('"in\\nvalid.json: valid scan\\u202e": error input/unreadable: file not found: x\\ny \\x1b[2J (fix: check the path)');
  });
});
