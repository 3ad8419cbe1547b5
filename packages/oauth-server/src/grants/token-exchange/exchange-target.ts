import type { RegisteredClient } from '../../client-auth/registered-client.js';
import { InvalidTargetError } from '../../errors/token-errors.js';
import { ExchangeRefusal } from './exchange-refusal.js';
import type { TokenExchangeParameters } from './token-exchange-parameters.js';

/** A protected resource the IdP knows (EMA §7.6.1), as the exchange sees it. */
export interface ExchangeResource {
  /** The resource identifier (RFC 8707 / RFC 9728 `resource`); the ID-JAG's `resource` claim. */
  readonly resource: string;
  /** The issuer of the RAS that serves it: the only `audience` accepted with it, and the ID-JAG's `aud`. */
  readonly audience: string;
}

/** What step 4 needs from the IdP (see `TokenExchangeGrantOptions`). */
export interface ExchangeTargetLookups<C extends RegisteredClient, R extends ExchangeResource> {
  readonly findResource: (resource: string) => R | undefined;
  readonly clientIdAtAudience: (client: C, audience: string) => string | undefined;
}

/** The target of an exchange: the resource, and the client's id at the RAS that serves it. */
export interface ExchangeTarget<R extends ExchangeResource> {
  readonly resource: R;
  readonly rasClientId: string;
}

/**
 * Step 4 (EMA §7.6.1): the `resource` must be one the IdP knows and `audience` exactly the issuer of the RAS that
 * serves it; the client must have an id at that RAS (else there is nothing to put in `client_id`): `invalid_target`.
 */
export function resolveExchangeTarget<C extends RegisteredClient, R extends ExchangeResource>(
  lookups: ExchangeTargetLookups<C, R>,
  parameters: TokenExchangeParameters,
  client: C,
): ExchangeTarget<R> {
  const resource = lookups.findResource(parameters.resource);
  if (resource === undefined) {
    throw new ExchangeRefusal(new InvalidTargetError('unknown resource'), 'unknown_resource', {
      audience: parameters.audience,
    });
  }
  if (resource.audience !== parameters.audience) {
    throw new ExchangeRefusal(
      new InvalidTargetError('the audience is not the authorization server of this resource'),
      'audience_resource_mismatch',
      { audience: parameters.audience, expectedAudience: resource.audience },
    );
  }
  const rasClientId = lookups.clientIdAtAudience(client, resource.audience);
  if (rasClientId === undefined) {
    throw new ExchangeRefusal(
      new InvalidTargetError('this client is not registered at that authorization server'),
      'client_not_registered_at_audience',
      { audience: parameters.audience },
    );
  }
  return { resource, rasClientId };
}
