import { verifyIdJag } from '@ema/jwt';
import { DEFAULT_ALGORITHMS, GRANT_TYPE_TOKEN_EXCHANGE, MEDIA_TYPE_FORM, TOKEN_TYPE_ID_JAG } from '@ema/protocol';
import { describe, expect, it, vi } from 'vitest';
import {
  type ExchangePolicyRequest,
  handleTokenRequest,
  hashClientSecret,
  ID_JAG_EXCHANGE_AUDIT_TYPE,
  OAuthError,
  tokenExchangeGrant,
} from '../../../src/index.js';
import { basic, form } from '../../fixtures.js';
import {
  agent,
  alice,
  allow,
  type ExchangeClient,
  type ExchangeTestResource,
  type ExchangeTestUser,
  exchange,
  exchangeParams,
  exchangeSetup,
  ISSUER,
  idpKeys,
  idToken,
  MCP,
  NOW,
  RAS,
  refusal,
  signer,
  tickets,
} from './exchange-fixture.js';

type PolicyRequest = ExchangePolicyRequest<ExchangeClient, ExchangeTestUser, ExchangeTestResource>;

describe('tokenExchangeGrant: issuing an ID-JAG', () => {
  it('[IDP-RFC8693-2.2.1-RESPONSE] answers issued_token_type, the ID-JAG in access_token, N_A, expires_in and the granted scope', async () => {
    const answer = await exchange(exchangeSetup(), await exchangeParams());
    expect(answer).toEqual({
      issued_token_type: TOKEN_TYPE_ID_JAG,
      access_token: expect.any(String),
      token_type: 'N_A',
      expires_in: 300,
      scope: 'tickets.read',
    });
  });

  it('[IDP-IDJAG-3-CLAIMS] [IDP-STEP-UP-CONTEXT-CARRIED] mints the granted values: aud = RAS issuer, client_id at the RAS, sub, email, resource, scope, auth_time, amr, acr', async () => {
    const answer = await exchange(exchangeSetup(), await exchangeParams());
    if (answer instanceof OAuthError) throw answer;
    const { claims, header } = await verifyIdJag(answer.access_token, {
      algorithms: DEFAULT_ALGORITHMS,
      trustedIssuers: (iss) => (iss === ISSUER ? { issuer: ISSUER, keys: idpKeys } : undefined),
      audience: RAS,
      clientId: 'agent-at-ras',
      maxLifetimeSeconds: 900,
      currentDate: new Date(NOW * 1000),
    });
    expect(header.kid).toBe(signer.kid);
    expect(claims).toEqual({
      iss: ISSUER,
      sub: alice.id,
      aud: RAS,
      client_id: 'agent-at-ras',
      jti: 'jag_1',
      iat: NOW,
      exp: NOW + 300,
      resource: MCP,
      scope: 'tickets.read',
      auth_time: NOW - 120,
      amr: ['pwd'],
      acr: 'urn:example:acr:pwd',
      email: alice.email,
    });
  });

  it('[IDP-AUDIT-EXCHANGE] audits the issuance by the ID-JAG jti, with the policy explanation', async () => {
    const setup = exchangeSetup();
    await exchange(setup, await exchangeParams());
    // The type an audit export filters on: a stable string, not just whatever the constant holds.
    expect(ID_JAG_EXCHANGE_AUDIT_TYPE).toBe('id_jag.exchange');
    expect(setup.audited).toEqual([
      {
        type: ID_JAG_EXCHANGE_AUDIT_TYPE,
        outcome: 'allow',
        reason: 'policy_allow',
        subject: alice.id,
        clientId: agent.clientId,
        resource: MCP,
        jti: 'jag_1',
        details: {
          audience: RAS,
          requestedScopes: ['tickets.read', 'tickets.write'],
          matchedRules: ['engineering-read'],
          droppedScopes: allow.droppedScopes,
          explanation: allow.explanation,
          rasClientId: 'agent-at-ras',
          grantedScopes: ['tickets.read'],
          subjectTokenId: 'idt_1',
        },
      },
    ]);
  });

  it('[IDP-EMA-POLICY-NARROW] asks policy about this client, user, sign-in, resource and requested scopes', async () => {
    const policy = vi.fn((_request: PolicyRequest) => allow);
    await exchange(exchangeSetup({ policy }), await exchangeParams({ scope: undefined }));
    expect(policy).toHaveBeenCalledWith({
      client: agent,
      subject: { user: alice, authTime: NOW - 120, amr: ['pwd'], acr: 'urn:example:acr:pwd', subjectTokenId: 'idt_1' },
      resource: tickets,
      requestedScopes: undefined,
      now: NOW,
    });
  });

  it('defaults the jti to crypto.randomUUID and the clock to Date.now', async () => {
    const base = exchangeSetup();
    const { newJti: _newJti, now: _now, ...options } = base.options;
    const setup = { ...base, options };
    const now = Math.floor(Date.now() / 1000);
    const subject = await idToken({ iat: now, exp: now + 300, auth_time: now });
    const answer = await exchange(setup, await exchangeParams({ subject_token: subject }));
    expect(answer).toMatchObject({ token_type: 'N_A' });
    expect(setup.audited[0]?.jti).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('tokenExchangeGrant: the order of the checks', () => {
  it('[KIT-IDJAG-4.3.3-CHECK-ORDER] a request failing several checks is refused by the first, and later steps never run', async () => {
    const policy = vi.fn((_request: PolicyRequest) => allow);
    const sign = vi.fn(() => signer);
    const setup = exchangeSetup({ policy, signer: sign });
    const notAllowed = { ...agent, mayRequestIdJag: false };
    const unknownResource = 'https://elsewhere.example.com/mcp';
    const badSubject = await idToken({ aud: 'someone-else', azp: 'someone-else' });

    // Step 1 before step 2: a client not allowed ID-JAGs learns nothing about its parameters.
    expect((await refusal(setup, new Map(), notAllowed)).body.error).toBe('unauthorized_client');
    // Step 2 before step 3.
    expect(
      (await refusal(setup, await exchangeParams({ subject_token: badSubject, audience: undefined }))).reason,
    ).toBe('missing_audience');
    // Step 3 before step 4.
    expect(
      (await refusal(setup, await exchangeParams({ subject_token: badSubject, resource: unknownResource }))).reason,
    ).toBe('id_token_invalid:ERR_JWT_AUD_MISMATCH');
    // Step 4 before step 5.
    expect((await refusal(setup, await exchangeParams({ resource: unknownResource }))).reason).toBe('unknown_resource');
    expect(policy).not.toHaveBeenCalled();
    // Step 5 before step 6: nothing is signed for a refused request.
    const denied = exchangeSetup({ policy: () => ({ ...allow, decision: 'deny', grantedScopes: [] }), signer: sign });
    expect((await refusal(denied, await exchangeParams())).reason).toBe('policy_deny');
    expect(sign).not.toHaveBeenCalled();
  });
});

describe('tokenExchangeGrant: audit', () => {
  it('[IDP-AUDIT-BEFORE-RESPONSE] answers only once the record is committed, and sends no ID-JAG when the commit fails', async () => {
    let commit: (() => void) | undefined;
    const waiting = exchangeSetup({
      audit: { recordCommitted: () => new Promise<void>((resolve) => (commit = resolve)) },
    });
    let answered = false;
    const pending = exchange(waiting, await exchangeParams()).then((answer) => {
      answered = true;
      return answer;
    });
    await vi.waitFor(() => expect(commit).toBeDefined());
    await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(false);
    commit?.();
    expect(await pending).toMatchObject({ token_type: 'N_A' });

    const failing = exchangeSetup({ audit: { recordCommitted: () => Promise.reject(new Error('disk full')) } });
    await expect(exchange(failing, await exchangeParams())).rejects.toThrow('disk full');
  });

  it('[IDP-AUDIT-EXCHANGE] records a refusal once, with its precise reason: the token endpoint does not record it again', async () => {
    const setup = exchangeSetup();
    const client = { ...agent, secretHash: hashClientSecret('s3cret') };
    const onRefusal = vi.fn();
    const elsewhere = 'https://elsewhere.example.com/mcp';
    const body = {
      grant_type: GRANT_TYPE_TOKEN_EXCHANGE,
      ...Object.fromEntries(await exchangeParams({ resource: elsewhere })),
    };
    const result = await handleTokenRequest(
      { contentType: MEDIA_TYPE_FORM, authorization: basic(agent.clientId, 's3cret'), body: form(body) },
      {
        grants: [tokenExchangeGrant(setup.options)],
        findClient: (clientId) => (clientId === agent.clientId ? client : undefined),
        onRefusal,
      },
    );
    expect(result.status).toBe(400);
    expect(result.body).toEqual({ error: 'invalid_target', error_description: 'unknown resource' });
    expect(onRefusal).not.toHaveBeenCalled();
    expect(setup.audited).toEqual([
      {
        type: ID_JAG_EXCHANGE_AUDIT_TYPE,
        outcome: 'deny',
        reason: 'unknown_resource',
        clientId: agent.clientId,
        subject: alice.id,
        resource: elsewhere,
        details: { error: 'invalid_target', audience: RAS },
      },
    ]);
  });

  it('[IDP-AUDIT-EXCHANGE] names no subject or resource the checks had not reached', async () => {
    const setup = exchangeSetup();
    const { record } = await refusal(setup, await exchangeParams({ audience: undefined }));
    expect(record).toEqual({
      type: ID_JAG_EXCHANGE_AUDIT_TYPE,
      outcome: 'deny',
      reason: 'missing_audience',
      clientId: agent.clientId,
      details: { error: 'invalid_request' },
    });
  });
});
