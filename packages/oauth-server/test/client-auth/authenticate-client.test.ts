import { describe, expect, it } from 'vitest';
import { authenticateClient, InvalidClientError, InvalidRequestError, type OAuthError } from '../../src/index.js';
import { basic, CONFIDENTIAL_SECRET, findClient } from '../fixtures.js';

function params(entries: Record<string, string> = {}): Map<string, string> {
  return new Map(Object.entries(entries));
}

function refusal(run: () => unknown): OAuthError {
  try {
    run();
  } catch (error) {
    return error as OAuthError;
  }
  throw new Error('expected a refusal');
}

describe('authenticateClient', () => {
  it('[KIT-RFC6749-2.3.1-BASIC] accepts client_secret_basic with form-url-encoded special characters', () => {
    const result = authenticateClient(
      { authorization: basic('agent:host', CONFIDENTIAL_SECRET), params: params() },
      findClient,
    );
    expect(result.method).toBe('client_secret_basic');
    expect(result.client.name).toBe('Agent host');
  });

  it('[KIT-RFC6749-2.3.1-BASIC] decodes + as a space and accepts a lower-case scheme', () => {
    const header = `basic ${Buffer.from('simple:simple-secret').toString('base64')}`;
    expect(authenticateClient({ authorization: header, params: params() }, findClient).client.clientId).toBe('simple');
    const spaced = refusal(() =>
      authenticateClient(
        { authorization: `Basic ${Buffer.from('simple:simple+secret').toString('base64')}`, params: params() },
        findClient,
      ),
    );
    expect(spaced.error).toBe('invalid_client');
  });

  it('[KIT-RFC6749-2.3.1-POST] accepts client_secret_post', () => {
    const result = authenticateClient(
      { authorization: undefined, params: params({ client_id: 'agent:host', client_secret: CONFIDENTIAL_SECRET }) },
      findClient,
    );
    expect(result.method).toBe('client_secret_post');
    expect(result.client.clientId).toBe('agent:host');
  });

  it('[KIT-RFC6749-2.3-ONE-METHOD] refuses Basic and client_secret in the body at once', () => {
    const error = refusal(() =>
      authenticateClient(
        { authorization: basic('simple', 'simple-secret'), params: params({ client_secret: 'simple-secret' }) },
        findClient,
      ),
    );
    expect(error).toBeInstanceOf(InvalidRequestError);
  });

  it('accepts a body client_id equal to the Basic one and refuses a different one', () => {
    const input = { authorization: basic('simple', 'simple-secret'), params: params({ client_id: 'simple' }) };
    expect(authenticateClient(input, findClient).method).toBe('client_secret_basic');
    const other = { authorization: basic('simple', 'simple-secret'), params: params({ client_id: 'agent:host' }) };
    expect(refusal(() => authenticateClient(other, findClient))).toBeInstanceOf(InvalidRequestError);
  });

  it('[KIT-RFC6749-5.2-INVALID-CLIENT-401] refuses a wrong Basic secret with 401 and WWW-Authenticate', () => {
    const error = refusal(() =>
      authenticateClient({ authorization: basic('simple', 'wrong'), params: params() }, findClient, { realm: 'ras' }),
    );
    expect(error).toBeInstanceOf(InvalidClientError);
    expect(error.status).toBe(401);
    expect(error.headers).toEqual({ 'WWW-Authenticate': 'Basic realm="ras"' });
  });

  it('[KIT-RFC6749-5.2-INVALID-CLIENT-401] refuses a wrong post secret and an unknown client without a Basic challenge', () => {
    for (const body of [
      { client_id: 'simple', client_secret: 'wrong' },
      { client_id: 'nobody', client_secret: 'x' },
    ]) {
      const error = refusal(() => authenticateClient({ authorization: undefined, params: params(body) }, findClient));
      expect(error.error).toBe('invalid_client');
      expect(error.headers).toEqual({});
    }
  });

  it('[KIT-RFC6749-3.2.1-CONFIDENTIAL-AUTH] refuses a public client and a request without credentials', () => {
    const publicClient = refusal(() =>
      authenticateClient({ authorization: undefined, params: params({ client_id: 'public-app' }) }, findClient),
    );
    expect(publicClient.error).toBe('invalid_client');
    const publicWithSecret = refusal(() =>
      authenticateClient({ authorization: basic('public-app', 'anything'), params: params() }, findClient),
    );
    expect(publicWithSecret.error).toBe('invalid_client');
    expect(refusal(() => authenticateClient({ authorization: undefined, params: params() }, findClient)).status).toBe(
      401,
    );
  });

  it('[KIT-RFC6749-2.3.1-BASIC] refuses malformed Basic headers as invalid_client', () => {
    for (const header of [
      'Basic',
      'Basic ',
      'Basic !!!!',
      'Basic abc',
      `Basic ${Buffer.from('no-colon').toString('base64')}`,
      `Basic ${Buffer.from(':secret').toString('base64')}`,
      `Basic ${Buffer.from('id:').toString('base64')}`,
      `Basic ${Buffer.from('id%zz:secret').toString('base64')}`,
      'Bearer abc',
    ]) {
      const error = refusal(() => authenticateClient({ authorization: header, params: params() }, findClient));
      expect(error.error, header).toBe('invalid_client');
    }
  });

  it('[KIT-RFC6749-5.2-INVALID-CLIENT-401] answers a Basic header without credentials with the Basic challenge', () => {
    for (const header of ['Basic', 'basic', 'Basic ']) {
      const error = refusal(() =>
        authenticateClient({ authorization: header, params: params() }, findClient, { realm: 'ras' }),
      );
      expect({ status: error.status, headers: error.headers, body: error.toResponseBody() }, header).toEqual({
        status: 401,
        headers: { 'WWW-Authenticate': 'Basic realm="ras"' },
        body: { error: 'invalid_client', error_description: 'malformed Basic credentials' },
      });
    }
  });

  it('refuses a method the endpoint does not allow', () => {
    const error = refusal(() =>
      authenticateClient(
        { authorization: undefined, params: params({ client_id: 'simple', client_secret: 'simple-secret' }) },
        findClient,
        { methods: ['client_secret_basic'] },
      ),
    );
    expect(error.error).toBe('invalid_client');
  });

  it('leaves the parameters untouched', () => {
    const body = params({ client_id: 'simple', client_secret: 'simple-secret', grant_type: 'x' });
    authenticateClient({ authorization: undefined, params: body }, findClient);
    expect([...body.keys()]).toEqual(['client_id', 'client_secret', 'grant_type']);
  });
});
