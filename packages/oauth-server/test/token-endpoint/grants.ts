import { type GrantModule, InvalidGrantError } from '../../src/index.js';
import type { TestClient } from '../fixtures.js';

/** A grant that echoes what the pipeline handed it, to observe the dispatch. */
export const echoGrant: GrantModule<TestClient> = {
  grantType: 'urn:test:echo',
  async handler(ctx) {
    return {
      access_token: 'at',
      token_type: 'Bearer',
      expires_in: 60,
      client: ctx.client.clientId,
      method: ctx.clientAuthMethod,
      scope: ctx.params.get('scope') ?? '',
    };
  },
};

export const refusingGrant: GrantModule<TestClient> = {
  grantType: 'urn:test:refuse',
  async handler() {
    throw new InvalidGrantError('assertion expired');
  },
};

export const crashingGrant: GrantModule<TestClient> = {
  grantType: 'urn:test:crash',
  async handler() {
    throw new TypeError("Cannot read properties of undefined (reading 'secret internals')");
  },
};

export const grants = [echoGrant, refusingGrant, crashingGrant];
