import { AGENT_HOST_AT_IDP } from '../client/demo-credentials.js';
import { tokenRequestHeaders } from '../client/token-requests.js';
import type { BenchContext } from './context.js';
import { measureAutocannon } from './measurement.js';
import type { Measurement } from './records.js';

/**
 * Scenario 5, the bound: the same request as the token exchange (same headers, same body size) against the bare
 * ES256 verify + sign endpoint. Every other scenario's throughput is divided by this one's at the same concurrency.
 */
export function measureBound(context: BenchContext, concurrency: number): Promise<Measurement> {
  const { bound } = context.stack;
  return measureAutocannon(context, 'bound', concurrency, [bound.process], {
    url: `${bound.url}/token`,
    method: 'POST',
    headers: tokenRequestHeaders(AGENT_HOST_AT_IDP),
    body: context.inputs.boundExchangeBody,
  });
}
