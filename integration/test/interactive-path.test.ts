/**
 * The interactive path end to end, in-process against the real IdP, RAS and MCP server: a generic MCP client (a native
 * app on a loopback port, registered by RFC 7591) signs the employee in through the IdP, the organization's policy
 * decides through identity chaining, the employee consents, and the access token works at the MCP server. Carol is
 * refused and Bob narrowed exactly as on the EMA path, by the same IdP policy, in the same IdP audit log.
 */
import { decodeUnverified } from '@ema/jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answerConsent,
  authorizeAndSignIn,
  type CallbackServer,
  formFields,
  pkcePair,
  publicTokenRequest,
  registerPublicClient,
  type Stack,
  startCallbackServer,
  startStack,
  TestBrowser,
} from '../src/index.js';

let stack: Stack;
let callback: CallbackServer;
let clientId: string;
beforeAll(async () => {
  stack = await startStack();
  callback = await startCallbackServer();
  clientId = await registerPublicClient(stack.rasIssuer);
}, 60_000);
afterAll(async () => {
  await callback?.close();
  await stack?.close();
});

/** Runs the flow for `username` up to the page after the sign-in. */
async function signInAs(username: string, scope?: string) {
  const browser = new TestBrowser();
  const pkce = pkcePair();
  const state = `state-${username}-${Math.random()}`;
  const next = await authorizeAndSignIn(browser, {
    rasIssuer: stack.rasIssuer,
    clientId,
    redirectUri: callback.redirectUri,
    challenge: pkce.challenge,
    resource: stack.mcpResource,
    state,
    username,
    ...(scope === undefined ? {} : { scope }),
  });
  return { browser, pkce, state, ...next };
}

/** Signs in, consents, and exchanges the code; returns the token response and the code. */
async function tokensFor(username: string, scope?: string) {
  const flow = await signInAs(username, scope);
  const response = await answerConsent(flow.browser, flow.page, 'allow');
  const code = response.searchParams.get('code') ?? '';
  const exchanged = await publicTokenRequest(stack.rasIssuer, {
    grant_type: 'authorization_code',
    client_id: clientId,
    code,
    redirect_uri: callback.redirectUri,
    code_verifier: flow.pkce.verifier,
    resource: stack.mcpResource,
  });
  return { ...flow, response, code, exchanged };
}

function mcpInitialize(accessToken: string | undefined): Promise<Response> {
  return fetch(stack.mcpResource, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(accessToken === undefined ? {} : { authorization: `Bearer ${accessToken}` }),
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'generic', version: '1' } },
    }),
  });
}

describe('the interactive path with the real IdP, RAS and MCP server', () => {
  it('[RAS-INTERACTIVE-FLOW] [RAS-CONSENT-SCREEN] [RAS-RFC9207-ISS] [RAS-RFC8252-7.3-LOOPBACK-ANY-PORT] Alice signs in at the IdP, consents, and the client calls the MCP server with the token', async () => {
    const flow = await signInAs('alice');
    expect(flow.status).toBe(200);
    expect(flow.browser.url.startsWith(`${stack.rasIssuer}/authorize/callback?`)).toBe(true);
    expect(flow.page).toContain('data-testid="consent-client">Generic MCP client');
    expect(flow.page).toContain('data-testid="consent-user">Alice Anders');
    expect(flow.page).toContain(
      `data-testid="consent-resource">Acme Tickets <span class="muted">(${stack.mcpResource})`,
    );
    expect([...flow.page.matchAll(/data-testid="consent-scope">([^<]*)</g)].map((match) => match[1])).toEqual([
      'tickets.read',
      'tickets.write',
    ]);
    expect(flow.page).toContain(`data-testid="consent-redirect-host">${new URL(callback.redirectUri).host}`);
    expect(flow.page).toContain('data-testid="consent-loopback-warning"');

    const response = await answerConsent(flow.browser, flow.page, 'allow');
    expect(`${response.origin}${response.pathname}`).toBe(callback.redirectUri);
    expect(response.searchParams.get('state')).toBe(flow.state);
    expect(response.searchParams.get('iss')).toBe(stack.rasIssuer);
    const exchanged = await publicTokenRequest(stack.rasIssuer, {
      grant_type: 'authorization_code',
      client_id: clientId,
      code: response.searchParams.get('code') ?? '',
      redirect_uri: callback.redirectUri,
      code_verifier: flow.pkce.verifier,
      resource: stack.mcpResource,
    });
    expect(exchanged.status).toBe(200);
    expect(exchanged.body).toMatchObject({ token_type: 'Bearer', scope: 'tickets.read tickets.write' });
    const accessToken = String(exchanged.body.access_token);
    expect(decodeUnverified(accessToken)?.claims).toMatchObject({
      iss: stack.rasIssuer,
      aud: stack.mcpResource,
      client_id: clientId,
      email: 'alice@acme.example',
      id_jag_iss: stack.idpIssuer,
    });
    expect((await mcpInitialize(undefined)).status).toBe(401);
    expect((await mcpInitialize(accessToken)).status).toBe(200);
  });

  it('[RAS-IDENTITY-CHAINING-POLICY] the IdP decided through its token exchange for the RAS itself, and audited it', async () => {
    const { exchanged } = await tokensFor('alice', 'tickets.read');
    const jti = decodeUnverified(String(exchanged.body.access_token))?.claims.id_jag_jti;
    const decision = stack.idp.idp.audit.query({ type: 'id_jag.exchange' }).find((record) => record.jti === jti);
    expect(decision).toMatchObject({
      outcome: 'allow',
      clientId: 'acme-ras',
      subject: 'usr_alice',
      resource: stack.mcpResource,
      details: { rasClientId: 'acme-ras', grantedScopes: ['tickets.read'] },
    });
  });

  it('[RAS-IDENTITY-CHAINING-POLICY] Bob is offered and granted at most tickets.read, as through EMA', async () => {
    const flow = await signInAs('bob', 'tickets.read tickets.write');
    expect([...flow.page.matchAll(/data-testid="consent-scope">([^<]*)</g)].map((match) => match[1])).toEqual([
      'tickets.read',
    ]);
    expect(flow.page).toContain('data-testid="consent-withheld">tickets.write');
    const response = await answerConsent(flow.browser, flow.page, 'allow');
    const exchanged = await publicTokenRequest(stack.rasIssuer, {
      grant_type: 'authorization_code',
      client_id: clientId,
      code: response.searchParams.get('code') ?? '',
      redirect_uri: callback.redirectUri,
      code_verifier: flow.pkce.verifier,
    });
    expect(exchanged.body.scope).toBe('tickets.read');
  });

  it('[RAS-IDENTITY-CHAINING-POLICY] Carol is refused by the organization: a page says so, and the client gets access_denied', async () => {
    const flow = await signInAs('carol');
    expect(flow.status).toBe(403);
    expect(flow.page).toContain('data-testid="organization-refusal"');
    expect(flow.page).toContain('Your organization does not allow Generic MCP client to use Acme Tickets');
    expect(flow.page).not.toContain('consent-allow');
    const link = /href="([^"]*)" data-testid="return-to-client"/.exec(flow.page)?.[1]?.replaceAll('&amp;', '&') ?? '';
    const back = new URL(link);
    expect(Object.fromEntries(back.searchParams)).toEqual({
      error: 'access_denied',
      error_description: "refused by the organization's policy",
      state: flow.state,
      iss: stack.rasIssuer,
    });
    const [denial] = stack.idp.idp.audit.query({ type: 'id_jag.exchange', subject: 'usr_carol' });
    expect(denial).toMatchObject({ outcome: 'deny', reason: 'policy_deny', clientId: 'acme-ras' });
  });

  it('[RAS-CONSENT-CSRF] refuses a consent answer without the form token of this browser, and from another browser', async () => {
    const flow = await signInAs('alice');
    const forged = await flow.browser.submit(flow.page, /\/authorize\/consent$/, {
      decision: 'allow',
      csrf_token: 'forged',
    });
    expect(forged.status).toBe(403);
    expect(forged.body).toContain('The form could not be verified.');
    const elsewhere = new TestBrowser();
    elsewhere.url = flow.browser.url;
    const stolen = await elsewhere.submit(flow.page, /\/authorize\/consent$/, { decision: 'allow' });
    expect(stolen.status).toBe(400);
    // The request is still this browser's to answer.
    const response = await answerConsent(flow.browser, flow.page, 'allow');
    expect(response.searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    flow.browser.url = `${stack.rasIssuer}/authorize/callback`;
    const again = await flow.browser.submit(flow.page, /\/authorize\/consent$/, { decision: 'allow' });
    expect(again.status).toBe(400);
  });

  it('[RAS-CONSENT-DENY] a user who denies sends access_denied to the client, with state and iss', async () => {
    const flow = await signInAs('alice');
    const response = await answerConsent(flow.browser, flow.page, 'deny');
    expect(Object.fromEntries(response.searchParams)).toEqual({
      error: 'access_denied',
      error_description: 'the user denied the request',
      state: flow.state,
      iss: stack.rasIssuer,
    });
  });

  it('[RAS-RFC6749-4.1.2-CODE-SINGLE-USE] [RAS-RFC7636-4.6-PKCE-VERIFY] a wrong verifier is refused; a reused code is refused and revokes what it issued', async () => {
    const flow = await signInAs('alice');
    const response = await answerConsent(flow.browser, flow.page, 'allow');
    const request = {
      grant_type: 'authorization_code',
      client_id: clientId,
      code: response.searchParams.get('code') ?? '',
      redirect_uri: callback.redirectUri,
      code_verifier: flow.pkce.verifier,
    };
    const wrong = await publicTokenRequest(stack.rasIssuer, { ...request, code_verifier: pkcePair().verifier });
    expect(wrong).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'code_verifier does not match the code_challenge' },
    });
    const first = await publicTokenRequest(stack.rasIssuer, request);
    expect(first.status).toBe(200);
    const reused = await publicTokenRequest(stack.rasIssuer, request);
    expect(reused.body.error).toBe('invalid_grant');
    const refreshed = await publicTokenRequest(stack.rasIssuer, {
      grant_type: 'refresh_token',
      client_id: clientId,
      refresh_token: String(first.body.refresh_token),
    });
    expect(refreshed.body.error).toBe('invalid_grant');
  });

  it('[RAS-RFC9700-4.14.2-REFRESH-ROTATION] [RAS-REFRESH-REAUTHORIZED] refreshes rotate, a replay revokes the family, and a policy change ends the grant at its next refresh', async () => {
    const { exchanged } = await tokensFor('bob', 'tickets.read');
    const refresh = (token: unknown) =>
      publicTokenRequest(stack.rasIssuer, {
        grant_type: 'refresh_token',
        client_id: clientId,
        refresh_token: String(token),
      });
    const second = await refresh(exchanged.body.refresh_token);
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(exchanged.body.refresh_token);
    // Each refresh asked the organization again: a new ID-JAG backs the new access token.
    const before = decodeUnverified(String(exchanged.body.access_token))?.claims.id_jag_jti;
    expect(decodeUnverified(String(second.body.access_token))?.claims.id_jag_jti).not.toBe(before);
    expect((await refresh(exchanged.body.refresh_token)).body.error).toBe('invalid_grant');
    expect((await refresh(second.body.refresh_token)).body.error).toBe('invalid_grant');

    // A fresh grant for Bob; then IT withdraws the sales rule: the next refresh is refused, the grant ends.
    const another = await tokensFor('bob', 'tickets.read');
    stack.idp.idp.storage.deletePolicyRule('sales-tickets');
    const refused = await refresh(another.exchanged.body.refresh_token);
    expect(refused).toEqual({ status: 400, body: expect.objectContaining({ error: 'invalid_grant' }) });
    const [latest] = stack.idp.idp.audit.query({ type: 'id_jag.exchange', subject: 'usr_bob' });
    expect(latest).toMatchObject({ outcome: 'deny', clientId: 'acme-ras' });
  });

  it('[RAS-INTERACTIVE-STEP-UP] when the organization asks for a more recent sign-in, the RAS has the user sign in again, once', async () => {
    const { storage } = stack.idp.idp;
    const rule = storage.listPolicyRules().find((candidate) => candidate.id === 'engineering-tickets');
    if (rule === undefined) throw new Error('no engineering rule');
    storage.deletePolicyRule(rule.id);
    storage.insertPolicyRule({ ...rule, maxAuthAgeSeconds: 1 });
    try {
      // A first authorization signs Alice in at the IdP; the next one, two seconds later, finds that sign-in too old.
      const first = await signInAs('alice');
      expect(first.page).toContain('data-testid="consent-allow"');
      await new Promise((resolve) => setTimeout(resolve, 2100));
      const pkce = pkcePair();
      const query = new URLSearchParams({
        response_type: 'code',
        client_id: clientId,
        redirect_uri: callback.redirectUri,
        state: 'step-up',
        code_challenge: pkce.challenge,
        code_challenge_method: 'S256',
        resource: stack.mcpResource,
      });
      // Silent SSO at the IdP, the exchange asks for a fresh sign-in, the RAS sends the browser back with prompt=login.
      const login = await first.browser.go(`${stack.rasIssuer}/authorize?${query}`);
      expect(new URL(first.browser.url).origin).toBe(stack.idpIssuer);
      expect(login.body).toContain('name="prompt" value="login"');
      const form = formFields(login.body, /login/);
      const consent = await first.browser.go(new URL(form.action, first.browser.url).href, {
        form: { ...form.fields, username: 'alice', password: 'alice-password' },
      });
      expect(consent.body).toContain('data-testid="consent-allow"');
    } finally {
      storage.deletePolicyRule(rule.id);
      storage.insertPolicyRule(rule);
    }
  });
});
