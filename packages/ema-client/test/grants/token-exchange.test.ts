import {
  GRANT_TYPE_TOKEN_EXCHANGE,
  TOKEN_TYPE_ACCESS_TOKEN,
  TOKEN_TYPE_ID_JAG,
  TOKEN_TYPE_ID_TOKEN,
} from '@ema/protocol';
import { describe, expect, it } from 'vitest';
import { clientSecretBasic } from '../../src/client-authentication.js';
import {
  ClientAuthenticationError,
  IdJagMismatchError,
  InsufficientUserAuthenticationError,
  PolicyDenialError,
  SubjectTokenUnavailableError,
  TokenResponseError,
  UnreachableError,
} from '../../src/errors.js';
import { requestIdJag } from '../../src/grants/token-exchange.js';
import type { FetchLike } from '../../src/http/observer.js';
import { ASKED, idJag } from '../support/id-jag.js';

function answering(status: number, body: unknown, seen: { body?: URLSearchParams; headers?: Headers } = {}): FetchLike {
  return async (_input, init) => {
    seen.headers = new Headers(init?.headers);
    if (init?.body instanceof URLSearchParams) seen.body = init.body;
    return Response.json(body, { status });
  };
}

function exchange(fetchFn: FetchLike) {
  return requestIdJag({
    tokenEndpoint: 'https://idp.example/token',
    clientAuthentication: clientSecretBasic({ clientId: 'agent-host', clientSecret: 's' }),
    audience: ASKED.audience,
    resource: ASKED.resource,
    rasClientId: ASKED.rasClientId,
    scopes: ['tickets.read'],
    subjectToken: { token: 'id-token', type: TOKEN_TYPE_ID_TOKEN },
    fetch: fetchFn,
  });
}

const jag = idJag();
const ok = {
  issued_token_type: TOKEN_TYPE_ID_JAG,
  access_token: jag,
  token_type: 'N_A',
  expires_in: 300,
  scope: 'tickets.read',
};

describe('token exchange (RFC 8693)', () => {
  it('[AGENT-RFC8693-REQUEST] sends audience = RAS issuer, resource, scope and the subject token', async () => {
    const seen: { body?: URLSearchParams; headers?: Headers } = {};
    await exchange(answering(200, ok, seen));
    expect(Object.fromEntries(seen.body ?? [])).toEqual({
      grant_type: GRANT_TYPE_TOKEN_EXCHANGE,
      requested_token_type: TOKEN_TYPE_ID_JAG,
      audience: 'https://ras.example',
      resource: 'https://mcp.example/mcp',
      scope: 'tickets.read',
      subject_token: 'id-token',
      subject_token_type: TOKEN_TYPE_ID_TOKEN,
    });
    expect(seen.headers?.get('authorization')).toBe(`Basic ${Buffer.from('agent-host:s').toString('base64')}`);
  });

  it('[AGENT-RFC8693-TOKEN-TYPE-CASE] accepts token_type N_A in any case', async () => {
    for (const tokenType of ['N_A', 'n_a', 'N_a']) {
      await expect(exchange(answering(200, { ...ok, token_type: tokenType }))).resolves.toMatchObject({ idJag: jag });
    }
    await expect(exchange(answering(200, { ...ok, token_type: 'Bearer' }))).rejects.toBeInstanceOf(TokenResponseError);
  });

  it('[AGENT-RFC8693-ISSUED-TOKEN-TYPE] refuses any issued_token_type other than ID-JAG', async () => {
    await expect(
      exchange(answering(200, { ...ok, issued_token_type: TOKEN_TYPE_ACCESS_TOKEN })),
    ).rejects.toBeInstanceOf(TokenResponseError);
  });

  it('[AGENT-EMA-NO-FALLBACK] turns invalid_target, access_denied and invalid_scope into a policy denial', async () => {
    for (const error of ['invalid_target', 'access_denied', 'invalid_scope']) {
      const failure = await exchange(
        answering(400, { error, error_description: 'not granted by organization policy' }),
      ).catch((caught: unknown) => caught);
      expect(failure).toBeInstanceOf(PolicyDenialError);
      expect((failure as PolicyDenialError).party).toBe('idp');
    }
  });

  it('[AGENT-EMA-SESSION-EXPIRED] [AGENT-STEP-UP-HINTS] turns invalid_grant and insufficient_user_authentication into sign-in prompts, the latter with its step-up hints', async () => {
    await expect(exchange(answering(400, { error: 'invalid_grant' }))).rejects.toBeInstanceOf(
      SubjectTokenUnavailableError,
    );
    const failure = await exchange(
      answering(400, { error: 'insufficient_user_authentication', max_age: 60, acr_values: 'urn:example:mfa' }),
    ).catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(InsufficientUserAuthenticationError);
    // RFC 9470 §3: the hints travel with the error, for the host's step-up sign-in.
    expect((failure as InsufficientUserAuthenticationError).stepUp()).toEqual({
      maxAge: 60,
      acrValues: 'urn:example:mfa',
    });
    expect((failure as InsufficientUserAuthenticationError).party).toBe('idp');
  });

  it('[AGENT-RFC8693-ISSUED-TOKEN-TYPE] refuses an answer that is not an RFC 6749 §5.1 token response', async () => {
    for (const broken of [{ access_token: undefined }, { token_type: 1 }, { expires_in: '300' }, { expires_in: 0 }]) {
      await expect(exchange(answering(200, { ...ok, ...broken }))).rejects.toBeInstanceOf(TokenResponseError);
    }
  });

  it('[AGENT-EMA-NO-FALLBACK] reads an error code it does not know as a refusal, and refuses a malformed error body', async () => {
    await expect(exchange(answering(401, { error: 'invalid_client' }))).rejects.toBeInstanceOf(
      ClientAuthenticationError,
    );
    await expect(exchange(answering(400, { error: 'slow_down' }))).rejects.toThrow(/error slow_down/);
    await expect(exchange(answering(400, { error: 400 }))).rejects.toBeInstanceOf(TokenResponseError);
  });

  it('[AGENT-UNREACHABLE] treats a 5xx answer as an unavailable IdP', async () => {
    await expect(exchange(answering(503, { error: 'temporarily_unavailable' }))).rejects.toBeInstanceOf(
      UnreachableError,
    );
  });

  it('[AGENT-ID-JAG-CHECKED] accepts an ID-JAG that is what it asked for (aud and resource as strings or arrays)', async () => {
    const accepted = [
      idJag(),
      idJag({ aud: [ASKED.audience] }),
      idJag({ resource: ['https://other.example/mcp', ASKED.resource] }),
    ];
    for (const token of accepted) {
      await expect(exchange(answering(200, { ...ok, access_token: token }))).resolves.toMatchObject({ idJag: token });
    }
  });

  it('[AGENT-ID-JAG-CHECKED] refuses an ID-JAG for another RAS, resource or client, or of another type, with its claim named', async () => {
    const refused: Array<[string, string]> = [
      [idJag({ aud: 'https://evil.example' }), 'aud'],
      [idJag({ aud: [ASKED.audience, 'https://evil.example'] }), 'aud'],
      [idJag({ aud: `${ASKED.audience}/` }), 'aud'],
      [idJag({ aud: undefined }), 'aud'],
      [idJag({ resource: 'https://mcp.example/other' }), 'resource'],
      [idJag({ resource: [] }), 'resource'],
      [idJag({ resource: undefined }), 'resource'],
      [idJag({ client_id: 'someone-else' }), 'client_id'],
      [idJag({ client_id: undefined }), 'client_id'],
      [idJag({}, { typ: 'JWT' }), 'typ'],
      [idJag({}, { typ: undefined }), 'typ'],
      ['not-a-jwt', 'format'],
      [`${Buffer.from('[]').toString('base64url')}.e30.sig`, 'format'],
      [`${idJag().split('.')[0]}.bm90IGpzb24.sig`, 'format'],
    ];
    for (const [token, claim] of refused) {
      const failure = await exchange(answering(200, { ...ok, access_token: token })).catch((caught: unknown) => caught);
      expect(failure, claim).toBeInstanceOf(IdJagMismatchError);
      expect(failure).toMatchObject({ code: 'ERR_ID_JAG_MISMATCH', claim });
      // Never the token itself in the message.
      expect((failure as Error).message).not.toContain(token);
    }
  });
});
