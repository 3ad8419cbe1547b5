import { describe, expect, it } from 'vitest';
import { type ExchangePolicyDecision, policyRefusal } from '../../../src/index.js';
import { allow, exchangeParams, exchangeSetup, RAS, refusal } from './exchange-fixture.js';

function decided(overrides: Partial<ExchangePolicyDecision>): ExchangePolicyDecision {
  return { ...allow, grantedScopes: [], ...overrides };
}

const joinSorted = (methods: readonly string[]) => [...methods].sort().join('+');

describe('token exchange step 5: the policy decision', () => {
  it('[IDP-EMA-POLICY-DENY] answers a deny with invalid_target, audited with the explanation', async () => {
    const denied = decided({ decision: 'deny', explanation: ['Denied: rule contractors-deny refuses carol.'] });
    const refused = await refusal(exchangeSetup({ policy: () => denied }), await exchangeParams());
    expect(refused).toMatchObject({
      status: 400,
      body: { error: 'invalid_target', error_description: 'not granted by organization policy' },
      reason: 'policy_deny',
    });
    expect(refused.details).toEqual({
      error: 'invalid_target',
      audience: RAS,
      requestedScopes: ['tickets.read', 'tickets.write'],
      matchedRules: ['engineering-read'],
      droppedScopes: allow.droppedScopes,
      explanation: ['Denied: rule contractors-deny refuses carol.'],
    });
  });

  it('[IDP-EMA-POLICY-NO-SCOPE] answers invalid_scope when policy grants none of the requested scopes', async () => {
    const refused = await refusal(
      exchangeSetup({ policy: () => decided({ decision: 'no_scopes_granted' }) }),
      await exchangeParams(),
    );
    expect(refused).toMatchObject({
      body: {
        error: 'invalid_scope',
        error_description: 'none of the requested scopes is granted by organization policy',
      },
      reason: 'policy_no_scopes_granted',
    });
  });

  it('[IDP-IDJAG-4.3.3-STEP-UP] answers insufficient_user_authentication with max_age when the sign-in is too old', async () => {
    const stale = decided({ decision: 'step_up_required', stepUp: { maxAgeSeconds: 300 } });
    const refused = await refusal(exchangeSetup({ policy: () => stale }), await exchangeParams());
    expect(refused).toMatchObject({
      status: 400,
      body: {
        error: 'insufficient_user_authentication',
        error_description: 'a more recent sign-in is required',
        max_age: 300,
      },
      reason: 'policy_step_up_required',
    });
  });

  it('[IDP-IDJAG-4.3.3-STEP-UP-ACR] hints acr_values in the IdP vocabulary when the sign-in lacks methods, next to max_age', () => {
    const weak = decided({ decision: 'step_up_required', stepUp: { maxAgeSeconds: 60, requiredAmr: ['mfa', 'hwk'] } });
    expect(policyRefusal(weak, joinSorted)?.toResponseBody()).toEqual({
      error: 'insufficient_user_authentication',
      error_description: 'a stronger sign-in is required (authentication methods: mfa hwk)',
      max_age: 60,
      acr_values: 'hwk+mfa',
    });
    // No vocabulary (or no class for these methods), no acr_values: the description still names the methods.
    expect(policyRefusal(weak, () => undefined)?.toResponseBody()).not.toHaveProperty('acr_values');
    expect(policyRefusal(weak)?.toResponseBody()).toEqual({
      error: 'insufficient_user_authentication',
      error_description: 'a stronger sign-in is required (authentication methods: mfa hwk)',
      max_age: 60,
    });
  });

  it('maps allow to no refusal', () => {
    expect(policyRefusal(allow)).toBeUndefined();
  });
});
