import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { haproxyExecutable } from '../src/balancer-process.js';
import { StackError } from '../src/errors.js';
import { BALANCER_ADDRESS } from '../src/haproxy-config.js';
import { postgresBinaries } from '../src/postgres-cluster.js';
import { scaledStack } from '../src/scaled-stack.js';

const dataRoot = mkdtempSync(join(tmpdir(), 'ema-scaled-'));
afterAll(() => rmSync(dataRoot, { recursive: true, force: true }));

// Every role pointed at a database of its own: no local PostgreSQL, so no initdb in these tests.
const databases = {
  IDP_DATABASE_URL: 'postgres://db.example/idp',
  RAS_DATABASE_URL: 'postgres://db.example/ras',
  MCP_DATABASE_URL: 'postgres://db.example/mcp',
};

describe('scaledStack', () => {
  it('starts two instances of each scaled role on the next ports, then the balancer on the demo ports, then the agent host', () => {
    const stack = scaledStack({ env: databases, dataRoot, mode: 'source' });
    expect(stack.processes.map((spec) => [spec.name, spec.url])).toEqual([
      ['idp-1', 'http://localhost:3101'],
      ['idp-2', 'http://localhost:3102'],
      ['authorization-server-1', 'http://localhost:3201'],
      ['authorization-server-2', 'http://localhost:3202'],
      ['mcp-server-1', 'http://localhost:3301'],
      ['mcp-server-2', 'http://localhost:3302'],
      ['balancer', 'http://localhost:3100'],
      ['agent-host', 'http://localhost:3000'],
    ]);
    expect(stack.postgresPort).toBeUndefined();
    const config = readFileSync(join(dataRoot, 'balancer', 'haproxy.cfg'), 'utf8');
    for (const port of [3100, 3200, 3300]) expect(config).toContain(`bind 127.0.0.1:${port}\n`);
    expect(config).not.toContain(':3000');
  });

  it('keeps every instance at the public URL, on its own data directory and database, with one shared RAS admin token', () => {
    const stack = scaledStack({ env: databases, dataRoot, mode: 'source' });
    const env = (name: string) => stack.processes.find((spec) => spec.name === name)?.env ?? {};
    expect(env('idp-2')).toMatchObject({
      IDP_PORT: '3102',
      IDP_DATA_DIR: join(dataRoot, 'idp-2'),
      IDP_DATABASE_URL: databases.IDP_DATABASE_URL,
    });
    expect(env('idp-2').IDP_ISSUER).toBeUndefined(); // the app's default: http://localhost:3100, the balancer
    expect(env('authorization-server-1').RAS_ADMIN_API_TOKEN).toBe(stack.rasAdminApiToken);
    expect(env('authorization-server-2').RAS_ADMIN_API_TOKEN).toBe(stack.rasAdminApiToken);
    expect(stack.rasAdminApiToken).toMatch(/^[\w-]{43}$/);
    expect(stack.apps.find((app) => app.role.name === 'mcp-server')?.address.publicUrl).toBe(
      'http://localhost:3300/mcp',
    );
  });

  it('has every instance believe the balancer’s X-Forwarded-For, and only its own role’s variable names it', () => {
    const stack = scaledStack({ env: databases, dataRoot, mode: 'source' });
    const env = (name: string) => stack.processes.find((spec) => spec.name === name)?.env ?? {};
    const trusted = (name: string) =>
      Object.fromEntries(Object.entries(env(name)).filter(([key]) => key.endsWith('_TRUSTED_PROXIES')));
    for (const index of [1, 2]) {
      expect(trusted(`idp-${index}`)).toEqual({ IDP_TRUSTED_PROXIES: BALANCER_ADDRESS });
      expect(trusted(`authorization-server-${index}`)).toEqual({ RAS_TRUSTED_PROXIES: BALANCER_ADDRESS });
      expect(trusted(`mcp-server-${index}`)).toEqual({ MCP_TRUSTED_PROXIES: BALANCER_ADDRESS });
    }
    // The agent host is not behind the balancer: it trusts no proxy.
    expect(trusted('agent-host')).toEqual({});
    const config = readFileSync(join(dataRoot, 'balancer', 'haproxy.cfg'), 'utf8');
    expect(config).toContain('option forwardfor');
    expect(config).toContain(`server idp-1 ${BALANCER_ADDRESS}:3101 check`);
  });

  it('keeps the proxies the caller trusts already in front of the balancer, and names the balancer once', () => {
    const env = { ...databases, IDP_TRUSTED_PROXIES: '10.0.0.0/8, 127.0.0.1', RAS_TRUSTED_PROXIES: '192.0.2.7' };
    const stack = scaledStack({ env, dataRoot, mode: 'source', instances: 1 });
    const instanceEnv = (name: string) => stack.processes.find((spec) => spec.name === name)?.env ?? {};
    expect(instanceEnv('idp-1').IDP_TRUSTED_PROXIES).toBe('10.0.0.0/8,127.0.0.1');
    expect(instanceEnv('authorization-server-1').RAS_TRUSTED_PROXIES).toBe('192.0.2.7,127.0.0.1');
    expect(instanceEnv('mcp-server-1').MCP_TRUSTED_PROXIES).toBe('127.0.0.1');
  });

  it('moves with EMA_PORT_OFFSET, and takes the instance ports it is given', () => {
    const env = { ...databases, EMA_PORT_OFFSET: '40000' };
    const stack = scaledStack({ env, dataRoot, mode: 'source', instances: 1, instancePorts: { idp: [50001] } });
    expect(stack.processes.map((spec) => spec.url)).toEqual([
      'http://localhost:50001',
      'http://localhost:43201',
      'http://localhost:43301',
      'http://localhost:43100',
      'http://localhost:43000',
    ]);
    expect(stack.instances.map((instance) => instance.name)).toEqual([
      'idp-1',
      'authorization-server-1',
      'mcp-server-1',
    ]);
  });

  it('runs a local PostgreSQL first when a role has no database URL, with a database for each role', () => {
    const stack = scaledStack({ env: { EMA_POSTGRES_PORT: '45999' }, dataRoot, mode: 'source' });
    const [postgres] = stack.processes;
    expect(postgres?.name).toBe('postgres');
    expect(postgres?.stopLast).toBe(true);
    expect(postgres?.stopSignal).toBe('SIGINT');
    expect(postgres?.args).toEqual(expect.arrayContaining(['-D', join(dataRoot, 'postgres'), '-p', '45999']));
    if (process.getuid?.() === 0) expect(postgres?.runAs?.name).toMatch(/^(postgres|nobody)$/);
    expect(stack.instances.map((instance) => instance.databaseUrl)).toEqual([
      'postgres://postgres@127.0.0.1:45999/idp',
      'postgres://postgres@127.0.0.1:45999/idp',
      'postgres://postgres@127.0.0.1:45999/ras',
      'postgres://postgres@127.0.0.1:45999/ras',
      'postgres://postgres@127.0.0.1:45999/mcp',
      'postgres://postgres@127.0.0.1:45999/mcp',
    ]);
  });
});

describe('the programs the scaled stack runs', () => {
  it('refuses with MISSING_PROGRAM, saying how to install, when PostgreSQL or HAProxy is not where it is looked for', () => {
    expect(() => postgresBinaries({ EMA_POSTGRES_BIN: '/nonexistent' })).toThrow(
      expect.objectContaining({ code: 'MISSING_PROGRAM', message: expect.stringContaining('EMA_POSTGRES_BIN') }),
    );
    expect(() => haproxyExecutable({ EMA_HAPROXY_BIN: '/nonexistent/haproxy' })).toThrow(
      expect.objectContaining({ code: 'MISSING_PROGRAM' }),
    );
    expect(() => scaledStack({ env: { EMA_POSTGRES_BIN: '/nonexistent' }, dataRoot, mode: 'source' })).toThrow(
      StackError,
    );
  });

  it('finds Debian’s PostgreSQL and HAProxy without being told', () => {
    expect(postgresBinaries({ PATH: '' })).toMatch(/^\/usr\/lib\/postgresql\/\d+\/bin$/);
    expect(haproxyExecutable({ PATH: '' })).toBe('/usr/sbin/haproxy');
  });
});
