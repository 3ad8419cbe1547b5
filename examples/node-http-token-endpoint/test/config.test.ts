import { ConfigError } from '@ema/oauth-server/runtime';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

const base = { EMA_DEV_ALLOW_INSECURE_LOOPBACK: '1', TOKEN_ENDPOINT_CLIENT_SECRET: 'a-client-secret-of-some-length' };

/** The message of the ConfigError `load` throws. */
function configError(load: () => unknown): string {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('defaults to the demo world: the IdP at :3100, Acme Tickets, the agent host as client', () => {
    expect(loadConfig(base)).toMatchObject({
      port: 3400,
      issuer: 'http://localhost:3400',
      trustedIdp: { issuer: 'http://localhost:3100', jwksUri: 'http://localhost:3100/jwks', algorithms: ['ES256'] },
      resource: 'http://localhost:3300/mcp',
      scopes: ['tickets.read', 'tickets.write'],
      client: { clientId: 'acme-agent-host' },
    });
  });

  it('[RAS-TRANSPORT-SECURITY] refuses http without the named loopback opt-out, and on any other host', () => {
    expect(configError(() => loadConfig({ TOKEN_ENDPOINT_CLIENT_SECRET: base.TOKEN_ENDPOINT_CLIENT_SECRET }))).toMatch(
      /^TOKEN_ENDPOINT_ISSUER: .*EMA_DEV_ALLOW_INSECURE_LOOPBACK=1/,
    );
    expect(configError(() => loadConfig({ ...base, TOKEN_ENDPOINT_IDP_ISSUER: 'http://idp.example' }))).toMatch(
      /^TOKEN_ENDPOINT_IDP_ISSUER: must use https/,
    );
  });

  it('[RAS-IDJAG-4.4.1-NOT-OWN-ISSUER] refuses to trust its own issuer as the IdP', () => {
    expect(configError(() => loadConfig({ ...base, TOKEN_ENDPOINT_IDP_ISSUER: 'http://localhost:3400' }))).toMatch(
      /^TOKEN_ENDPOINT_IDP_ISSUER: /,
    );
  });

  it('[RAS-CONFIG-FAIL-FAST] fails fast naming the variable: no client secret, an IdP scope, a trailing slash', () => {
    expect(configError(() => loadConfig({ EMA_DEV_ALLOW_INSECURE_LOOPBACK: '1' }))).toMatch(
      /^TOKEN_ENDPOINT_CLIENT_SECRET: /,
    );
    expect(configError(() => loadConfig({ ...base, TOKEN_ENDPOINT_SCOPES: 'openid tickets.read' }))).toMatch(
      /^TOKEN_ENDPOINT_SCOPES: openid belongs to the IdP/,
    );
    expect(configError(() => loadConfig({ ...base, TOKEN_ENDPOINT_ISSUER: 'http://localhost:3400/' }))).toMatch(
      /^TOKEN_ENDPOINT_ISSUER: must not end with a slash/,
    );
  });
});
