import { PolicyDenialError } from '@ema/ema-client';
import { describe, expect, it } from 'vitest';
import { explain } from '../../src/pages/messages.js';

describe('human messages', () => {
  it('[AGENT-EMA-NO-FALLBACK] names who denied, in a readable sentence', () => {
    const message = explain(
      new PolicyDenialError('idp', 'invalid_target', 'not granted by organization policy'),
      'Acme Tickets',
    );
    expect(message.kind).toBe('policy-denial');
    expect(message.title).toBe('Access denied by your organization');
    expect(message.detail).toBe(
      'Your organization’s identity provider said: not granted by organization policy (invalid_target)',
    );
  });
});
