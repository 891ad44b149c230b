import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { browserArgs, resolveBrowser } from '../../src/render/pdf/browser.ts';

const dir = mkdtempSync(join(tmpdir(), 'auditmark-browser-'));
const fake = (name: string) => {
  const p = join(dir, name);
  writeFileSync(p, '#!/bin/sh\n');
  chmodSync(p, 0o755);
  return p;
};
const explicit = fake('explicit-chrome');
const fromAuditmark = fake('auditmark-chrome');
const fromPuppeteer = fake('puppeteer-chrome');
const system = fake('system-chrome');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('resolveBrowser', () => {
  const env = { AUDITMARK_CHROME: fromAuditmark, PUPPETEER_EXECUTABLE_PATH: fromPuppeteer };
  it('follows --chrome, AUDITMARK_CHROME, PUPPETEER_EXECUTABLE_PATH, system, in that order', async () => {
    expect(await resolveBrowser({ explicitPath: explicit, env, systemPaths: [system] })).toEqual({ path: explicit, source: 'explicit' });
    expect(await resolveBrowser({ env, systemPaths: [system] })).toEqual({ path: fromAuditmark, source: 'AUDITMARK_CHROME' });
    expect(await resolveBrowser({ env: { PUPPETEER_EXECUTABLE_PATH: fromPuppeteer }, systemPaths: [system] })).toEqual({ path: fromPuppeteer, source: 'PUPPETEER_EXECUTABLE_PATH' });
    expect(await resolveBrowser({ env: {}, systemPaths: [join(dir, 'missing'), system] })).toEqual({ path: system, source: 'system' });
  });

  it('never skips a named browser that does not exist', async () => {
    const r = await resolveBrowser({ env: { AUDITMARK_CHROME: join(dir, 'nope') }, systemPaths: [system] });
    expect(r).toMatchObject({ code: 'pdf/no-browser', level: 'error' });
    expect('message' in r && r.message).toContain('AUDITMARK_CHROME');
  });

  it('says exactly what to install when nothing is found', async () => {
    const r = await resolveBrowser({ env: {}, systemPaths: [], skipBundled: true });
    expect(r).toMatchObject({ code: 'pdf/no-browser' });
    expect('fix' in r && r.fix).toMatch(/@sparticuz\/chromium.*apt-get install chromium.*--chrome <path>/s);
  });

  it.runIf(process.platform === 'linux')('falls back to the bundled @sparticuz/chromium', async () => {
    expect(await resolveBrowser({ env: {}, systemPaths: [] })).toMatchObject({ source: '@sparticuz/chromium' });
  });
});

describe('browserArgs', () => {
  it('never opens file access or disables web security', () => {
    const args = browserArgs();
    expect(args).not.toContain('--allow-file-access-from-files');
    expect(args).not.toContain('--disable-web-security');
    expect(args).toEqual(expect.arrayContaining(['--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic']));
    expect(args.includes('--no-sandbox')).toBe(process.getuid?.() === 0);
  });
});
