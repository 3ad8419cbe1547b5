import { describe, expect, it } from 'vitest';
import { clientIdOnly, clientSecretBasic, clientSecretPost } from '../src/client-authentication.js';

function apply(authentication: (headers: Headers, params: URLSearchParams) => void) {
  const headers = new Headers();
  const params = new URLSearchParams({ grant_type: 'g' });
  authentication(headers, params);
  return { authorization: headers.get('authorization'), params: Object.fromEntries(params) };
}

describe('client authentication strategies', () => {
  it('[AGENT-RFC6749-2.3.1-BASIC] form-encodes id and secret before base64 in client_secret_basic', () => {
    const { authorization, params } = apply(clientSecretBasic({ clientId: 'host:1', clientSecret: 's p%c:é' }));
    const decoded = atob(authorization?.replace(/^Basic /, '') ?? '');
    expect(decoded).toBe('host%3A1:s+p%25c%3A%C3%A9');
    expect(params).toEqual({ grant_type: 'g' });
  });

  it('[AGENT-RFC6749-2.3.1-BASIC] puts id and secret in the form for client_secret_post, and only the id for a public client', () => {
    expect(apply(clientSecretPost({ clientId: 'host', clientSecret: 's' }))).toEqual({
      authorization: null,
      params: { grant_type: 'g', client_id: 'host', client_secret: 's' },
    });
    expect(apply(clientIdOnly('host'))).toEqual({
      authorization: null,
      params: { grant_type: 'g', client_id: 'host' },
    });
  });
});
