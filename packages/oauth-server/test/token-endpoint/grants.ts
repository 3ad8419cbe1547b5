import { type GrantModule, InvalidGrantError, markAudited } from '../../src/index.js';
import type { TestClient } from '../fixtures.js';

/** A grant that echoes what the pipeline handed it (client and method as the token), to observe the dispatch. */
export const echoGrant: GrantModule<TestClient> = {
  grantType: 'urn:test:echo',
  async handler(ctx) {
    return {
      access_token: `${ctx.client.clientId} ${ctx.clientAuthMethod}`,
      token_type: 'Bearer',
      expires_in: 60,
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

/** A grant that audits its own refusal (with the precise reason) and says so. */
export const auditingGrant: GrantModule<TestClient> = {
  grantType: 'urn:test:audited',
  async handler() {
    throw markAudited(new InvalidGrantError());
  },
};

export const crashingGrant: GrantModule<TestClient> = {
  grantType: 'urn:test:crash',
  async handler() {
    throw new TypeError("Cannot read properties of undefined (reading 'secret internals')");
  },
};

export const grants = [echoGrant, refusingGrant, auditingGrant, crashingGrant];
