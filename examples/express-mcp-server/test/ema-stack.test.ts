/**
 * The example against the real apps: the IdP and the RAS of this repository issue the token through the EMA flow,
 * the Express server checks it through `@ema/resource-server`, and the MCP SDK's own client calls the tools.
 */

import { redeemIdJag, requestIdJag, signIn } from '@ema/integration';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_AT_IDP, AGENT_AT_RAS, type NotesStack, startNotesStack } from './support/stack.js';

let stack: NotesStack;
let idToken: string;

/** An access token for the example through the whole flow: a fresh ID-JAG each time (the RAS redeems one once). */
async function accessToken(scope: string): Promise<{ accessToken: string; scope: string }> {
  const idJag = await requestIdJag({
    idpIssuer: stack.idpIssuer,
    client: AGENT_AT_IDP,
    idToken,
    rasIssuer: stack.rasIssuer,
    resource: stack.resource,
    scope,
  });
  return redeemIdJag({ rasIssuer: stack.rasIssuer, client: AGENT_AT_RAS, idJag });
}

function transport(token: string | undefined): StreamableHTTPClientTransport {
  const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
  return new StreamableHTTPClientTransport(new URL(stack.resource), { requestInit: { headers } });
}

/** What the SDK's transport was refused with (its HTTP status), or `undefined` when the call went through. */
async function refusedStatus(attempt: Promise<unknown>): Promise<number | undefined> {
  const outcome = await attempt.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (outcome === undefined) return undefined;
  expect(outcome).toBeInstanceOf(StreamableHTTPError);
  return (outcome as StreamableHTTPError).code;
}

function post(authorization: string | undefined, body: object): Promise<Response> {
  return fetch(stack.resource, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(authorization === undefined ? {} : { authorization }),
    },
    body: JSON.stringify(body),
  });
}

const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
};

beforeAll(async () => {
  stack = await startNotesStack();
  idToken = await signIn({
    idpIssuer: stack.idpIssuer,
    client: AGENT_AT_IDP,
    redirectUri: stack.redirectUri,
    username: 'alice',
    password: 'alice-password',
  });
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

describe('the Express MCP server example against the real IdP and RAS', () => {
  it('[MCP-RFC9728-3-PRM-PATH] [MCP-AUTH-PRM-ROOT] publishes its metadata at both well-known locations, naming the RAS', async () => {
    const origin = new URL(stack.resource).origin;
    for (const path of ['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource']) {
      const response = await fetch(`${origin}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(await response.json()).toStrictEqual({
        resource: stack.resource,
        authorization_servers: [stack.rasIssuer],
        scopes_supported: ['notes.read', 'notes.write'],
        bearer_methods_supported: ['header'],
        resource_name: 'Team Notes',
      });
    }
  });

  it('[MCP-AUTH-401-CHALLENGE] answers a request without a token with 401 and the resource_metadata challenge', async () => {
    const response = await post(undefined, INITIALIZE);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(
      `Bearer resource_metadata="${new URL(stack.resource).origin}/.well-known/oauth-protected-resource/mcp", scope="notes.read notes.write"`,
    );
    expect(await response.text()).toBe('');
    const client = new Client({ name: 'example-test', version: '0' });
    expect(await refusedStatus(client.connect(transport(undefined)))).toBe(401);
  });

  it('[MCP-RFC9068-TYP] refuses the ID token and the ID-JAG of the flow presented as access tokens', async () => {
    const idJag = await requestIdJag({
      idpIssuer: stack.idpIssuer,
      client: AGENT_AT_IDP,
      idToken,
      rasIssuer: stack.rasIssuer,
      resource: stack.resource,
      scope: 'notes.read',
    });
    for (const token of [idToken, idJag]) {
      const response = await post(`Bearer ${token}`, INITIALIZE);
      expect(response.status).toBe(401);
      expect(await response.json()).toStrictEqual({
        error: 'invalid_token',
        error_description: 'The token is not a JWT access token (typ at+jwt)',
      });
    }
  });

  it('[EXAMPLE-EXPRESS-EMA-FLOW] lists and calls the tools as alice with a token obtained through the EMA flow', async () => {
    const granted = await accessToken('notes.read notes.write');
    expect(granted.scope).toBe('notes.read notes.write');
    const client = new Client({ name: 'example-test', version: '0' });
    await client.connect(transport(granted.accessToken));
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toStrictEqual(['list_notes', 'add_note']);
    const added = await client.callTool({ name: 'add_note', arguments: { text: 'Renew the TLS certificate' } });
    expect(added.isError).toBeUndefined();
    expect(added.structuredContent).toMatchObject({
      note: { text: 'Renew the TLS certificate', author: 'alice@acme.example' },
    });
    const listed = await client.callTool({ name: 'list_notes', arguments: {} });
    expect(listed.structuredContent).toMatchObject({
      owner: 'alice@acme.example',
      notes: [{ text: 'Renew the TLS certificate', author: 'alice@acme.example' }],
    });
    await client.close();
  });

  it('[MCP-AUTH-403-INSUFFICIENT-SCOPE] refuses add_note to a notes.read token with 403, naming notes.write', async () => {
    const readOnly = await accessToken('notes.read');
    expect(readOnly.scope).toBe('notes.read');
    const client = new Client({ name: 'example-test', version: '0' });
    await client.connect(transport(readOnly.accessToken));
    expect((await client.callTool({ name: 'list_notes', arguments: {} })).isError).toBeUndefined();
    expect(await refusedStatus(client.callTool({ name: 'add_note', arguments: { text: 'Nope' } }))).toBe(403);
    await client.close();

    const response = await post(`Bearer ${readOnly.accessToken}`, {
      jsonrpc: '2.0',
      id: 7,
      method: 'tools/call',
      params: { name: 'add_note', arguments: { text: 'Nope' } },
    });
    expect(response.status).toBe(403);
    // MCP-AUTH "Scope challenge handling", recommended approach: the scope already granted plus the missing one.
    expect(response.headers.get('www-authenticate')).toBe(
      `Bearer error="insufficient_scope", error_description="add_note requires the scope notes.write", resource_metadata="${new URL(stack.resource).origin}/.well-known/oauth-protected-resource/mcp", scope="notes.read notes.write"`,
    );
    expect(await response.json()).toStrictEqual({
      error: 'insufficient_scope',
      error_description: 'add_note requires the scope notes.write',
    });
  });
});
