import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, LIMIT_RANGES, MAX_TIMEOUT_MS } from '../../src/model/limits.ts';
import { parseLimitFlags, resolveLimits } from '../../src/settings/limits.ts';

describe('parseLimitFlags', () => {
  it('accepts every limit at the ends of its range', () => {
    for (const [name, { min, max }] of Object.entries(LIMIT_RANGES)) {
      expect(parseLimitFlags([`${name}=${min}`, `${name}=${max}`])).toEqual({ limits: { [name]: max }, diagnostics: [] });
    }
  });

  it('refuses values a double cannot hold, timeouts beyond the timer range, and zero where it disables a limit', () => {
    const bad = ['maxInputBytes=99999999999999999999', `printTimeoutMs=${MAX_TIMEOUT_MS + 1}`, 'renderTimeoutMs=9999999999999', 'maxFindings=0', 'maxInputBytes=-1', 'maxInputBytes=1e9', 'nope=3', 'maxInputBytes'];
    const r = parseLimitFlags(bad);
    expect(r.limits).toEqual({});
    expect(r.diagnostics.map((d) => d.code)).toEqual(bad.map(() => 'usage/invalid-limit'));
    expect(r.diagnostics[1]?.message).toMatch(/printTimeoutMs must be an integer from 1 to 2000000000/);
  });

  it('lets maxYamlAliases be 0 (no aliases at all), as the config file does', () => {
    expect(parseLimitFlags(['maxYamlAliases=0']).limits).toEqual({ maxYamlAliases: 0 });
  });
});

describe('resolveLimits', () => {
  it('layers defaults < config < flags', () => {
    expect(resolveLimits({ maxFindings: 5, maxJsonDepth: 7 }, { maxFindings: 9 })).toEqual({ ...DEFAULT_LIMITS, maxFindings: 9, maxJsonDepth: 7 });
  });
});
