import { AGENT_HOST_AT_IDP } from '../client/demo-credentials.js';
import { tokenRequestHeaders } from '../client/token-requests.js';
import type { BenchContext } from './context.js';
import { measureAutocannon } from './measurement.js';
import type { Measurement } from './records.js';

/**
 * Scenario 1: RFC 8693 token exchange at the IdP, a valid ID token in and an ID-JAG out (client authentication,
 * subject token validation, policy, minting, audit: whatever the IdP does per request).
 */
export function measureTokenExchange(context: BenchContext, concurrency: number): Promise<Measurement> {
  return measureAutocannon(context, 'token-exchange', concurrency, context.stack.servers.idp, {
    url: context.inputs.endpoints.idpTokenEndpoint,
    method: 'POST',
    headers: tokenRequestHeaders(AGENT_HOST_AT_IDP),
    body: context.inputs.exchangeBody,
  });
}
