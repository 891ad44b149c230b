import { describe, expect, it } from 'vitest';
import { decodeInput, jsonDepth, parseJson } from '../../src/ingest/json-text.ts';

const limits = { maxJsonDepth: 64 };

describe('parseJson', () => {
  it('locates truncation at the end of the text', () => {
    const r = parseJson('{\n  "results": [\n    {"a": 1},\n', 'x.json', limits);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.diagnostic.code).toBe('input/invalid-json');
      expect(r.diagnostic.line).toBe(4);
    }
  });
  it('refuses deep nesting before parsing', () => {
    const text = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(jsonDepth(text, 64).exceededAt).toBe(64);
    const r = parseJson(text, 'deep.json', limits);
    expect(!r.ok && r.diagnostic.code).toBe('limit/json-depth');
  });
  it('extracts JSON from log noise and says how much was dropped', () => {
    const r = parseJson('[main]\tINFO\tprofile include tests: None\n{\n "results": []\n}\nbye\n', 'b.json', limits);
    expect(r.ok && r.stripped).toEqual({ before: 1, after: 1 });
  });
  it('ignores brackets inside strings when measuring depth', () => {
    expect(jsonDepth('{"a": "[[[[{{{{"}', 2).depth).toBe(1);
  });
});

describe('decodeInput', () => {
  it('accepts a UTF-8 BOM and refuses UTF-16', () => {
    const bom = decodeInput(new Uint8Array([0xef, 0xbb, 0xbf, 0x5b, 0x5d]), 'a');
    expect(bom.ok && bom.text.replace(/^\uFEFF/, '')).toBe('[]');
    const u16 = decodeInput(new Uint8Array([0xff, 0xfe, 0x5b, 0x00]), 'a');
    expect(!u16.ok && u16.diagnostic.code).toBe('input/utf16');
  });
});
