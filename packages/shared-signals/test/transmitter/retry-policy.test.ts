import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, retryDelayMs } from '../../src/index.js';

describe('retryDelayMs', () => {
  it('[SSF-DELIVERY-BACKOFF] doubles from the first delay and never exceeds the bound', () => {
    const top = () => 0.999_999;
    expect([1, 2, 3, 4, 5, 6, 20, 1000].map((failures) => retryDelayMs(failures, DEFAULT_RETRY_POLICY, top))).toEqual([
      250, 500, 1000, 2000, 4000, 5000, 5000, 5000,
    ]);
  });

  it('[SSF-DELIVERY-BACKOFF] jitters up to a fifth below, never above', () => {
    expect(retryDelayMs(3, DEFAULT_RETRY_POLICY, () => 0)).toBe(800);
    for (let failures = 1; failures < 40; failures += 1) {
      const delay = retryDelayMs(failures, DEFAULT_RETRY_POLICY);
      expect(delay).toBeLessThanOrEqual(DEFAULT_RETRY_POLICY.maxDelayMs);
      expect(delay).toBeGreaterThan(0);
    }
  });
});
