import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoBanner } from '../src/banner.js';
import { demoStack } from '../src/demo-stack.js';
import { DEMO_ROLES } from '../src/roles.js';

describe('demoStack', () => {
  it('starts the four roles in order: the IdP, the RAS, the MCP server, the agent host', () => {
    const apps = demoStack({ env: {}, dataRoot: '/data', mode: 'source' });
    expect(apps.map((app) => [app.spec.name, app.spec.url])).toEqual([
      ['idp', 'http://localhost:3100'],
      ['authorization-server', 'http://localhost:3200'],
      ['mcp-server', 'http://localhost:3300'],
      ['agent-host', 'http://localhost:3000'],
    ]);
    expect(apps.map((app) => app.role)).toEqual(DEMO_ROLES);
  });

  it('gives each app production mode, the loopback opt-out and a data directory under the data root by default', () => {
    const [idp] = demoStack({ env: { PATH: '/bin', IDP_LOG_LEVEL: 'warn' }, dataRoot: '/data', mode: 'source' });
    expect(idp?.spec.env).toEqual({
      PATH: '/bin',
      IDP_LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      EMA_DEV_ALLOW_INSECURE_LOOPBACK: '1',
      IDP_DATA_DIR: join('/data', 'idp'),
    });
  });

  it('keeps what the environment sets: data directory, NODE_ENV, the opt-out, the port', () => {
    const env = {
      RAS_DATA_DIR: '/elsewhere',
      NODE_ENV: 'development',
      EMA_DEV_ALLOW_INSECURE_LOOPBACK: '0',
      RAS_PORT: '4200',
    };
    const ras = demoStack({ env, dataRoot: '/data', mode: 'source' })[1];
    expect(ras?.spec.env).toMatchObject(env);
    expect(ras?.spec.url).toBe('http://localhost:4200');
    expect(ras?.address.publicUrl).toBe('http://localhost:3200');
  });
});

describe('demoBanner', () => {
  it('names every URL, the demo accounts, the data root and the loopback opt-out', () => {
    const env = { MCP_RESOURCE: 'http://localhost:3300/mcp', IDP_ISSUER: 'http://localhost:3100' };
    const banner = demoBanner(demoStack({ env, dataRoot: '/data/demo', mode: 'source' }), '/data/demo');
    expect(banner).toContain('Open the agent host:        http://localhost:3000');
    expect(banner).toContain('IdP (admin console):        http://localhost:3100/admin');
    expect(banner).toContain('Authorization server:       http://localhost:3200');
    expect(banner).toContain('MCP server "Acme Tickets":  http://localhost:3300/mcp');
    for (const account of [
      'alice / alice-password',
      'bob   / bob-password',
      'carol / carol-password',
      'admin / admin-password',
    ]) {
      expect(banner).toContain(account);
    }
    expect(banner).toContain('EMA_DEV_ALLOW_INSECURE_LOOPBACK=1');
    expect(banner).toContain('Data: /data/demo    Press Ctrl-C to stop.');
  });

  it('[DEV-SECRETS-GENERATED] shows the admin token the RAS generated at this boot, read from its data directory', () => {
    const dataRoot = mkdtempSync(join(tmpdir(), 'ema-banner-'));
    const apps = demoStack({ env: {}, dataRoot, mode: 'source' });
    expect(demoBanner(apps, dataRoot)).toContain('RAS admin API token:  (none: RAS_ADMIN_API_TOKEN is configured');
    mkdirSync(join(dataRoot, 'authorization-server'));
    writeFileSync(join(dataRoot, 'authorization-server', 'admin-api-token'), 'generated-token-of-this-boot\n');
    const banner = demoBanner(apps, dataRoot);
    expect(banner).toContain('RAS admin API token:  generated-token-of-this-boot   (new at each start)');
    expect(banner).not.toContain('ras-admin-dev-token-for-loopback-only');
  });

  it('says nothing of the opt-out when it is off', () => {
    const apps = demoStack({ env: { EMA_DEV_ALLOW_INSECURE_LOOPBACK: '0' }, dataRoot: '/d', mode: 'source' });
    expect(demoBanner(apps, '/d')).not.toContain('EMA_DEV_ALLOW_INSECURE_LOOPBACK');
  });

  it('moves the whole demo world with EMA_PORT_OFFSET: each role and every reference between roles', () => {
    const apps = demoStack({ env: { EMA_PORT_OFFSET: '1000' }, dataRoot: '/data', mode: 'source' });
    expect(apps.map((app) => app.spec.url)).toEqual([
      'http://localhost:4100',
      'http://localhost:4200',
      'http://localhost:4300',
      'http://localhost:4000',
    ]);
    const env = apps[0]?.spec.env ?? {};
    expect(env).toMatchObject({
      IDP_PORT: '4100',
      IDP_DEMO_AGENT_HOST_URL: 'http://localhost:4000',
      RAS_TRUSTED_IDP_ISSUER: 'http://localhost:4100',
      MCP_AUTHORIZATION_SERVER: 'http://localhost:4200',
      AGENT_RAS_ISSUER: 'http://localhost:4200',
    });
    expect(JSON.parse(env.AGENT_MCP_SERVERS ?? '[]')).toEqual([
      { id: 'acme-tickets', name: 'Acme Tickets', url: 'http://localhost:4300/mcp' },
    ]);
  });

  it('refuses an offset that is not a whole number or would leave the port range', () => {
    for (const offset of ['-1', '1.5', 'x', '70000']) {
      expect(() => demoStack({ env: { EMA_PORT_OFFSET: offset }, dataRoot: '/data', mode: 'source' })).toThrow(
        /EMA_PORT_OFFSET/,
      );
    }
  });
});
