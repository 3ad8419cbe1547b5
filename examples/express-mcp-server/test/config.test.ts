import { describe, expect, it } from 'vitest';
import { ConfigError, defaultConfig, resolveConfig } from '../src/config.js';
import { configFromEnv } from '../src/env.js';

const dev = { allowInsecureLoopback: true };

function refusal(input: Parameters<typeof resolveConfig>[0]): string {
  try {
    resolveConfig(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('accepted');
}

describe('resolveConfig', () => {
  it('keeps the documented defaults under the development opt-out, the JWKS following the authorization server', () => {
    expect(resolveConfig(dev)).toStrictEqual({ ...defaultConfig, ...dev });
    expect(resolveConfig({ ...dev, authorizationServer: 'https://ras.example' }).rasJwksUri).toBe(
      'https://ras.example/jwks.json',
    );
  });

  it('refuses plain http without the opt-out, and anywhere but loopback', () => {
    expect(refusal({})).toBe(
      'resource: http is allowed only for loopback hosts with EMA_DEV_ALLOW_INSECURE_LOOPBACK=1',
    );
    expect(refusal({ ...dev, authorizationServer: 'http://ras.example' })).toBe(
      'authorizationServer: must use https (http is loopback-only)',
    );
    expect(
      resolveConfig({ resource: 'https://notes.example/mcp', authorizationServer: 'https://ras.example' }),
    ).toBeDefined();
  });

  it('refuses a resource identifier the metadata location cannot be derived from', () => {
    expect(refusal({ ...dev, resource: 'http://localhost:3400/mcp?x=1' })).toBe(
      'resource: must not carry a query or fragment',
    );
    expect(refusal({ ...dev, resource: 'http://localhost:3400/' })).toMatch(/^resource: must name the MCP endpoint/);
    expect(refusal({ ...dev, resource: 'http://LOCALHOST:3400/mcp' })).toMatch(/^resource: must be in canonical form/);
  });

  it('refuses a bad port and symmetric or no algorithms', () => {
    expect(refusal({ ...dev, port: Number('abc') })).toMatch(/^port:/);
    expect(refusal({ ...dev, algorithms: ['HS256'] })).toMatch(/^algorithms:/);
    expect(refusal({ ...dev, algorithms: [] })).toMatch(/^algorithms:/);
  });
});

describe('configFromEnv', () => {
  it('reads the NOTES_* variables and the named opt-out only', () => {
    expect(
      configFromEnv({
        NOTES_PORT: '3401',
        NOTES_RESOURCE: 'https://notes.example/mcp',
        NOTES_AUTHORIZATION_SERVER: 'https://ras.example',
        EMA_DEV_ALLOW_INSECURE_LOOPBACK: 'true',
      }),
    ).toStrictEqual({
      port: 3401,
      host: undefined,
      resource: 'https://notes.example/mcp',
      authorizationServer: 'https://ras.example',
      rasJwksUri: undefined,
      allowInsecureLoopback: false,
    });
  });
});
