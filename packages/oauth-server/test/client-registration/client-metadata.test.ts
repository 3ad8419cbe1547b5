import { describe, expect, it } from 'vitest';
import {
  ClientMetadataError,
  type DynamicClient,
  registerClient,
  validateClientMetadata,
  verifyClientSecret,
} from '../../src/index.js';

const base = { redirect_uris: ['http://127.0.0.1/callback'], client_name: 'Example MCP client' };

function refusal(input: unknown, source: 'registration' | 'document' = 'registration'): [string, string] {
  try {
    validateClientMetadata(input, source);
  } catch (error) {
    if (error instanceof ClientMetadataError) return [error.error, error.message];
    throw error;
  }
  throw new Error('accepted');
}

describe('client metadata (RFC 7591 §2)', () => {
  it('[KIT-RFC7591-2-METADATA] applies the defaults: authorization_code, code, client_secret_basic (none for a document)', () => {
    expect(validateClientMetadata(base, 'registration')).toEqual({
      redirectUris: ['http://127.0.0.1/callback'],
      tokenEndpointAuthMethod: 'client_secret_basic',
      grantTypes: ['authorization_code'],
      responseTypes: ['code'],
      clientName: 'Example MCP client',
    });
    expect(validateClientMetadata(base, 'document').tokenEndpointAuthMethod).toBe('none');
  });

  it.each([
    [{ client_name: 'x' }, 'invalid_redirect_uri', 'redirect_uris is required'],
    [
      { ...base, redirect_uris: ['http://app.example/cb'] },
      'invalid_redirect_uri',
      'redirect URI must use https, or http on a loopback address',
    ],
    [
      { ...base, redirect_uris: [] },
      'invalid_client_metadata',
      'redirect_uris must be a non-empty array of at most 10 strings',
    ],
    [
      { ...base, grant_types: ['client_credentials'] },
      'invalid_client_metadata',
      'grant type client_credentials is not supported',
    ],
    [
      { ...base, grant_types: ['refresh_token'] },
      'invalid_client_metadata',
      'grant_types must include authorization_code',
    ],
    [{ ...base, response_types: ['token'] }, 'invalid_client_metadata', 'response_types must be ["code"]'],
    [
      { ...base, token_endpoint_auth_method: 'private_key_jwt' },
      'invalid_client_metadata',
      'token_endpoint_auth_method private_key_jwt is not supported',
    ],
    [{ ...base, client_uri: 'javascript:alert(1)' }, 'invalid_client_metadata', 'client_uri must be an http(s) URL'],
    [
      { ...base, client_name: 'a\nb' },
      'invalid_client_metadata',
      'client_name must be a non-empty string of at most 200 printable characters',
    ],
    [[base], 'invalid_client_metadata', 'client metadata must be a JSON object'],
  ])('[KIT-RFC7591-3.2.2-ERRORS] refuses %j', (input, error, description) => {
    expect(refusal(input)).toEqual([error, description]);
  });

  it('[KIT-CIMD-NO-SHARED-SECRET] refuses a metadata document with a secret or a secret-based authentication method', () => {
    expect(refusal({ ...base, client_secret: 'x' }, 'document')[1]).toBe(
      'a client metadata document must not contain client_secret or client_secret_expires_at',
    );
    expect(refusal({ ...base, token_endpoint_auth_method: 'client_secret_basic' }, 'document')[1]).toBe(
      'token_endpoint_auth_method client_secret_basic is not supported',
    );
  });

  it('[KIT-RFC7591-3-DCR] registers a public and a confidential client; the secret is returned once and stored hashed', () => {
    const stored: DynamicClient[] = [];
    const options = { store: { insert: (client: DynamicClient) => stored.push(client) }, now: () => 1_700_000_000_000 };
    const publicClient = registerClient(
      { ...base, token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'] },
      { ...options, newClientId: () => 'dcr_public' },
    );
    expect(publicClient.response).toEqual({
      client_id: 'dcr_public',
      client_id_issued_at: 1_700_000_000,
      redirect_uris: ['http://127.0.0.1/callback'],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      client_name: 'Example MCP client',
    });
    const confidential = registerClient(base, options);
    expect(confidential.response.client_id).toMatch(/^dcr_[A-Za-z0-9_-]{22}$/);
    expect(confidential.response.client_secret_expires_at).toBe(0);
    const secret = confidential.response.client_secret ?? '';
    expect(stored[1]?.secretHash).not.toContain(secret);
    expect(verifyClientSecret(secret, stored[1]?.secretHash ?? '')).toBe(true);
    expect(stored[0]?.secretHash).toBeNull();
  });
});
