import { AccessRevokedError, PolicyDenialError, SubjectTokenUnavailableError } from '@ema/ema-client';
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

  it('[AGENT-ACCESS-REVOKED-MESSAGE] says the organization revoked access, apart from an expired sign-in', () => {
    const message = explain(
      new AccessRevokedError('mcp', 'The access token was revoked'),
      'Acme Tickets',
      'list_tickets',
    );
    expect(message).toMatchObject({
      kind: 'access-revoked',
      title: 'Access revoked by your organization',
      offerSignIn: true,
    });
    expect(message.signInAgain).toBeUndefined();
    expect(message.text).toContain('will not retry');
    expect(explain(new SubjectTokenUnavailableError('expired'), 'Acme Tickets').kind).toBe('session-expired');
  });
});
