import { ConfigError } from '@ema/oauth-server/runtime';
import { ACR_MULTI_FACTOR } from '@ema/protocol';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config.js';
import { configFromEnv } from '../src/env.js';

const dev = { allowInsecureLoopback: true, dataDir: '/tmp/ema-mcp-config-test' };

describe('resolveConfig', () => {
  it('[JWT-JWKS-STALE-BOUND] defaults to the demo world of docs/demo-world.md (the RAS keys serve stale for at most an hour)', () => {
    expect(resolveConfig(dev)).toStrictEqual({
      port: 3300,
      host: 'localhost',
      resource: 'http://localhost:3300/mcp',
      resourceName: 'Acme Tickets',
      authorizationServer: 'http://localhost:3200',
      rasJwksUri: 'http://localhost:3200/jwks.json',
      rasJwksStaleIfErrorSeconds: 3600,
      algorithms: ['ES256'],
      clockToleranceSeconds: 30,
      dpopRequired: false,
      dpopNonces: false,
      dataDir: '/tmp/ema-mcp-config-test',
      databaseUrl: undefined,
      logLevel: 'info',
      allowedHosts: null,
      allowedOrigins: null,
      trustedProxies: [],
      maxSessions: 1000,
      maxSessionsPerSubject: 10,
      maxSessionsPerClient: 500,
      sessionIdleTimeoutSeconds: 1800,
      rateLimitPerAddress: 12_000,
      rateLimitPerSubject: 1200,
      ssfMaxEventAgeSeconds: 300,
      revocationRetentionSeconds: 86_400,
      allowInsecureLoopback: true,
      toolAuthentication: {
        create_ticket: { acrValues: [ACR_MULTI_FACTOR] },
        update_ticket: { acrValues: [ACR_MULTI_FACTOR] },
      },
    });
  });

  it('derives the JWKS location from an overridden RAS issuer unless given', () => {
    expect(resolveConfig({ ...dev, authorizationServer: 'http://127.0.0.1:4200' }).rasJwksUri).toBe(
      'http://127.0.0.1:4200/jwks.json',
    );
    expect(
      resolveConfig({ ...dev, authorizationServer: 'http://127.0.0.1:4200', rasJwksUri: 'http://127.0.0.1:4200/keys' })
        .rasJwksUri,
    ).toBe('http://127.0.0.1:4200/keys');
  });

  it.each([
    [{ resource: 'not a url' }, 'resource: must be an absolute URL'],
    [{ resource: 'http://localhost:3300/mcp/' }, 'resource: must name the MCP endpoint path'],
    [{ resource: 'http://localhost:3300' }, 'resource: must name the MCP endpoint path'],
    [{ resource: 'http://localhost:3300/mcp#x' }, 'resource: must not carry a query or fragment'],
    [{ port: 70000 }, 'port: must be an integer between 0 and 65535'],
    [{ maxSessions: 0 }, 'maxSessions: must be an integer between 1 and 1000000'],
    [{ maxSessionsPerSubject: 0 }, 'maxSessionsPerSubject: must be an integer between 1 and 1000000'],
    [{ maxSessionsPerClient: 0 }, 'maxSessionsPerClient: must be an integer between 1 and 1000000'],
    [{ rasJwksStaleIfErrorSeconds: -1 }, 'rasJwksStaleIfErrorSeconds: must be an integer between 0 and 604800'],
    [{ algorithms: ['HS256'] }, 'algorithms[0]: must be asymmetric'],
    [{ algorithms: [] }, 'algorithms: must list at least one algorithm'],
    [{ databaseUrl: 'mysql://u:secret@db/mcp' }, 'databaseUrl: must be a postgres:// or postgresql:// URL'],
    [{ allowedOrigins: ['http://localhost:3000/path'] }, 'allowedOrigins[0]: must be an origin'],
    [{ allowedHosts: ['bad host'] }, 'allowedHosts[0]: must be host[:port]'],
    [{ toolAuthentication: { delete_everything: {} } }, 'toolAuthentication.delete_everything: no such tool'],
    [{ toolAuthentication: { create_ticket: { acrValues: [] } } }, 'toolAuthentication.create_ticket.acrValues'],
    [
      { toolAuthentication: { create_ticket: { maxAgeSeconds: -1 } } },
      'toolAuthentication.create_ticket.maxAgeSeconds',
    ],
  ])('fails fast with the option path (%o)', (input, message) => {
    expect(() => resolveConfig({ ...dev, ...input })).toThrow(ConfigError);
    expect(() => resolveConfig({ ...dev, ...input })).toThrow(message);
  });

  it('refuses http URLs without the named development opt-out', () => {
    expect(() => resolveConfig({ dataDir: dev.dataDir })).toThrow(/^resource: /);
    expect(() =>
      resolveConfig({
        dataDir: dev.dataDir,
        resource: 'https://tickets.example/mcp',
        authorizationServer: 'http://as.example',
      }),
    ).toThrow(/^authorizationServer: /);
  });
});

describe('configFromEnv', () => {
  it('reads the MCP_* variables and the shared opt-out', () => {
    expect(
      configFromEnv({
        MCP_PORT: '4300',
        MCP_HOST: '0.0.0.0',
        MCP_RESOURCE: 'http://localhost:4300/mcp',
        MCP_AUTHORIZATION_SERVER: 'http://localhost:4200',
        MCP_RAS_JWKS_URI: 'http://localhost:4200/jwks.json',
        MCP_RAS_JWKS_STALE_IF_ERROR_SECONDS: '120',
        MCP_DATA_DIR: '/tmp/x',
        MCP_DATABASE_URL: 'postgres://mcp@db.example/ema',
        MCP_ALLOWED_HOSTS: 'localhost:4300, tickets.example',
        MCP_ALLOWED_ORIGINS: 'http://localhost:4000',
        MCP_SESSION_IDLE_TIMEOUT_SECONDS: '60',
        MCP_MAX_SESSIONS_PER_SUBJECT: '3',
        MCP_MAX_SESSIONS_PER_CLIENT: '40',
        EMA_DEV_ALLOW_INSECURE_LOOPBACK: '1',
      }),
    ).toMatchObject({
      port: 4300,
      host: '0.0.0.0',
      resource: 'http://localhost:4300/mcp',
      authorizationServer: 'http://localhost:4200',
      rasJwksUri: 'http://localhost:4200/jwks.json',
      rasJwksStaleIfErrorSeconds: 120,
      dataDir: '/tmp/x',
      databaseUrl: 'postgres://mcp@db.example/ema',
      allowedHosts: ['localhost:4300', 'tickets.example'],
      allowedOrigins: ['http://localhost:4000'],
      sessionIdleTimeoutSeconds: 60,
      maxSessionsPerSubject: 3,
      maxSessionsPerClient: 40,
      allowInsecureLoopback: true,
    });
  });

  it("[MCP-RFC9470-TOOL-STEP-UP] reads the tools' sign-in requirements from MCP_TOOL_AUTHENTICATION (JSON)", () => {
    expect(
      configFromEnv({ MCP_TOOL_AUTHENTICATION: '{"update_ticket":{"acrValues":["x"],"maxAgeSeconds":600}}' })
        .toolAuthentication,
    ).toEqual({ update_ticket: { acrValues: ['x'], maxAgeSeconds: 600 } });
    expect(configFromEnv({ MCP_TOOL_AUTHENTICATION: '{}' }).toolAuthentication).toEqual({});
    expect(() => configFromEnv({ MCP_TOOL_AUTHENTICATION: 'mfa please' })).toThrow('toolAuthentication: must be JSON');
    expect(() => configFromEnv({ MCP_TOOL_AUTHENTICATION: '[]' })).toThrow('toolAuthentication: must be a JSON object');
  });

  it('leaves unset variables to the defaults and names a bad one', () => {
    expect(configFromEnv({})).toMatchObject({ port: undefined, allowInsecureLoopback: false });
    expect(() => configFromEnv({ MCP_PORT: 'eighty' })).toThrow('MCP_PORT: must be a non-negative integer');
  });
});
