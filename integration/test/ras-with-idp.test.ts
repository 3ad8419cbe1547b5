/**
 * The RAS redeeming ID-JAGs that the real IdP minted by token exchange, over HTTP: exactly once, and carrying the
 * IdP's policy decision through.
 */
import { decodeUnverified } from '@ema/jwt';
import { GRANT_TYPE_JWT_BEARER } from '@ema/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClientCredentials, redeemIdJag, requestIdJag, type Stack, signIn, startStack } from '../src/index.js';

const AGENT_AT_IDP: ClientCredentials = { clientId: 'agent-host', clientSecret: 'agent-host-dev-secret' };
const AGENT_AT_RAS: ClientCredentials = { clientId: 'acme-agent-host', clientSecret: 'acme-agent-host-dev-secret' };

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

async function idJagFor(username: string, scope: string): Promise<string> {
  const idToken = await signIn({
    idpIssuer: stack.idpIssuer,
    client: AGENT_AT_IDP,
    redirectUri: `${stack.agentUrl}/auth/callback`,
    username,
    password: `${username}-password`,
  });
  return requestIdJag({
    idpIssuer: stack.idpIssuer,
    client: AGENT_AT_IDP,
    idToken,
    rasIssuer: stack.rasIssuer,
    resource: stack.mcpResource,
    scope,
  });
}

describe('the RAS with the IdP of this repository', () => {
  it('[RAS-INTEGRATION-IDP-ID-JAG] redeems an ID-JAG the IdP minted by token exchange, exactly once', async () => {
    // A password sign-in: the demo policy grants alice reading (writing would need a passkey step-up).
    const idJag = await idJagFor('alice', 'tickets.read');
    const token = await redeemIdJag({ rasIssuer: stack.rasIssuer, client: AGENT_AT_RAS, idJag });
    expect(token.scope).toBe('tickets.read');
    expect(decodeUnverified(token.accessToken)?.claims).toMatchObject({
      iss: stack.rasIssuer,
      aud: stack.mcpResource,
      client_id: 'acme-agent-host',
      email: 'alice@acme.example',
      id_jag_iss: stack.idpIssuer,
      id_jag_jti: decodeUnverified(idJag)?.claims.jti,
      acr: decodeUnverified(idJag)?.claims.acr,
      amr: ['pwd'],
    });

    const replay = await fetch(`${stack.rasIssuer}/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${AGENT_AT_RAS.clientId}:${AGENT_AT_RAS.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: GRANT_TYPE_JWT_BEARER, assertion: idJag }),
    });
    expect(replay.status).toBe(400);
    expect(await replay.json()).toEqual({ error: 'invalid_grant' });
  });

  it('[RAS-INTEGRATION-IDP-ID-JAG] carries the IdP policy through: sales gets tickets.read only', async () => {
    const idJag = await idJagFor('bob', 'tickets.read tickets.write');
    const token = await redeemIdJag({ rasIssuer: stack.rasIssuer, client: AGENT_AT_RAS, idJag });
    expect(token.scope).toBe('tickets.read');
  });
});
