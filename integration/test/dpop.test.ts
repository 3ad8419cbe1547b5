/**
 * DPoP (RFC 9449) across the four apps, in-process: Alice's connection is sender-constrained end to end (a proof at
 * the exchange binds the ID-JAG, at the redemption the access token, on every MCP request the call), with server
 * nonces everywhere and DPoP required for the agent host; an access token lifted from the agent host's store and
 * replayed without its key is refused by the MCP server.
 */
import { generateKeyPair, generateProof } from 'dpop';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formFields, type Stack, startStack, TestBrowser } from '../src/index.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ dpop: { nonces: true, required: true } });
}, 60_000);
afterAll(async () => {
  await stack?.close();
}, 30_000);

async function aliceConnected(): Promise<string> {
  const browser = new TestBrowser();
  const login = await browser.go(`${stack.agentUrl}/auth/signin`);
  const form = formFields(login.body, /login/);
  const servers = await browser.go(new URL(form.action, browser.url).href, {
    form: { ...form.fields, username: 'alice', password: 'alice-password' },
  });
  const connect = formFields(servers.body, /\/servers\/acme-tickets\/connect$/);
  const connected = await browser.go(new URL(connect.action, browser.url).href, { form: connect.fields });
  expect(connected.body).toContain('data-testid="connection-status">Connected');
  const inspector = await browser.go(`${stack.agentUrl}/inspector`);
  return inspector.body;
}

/** The access token the agent host holds for Alice at the MCP server: a test-only read of its in-memory store. */
function liftedToken(): { accessToken: string; tokenType: string } {
  const agent = stack.apps[3];
  const token = agent?.agentHost?.ema.cache.last(`${stack.idpIssuer}|usr_alice`, stack.mcpResource);
  if (token === undefined) throw new Error('the agent host holds no token for Alice');
  return token;
}

function callMcp(headers: Record<string, string>): Promise<Response> {
  return fetch(stack.mcpResource, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
  });
}

describe('DPoP end to end', () => {
  it('[AGENT-DPOP-FLOW] [RAS-DPOP-BOUND-TOKEN] Alice connects with DPoP on and nonces required; the inspector shows the proofs and the cnf claims', async () => {
    const inspector = await aliceConnected();
    const token = liftedToken();
    expect(token.tokenType).toBe('DPoP');
    expect(decodeJwt(token.accessToken).cnf).toEqual({ jkt: expect.any(String) });
    // The proofs (typ dpop+jwt, htm, htu, the nonces) and the cnf of the ID-JAG and the access token, decoded.
    expect(inspector).toContain('dpop+jwt');
    expect(inspector).toContain('use_dpop_nonce');
    expect(inspector).toContain('jkt');
    expect(inspector).not.toContain(token.accessToken);
  });

  it('[RAS-DPOP-INTROSPECTION] the RAS introspects the lifted token as DPoP-bound, with its cnf.jkt', async () => {
    const { accessToken } = liftedToken();
    const response = await fetch(`${stack.rasIssuer}/introspect`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from('acme-agent-host:acme-agent-host-dev-secret').toString('base64')}`,
      },
      body: new URLSearchParams({ token: accessToken }),
    });
    const { cnf } = decodeJwt(accessToken);
    expect(cnf).toEqual({ jkt: expect.any(String) });
    expect(await response.json()).toMatchObject({ active: true, token_type: 'DPoP', cnf });
  });

  it('[RS-DPOP-BOUND-NOT-BEARER] [DPOP-PROOF-JKT] a token lifted from the agent host and replayed without its key is refused', async () => {
    const { accessToken } = liftedToken();
    const asBearer = await callMcp({ authorization: `Bearer ${accessToken}` });
    expect(asBearer.status).toBe(401);
    expect(asBearer.headers.get('www-authenticate')).toMatch(/^DPoP error="invalid_token"/);
    const noProof = await callMcp({ authorization: `DPoP ${accessToken}` });
    expect(noProof.status).toBe(401);
    expect(noProof.headers.get('www-authenticate')).toMatch(/^DPoP error="invalid_dpop_proof"/);
    // The thief's own key, with the server's current nonce (asked for as any client would): not the bound key.
    const thief = await generateKeyPair('ES256');
    const first = await generateProof(thief, stack.mcpResource, 'POST', undefined, accessToken);
    const askedForNonce = await callMcp({ authorization: `DPoP ${accessToken}`, dpop: first });
    expect(askedForNonce.headers.get('www-authenticate')).toMatch(/^DPoP error="use_dpop_nonce"/);
    const nonce = askedForNonce.headers.get('dpop-nonce') ?? undefined;
    const stolen = await generateProof(thief, stack.mcpResource, 'POST', nonce, accessToken);
    const withOtherKey = await callMcp({ authorization: `DPoP ${accessToken}`, dpop: stolen });
    expect(withOtherKey.status).toBe(401);
    expect(withOtherKey.headers.get('www-authenticate')).toContain(
      'error_description="The DPoP proof is not signed with the key the access token is bound to"',
    );
  });

  it('[RS-DPOP-REQUIRED] [IDP-DPOP-METADATA] [RAS-DPOP-METADATA] the MCP server requires DPoP and says so in its metadata; the IdP and the RAS advertise their proof algorithms', async () => {
    const metadata = await (
      await fetch(`${new URL(stack.mcpResource).origin}/.well-known/oauth-protected-resource/mcp`)
    ).json();
    expect(metadata).toMatchObject({
      dpop_bound_access_tokens_required: true,
      dpop_signing_alg_values_supported: ['ES256'],
    });
    const ras = await (await fetch(`${stack.rasIssuer}/.well-known/oauth-authorization-server`)).json();
    expect(ras).toMatchObject({ dpop_signing_alg_values_supported: ['ES256'] });
    const idp = await (await fetch(`${stack.idpIssuer}/.well-known/openid-configuration`)).json();
    expect(idp).toMatchObject({ dpop_signing_alg_values_supported: ['ES256'] });
  });
});
