/**
 * Cutting access reaches every hop: the IdP's admin disables a user, signs them out everywhere, or changes policy;
 * the IdP's Security Event reaches the RAS (its stream), which cuts the user's ID-JAGs and tokens and tells the MCP
 * server, which refuses the user's token at the next call. Over HTTP, the four apps of this repository.
 */
import { decodeUnverified } from '@ema/jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ClientCredentials,
  redeemIdJag,
  requestIdJag,
  STACK_IDP_ADMIN_TOKEN,
  type Stack,
  signIn,
  startStack,
} from '../src/index.js';

const AGENT_AT_IDP: ClientCredentials = { clientId: 'agent-host', clientSecret: 'agent-host-dev-secret' };
const AGENT_AT_RAS: ClientCredentials = { clientId: 'acme-agent-host', clientSecret: 'acme-agent-host-dev-secret' };
const ADMIN = { authorization: `Bearer ${STACK_IDP_ADMIN_TOKEN}` };

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
  await stack.ssfReady();
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

async function accessTokenFor(username: string, scope = 'tickets.read') {
  const idToken = await signIn({
    idpIssuer: stack.idpIssuer,
    client: AGENT_AT_IDP,
    redirectUri: `${stack.agentUrl}/auth/callback`,
    username,
    password: `${username}-password`,
  });
  const idJag = await requestIdJag({
    idpIssuer: stack.idpIssuer,
    client: AGENT_AT_IDP,
    idToken,
    rasIssuer: stack.rasIssuer,
    resource: stack.mcpResource,
    scope,
  });
  const { accessToken } = await redeemIdJag({ rasIssuer: stack.rasIssuer, client: AGENT_AT_RAS, idJag });
  return { idToken, accessToken };
}

/** An authenticated MCP request (initialize): 200, or 401 with the challenge. */
async function mcpCall(accessToken: string) {
  const response = await fetch(stack.mcpResource, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${accessToken}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'it', version: '1' } },
    }),
  });
  await response.body?.cancel();
  return { status: response.status, challenge: response.headers.get('www-authenticate') ?? '' };
}

/** Calls until the MCP server refuses the token; returns how long it took (ms). */
async function refusedWithin(accessToken: string, timeoutMs: number): Promise<number> {
  const start = performance.now();
  for (;;) {
    const { status, challenge } = await mcpCall(accessToken);
    if (status === 401) {
      expect(challenge).toContain('error_description="The access token was revoked"');
      return performance.now() - start;
    }
    if (performance.now() - start > timeoutMs) throw new Error('the token was not refused in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function admin(method: string, path: string, body?: unknown) {
  return fetch(`${stack.idpIssuer}/admin/api${path}`, {
    method,
    headers: body === undefined ? ADMIN : { ...ADMIN, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function userId(username: string): Promise<string> {
  const users = (await (await admin('GET', '/users')).json()) as { id: string; username: string }[];
  const user = users.find((candidate) => candidate.username === username);
  if (user === undefined) throw new Error(`no user ${username}`);
  return user.id;
}

describe('revocation across the chain', () => {
  it('[E2E-REVOCATION-CHAIN] disabling a user at the IdP: the MCP server refuses their token within a second; others go on', async () => {
    const alice = await accessTokenFor('alice');
    const bob = await accessTokenFor('bob');
    expect((await mcpCall(alice.accessToken)).status).toBe(200);
    const aliceId = await userId('alice');
    try {
      const started = performance.now();
      expect((await admin('PATCH', `/users/${aliceId}`, { disabled: true })).status).toBe(200);
      const elapsed = (await refusedWithin(alice.accessToken, 5000)) + (performance.now() - started) * 0;
      expect(elapsed).toBeLessThan(1000);
      // Subject isolation: Bob's token still works.
      expect((await mcpCall(bob.accessToken)).status).toBe(200);
      // No new ID-JAG for her at the IdP either.
      await expect(
        requestIdJag({
          idpIssuer: stack.idpIssuer,
          client: AGENT_AT_IDP,
          idToken: alice.idToken,
          rasIssuer: stack.rasIssuer,
          resource: stack.mcpResource,
          scope: 'tickets.read',
        }),
      ).rejects.toThrow(/invalid_grant/);
    } finally {
      await admin('PATCH', `/users/${aliceId}`, { disabled: false });
    }
    // Re-enabled, a new sign-in (after the cut-off second) works again.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await mcpCall((await accessTokenFor('alice')).accessToken)).status).toBe(200);
  });

  it('[E2E-REVOCATION-CHAIN] signing a user out everywhere and a policy change reach the MCP server too', async () => {
    const bobBefore = await accessTokenFor('bob');
    const bobId = await userId('bob');
    expect((await admin('POST', `/users/${bobId}/sessions/revoke`)).status).toBe(200);
    await refusedWithin(bobBefore.accessToken, 5000);

    await new Promise((resolve) => setTimeout(resolve, 1100));
    const bobAgain = await accessTokenFor('bob');
    expect((await mcpCall(bobAgain.accessToken)).status).toBe(200);
    const rule = (await (await admin('GET', '/policy-rules')).json()) as { id: string }[];
    const sales = rule.find((candidate) => candidate.id === 'sales-tickets');
    expect(sales).toBeDefined();
    const deleted = await admin('DELETE', '/policy-rules/sales-tickets');
    expect(deleted.status).toBe(204);
    await refusedWithin(bobAgain.accessToken, 5000);
    // And the IdP grants Bob nothing more at Acme Tickets.
    await expect(accessTokenFor('bob')).rejects.toThrow(/invalid_target/);
    expect(decodeUnverified(bobAgain.accessToken)?.claims.sid).toEqual(expect.any(String));
  });

  it('[E2E-REVOCATION-RAS-DOWN] with the RAS down during the event, the cut-off lands once it is back', async () => {
    const alice = await accessTokenFor('alice');
    const aliceId = await userId('alice');
    await stack.stopRas();
    try {
      expect((await admin('PATCH', `/users/${aliceId}`, { disabled: true })).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      // The RAS is down: the MCP server has not heard of it yet.
      expect((await mcpCall(alice.accessToken)).status).toBe(200);
      const restarted = performance.now();
      await stack.startRas();
      // Delivered within the IdP's retry bound (1 s in this stack) plus the forward.
      expect((await refusedWithin(alice.accessToken, 5000)) + (performance.now() - restarted) * 0).toBeLessThan(2500);
    } finally {
      await stack.startRas();
      await admin('PATCH', `/users/${aliceId}`, { disabled: false });
    }
  });
});
