import { InsufficientUserAuthenticationError, policyRefusal } from '@ema/oauth-server';
import { acrValuesFor, evaluatePolicy, type PolicyEvaluation } from '@ema/policy';
import { ACR_MULTI_FACTOR, AMR_PASSWORD, parseScope } from '@ema/protocol';
import { type IdpContext, nowSeconds } from '../idp-context.js';
import { ACR_CLASSES } from '../oidc/authentication-context.js';
import { invalidAdminInput } from './admin-errors.js';
import type { WhatIfInput } from './admin-schemas.js';

/** The answer to "what if": the policy evaluation, plus what the exchange itself would check around it. */
export interface WhatIfResult extends PolicyEvaluation {
  /** The OAuth error the exchange would answer with, or null when it would mint an ID-JAG. */
  readonly wouldRespondWith: string | null;
  /** The `client_id` the ID-JAG would carry (the client's id at the RAS), when registered there. */
  readonly rasClientId: string | null;
  /**
   * On a step-up: what the exchange would ask the client to sign in with (RFC 9470 §3 `acr_values`, `max_age`),
   * which the agent host takes to the IdP's authorization endpoint.
   */
  readonly stepUpRequest?: { readonly acrValues?: string; readonly maxAge?: number };
}

/**
 * Evaluates policy for a hypothetical token exchange (user, client, resource, scopes, sign-in age and methods)
 * exactly as the exchange would, minting and recording nothing.
 */
export function whatIf(context: IdpContext, input: WhatIfInput): WhatIfResult {
  const { storage } = context;
  const found = storage.findUserByUsername(input.username);
  if (found === undefined) throw invalidAdminInput(`username: unknown user ${input.username}`);
  const client = storage.findClient(input.clientId);
  if (client === undefined) throw invalidAdminInput(`clientId: unknown client ${input.clientId}`);
  const resource = storage.findResourceByIdentifier(input.resource);
  if (resource === undefined) throw invalidAdminInput(`resource: unknown resource ${input.resource}`);
  const now = nowSeconds(context);
  const evaluation = evaluatePolicy({
    user: found,
    clientId: client.clientId,
    resource,
    requestedScopes: input.scope === undefined ? undefined : parseScope(input.scope),
    authentication: { authTime: now - (input.authAgeSeconds ?? 0), amr: input.amr ?? [AMR_PASSWORD] },
    rules: storage.policyRulesForResource(resource.id),
    now,
  });
  const rasClientId = client.rasClientIds[resource.audience] ?? null;
  const explanation = [...evaluation.explanation];
  const refusal = policyRefusal(evaluation, (methods) => acrValuesFor(methods, ACR_CLASSES));
  let wouldRespondWith: string | null = refusal?.error ?? null;
  const stepUpRequest =
    refusal instanceof InsufficientUserAuthenticationError
      ? {
          ...(refusal.acrValues === undefined ? {} : { acrValues: refusal.acrValues }),
          ...(refusal.maxAge === undefined ? {} : { maxAge: refusal.maxAge }),
        }
      : undefined;
  if (stepUpRequest !== undefined) {
    const asks = [
      ...(stepUpRequest.acrValues === undefined ? [] : [`acr_values=${stepUpRequest.acrValues}`]),
      ...(stepUpRequest.maxAge === undefined ? [] : [`max_age=${stepUpRequest.maxAge}`]),
    ];
    explanation.push(
      `The client would be told insufficient_user_authentication (${asks.join(', ')}) and send the user back to sign in with that; the IdP asks only for what is missing (a passkey for ${ACR_MULTI_FACTOR}).`,
    );
  }
  if (found.disabled) {
    wouldRespondWith = 'invalid_grant';
    explanation.push('The user is disabled: the subject token would be refused (invalid_grant).');
  } else if (!client.mayRequestIdJag) {
    wouldRespondWith = 'unauthorized_client';
    explanation.push('The client is not allowed to request ID-JAGs (unauthorized_client).');
  } else if (rasClientId === null) {
    wouldRespondWith = 'invalid_target';
    explanation.push(`The client has no client id at ${resource.audience} (invalid_target).`);
  }
  return {
    ...evaluation,
    explanation,
    wouldRespondWith,
    rasClientId,
    ...(stepUpRequest === undefined ? {} : { stepUpRequest }),
  };
}
