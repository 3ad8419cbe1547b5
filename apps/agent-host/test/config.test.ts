import { ConfigError } from '@ema/oauth-server/runtime';
import { describe, expect, it } from 'vitest';
import { loadAgentHostConfig } from '../src/config.js';
import { readAgentHostEnv } from '../src/env.js';

describe('configuration', () => {
  it('[AGENT-CONFIG-FAIL-FAST] has the demo world as defaults (with the loopback opt-out)', () => {
    const config = loadAgentHostConfig({ allowInsecureLoopback: true, dataDir: ':memory:' });
    expect(config.baseUrl).toBe('http://localhost:3000');
    expect(config.idp).toMatchObject({
      issuer: 'http://localhost:3100',
      clientId: 'agent-host',
      accountUrl: 'http://localhost:3100/account',
    });
    expect(config.rasCredentials).toEqual({
      'http://localhost:3200': { clientId: 'acme-agent-host', clientSecret: 'acme-agent-host-dev-secret' },
    });
    expect(config.servers).toEqual([{ id: 'acme-tickets', name: 'Acme Tickets', url: 'http://localhost:3300/mcp' }]);
  });

  it('[AGENT-CONFIG-FAIL-FAST] refuses http without the opt-out, and names the option', () => {
    expect(() => loadAgentHostConfig({ dataDir: ':memory:' })).toThrow(ConfigError);
    expect(() => loadAgentHostConfig({ dataDir: ':memory:' })).toThrow(/^baseUrl: /);
    expect(() =>
      loadAgentHostConfig({
        allowInsecureLoopback: true,
        dataDir: ':memory:',
        servers: 'Evil=http://evil.example/mcp',
      }),
    ).toThrow(/^servers\[0\]\.url: /);
    expect(() => loadAgentHostConfig({ allowInsecureLoopback: true, port: 'x' })).toThrow(/^port: /);
    expect(() =>
      loadAgentHostConfig({ allowInsecureLoopback: true, dataDir: ':memory:', idp: { accountUrl: 'javascript:x' } }),
    ).toThrow(/^idp\.accountUrl: /);
    expect(() => loadAgentHostConfig({ allowInsecureLoopback: true, sessionSecret: 'short' })).toThrow(
      /^sessionSecret: /,
    );
  });

  it('[AGENT-CONFIG-FAIL-FAST] reads the catalog and RAS credentials from the environment', () => {
    const input = readAgentHostEnv({
      AGENT_MCP_SERVERS: 'Acme Tickets=https://tickets.example/mcp,Wiki=https://wiki.example/mcp',
      AGENT_RAS_CREDENTIALS: JSON.stringify({ 'https://as.wiki.example': { clientId: 'w', clientSecret: 's' } }),
      AGENT_RAS_ISSUER: 'https://as.example',
      AGENT_RAS_CLIENT_ID: 'acme-agent-host',
      AGENT_RAS_CLIENT_SECRET: 'secret',
      AGENT_BASE_URL: 'https://agent.example',
      AGENT_IDP_ISSUER: 'https://idp.example',
    });
    const config = loadAgentHostConfig({ ...input, dataDir: ':memory:' });
    expect(config.servers.map((server) => server.id)).toEqual(['acme-tickets', 'wiki']);
    expect(Object.keys(config.rasCredentials)).toEqual(['https://as.wiki.example', 'https://as.example']);
    const json = loadAgentHostConfig({
      ...readAgentHostEnv({ AGENT_MCP_SERVERS: '[{"name":"Acme Tickets","url":"https://t.example/mcp","id":"t"}]' }),
      baseUrl: 'https://agent.example',
      idp: { issuer: 'https://idp.example' },
      rasCredentials: { 'https://as.example': { clientId: 'a', clientSecret: 'b' } },
      dataDir: ':memory:',
    });
    expect(json.servers).toEqual([{ id: 't', name: 'Acme Tickets', url: 'https://t.example/mcp' }]);
  });
});
