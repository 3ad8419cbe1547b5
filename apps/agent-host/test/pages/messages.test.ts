import {
  AccessRevokedError,
  InsufficientUserAuthenticationError,
  PolicyDenialError,
  SubjectTokenUnavailableError,
} from '@ema/ema-client';
import { describe, expect, it } from 'vitest';
import { explain, explainStepUp } from '../../src/pages/messages.js';

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

  it('[AGENT-STEP-UP-RETRY] says plainly when a step-up ended without success, and where to add a passkey', () => {
    const account = 'https://idp.example/account';
    const unmet = explainStepUp('unmet', 'Acme Tickets', 'create_ticket', account);
    expect(unmet).toMatchObject({ kind: 'step-up', title: 'A stronger sign-in is required', link: { href: account } });
    expect(unmet.text).toContain('Nothing was done.');
    expect(explainStepUp('cancelled', 'Acme Tickets', undefined, account).title).toBe('Stronger sign-in cancelled');
    expect(explainStepUp('other-user', 'Acme Tickets', undefined, account).signInAgain).toBe(true);
    // After the one retry, a further request for a stronger sign-in is a message, never another step-up.
    const still = explain(
      new InsufficientUserAuthenticationError('mcp', 'create_ticket requires a stronger sign-in'),
      'Acme Tickets',
      'create_ticket',
    );
    expect(still).toMatchObject({ kind: 'step-up', title: 'A stronger sign-in is still needed' });
    expect(still.signInAgain).toBeUndefined();
  });
});
