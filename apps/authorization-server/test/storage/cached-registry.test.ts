import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openRasStorage, type RasStorage } from '../../src/storage/ras-storage.js';

describe('registry caches', () => {
  const opened: RasStorage[] = [];
  let dir: string | undefined;
  afterEach(() => {
    for (const storage of opened.splice(0)) storage.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  const open = (): RasStorage => {
    dir ??= mkdtempSync(join(tmpdir(), 'ras-registry-cache-'));
    const storage = openRasStorage(dir);
    opened.push(storage);
    return storage;
  };
  const idp = { issuer: 'https://idp.example', jwksUri: 'https://idp.example/jwks', algorithms: ['ES256'] };
  const resource = { resource: 'https://mcp.example/mcp', name: 'MCP', scopes: ['read', 'write'] };
  const client = { clientId: 'agent', name: 'Agent', secretHash: 'sha256:one' };

  const seed = (storage: RasStorage) => {
    storage.registry.upsertTrustedIdp(idp, 1);
    storage.registry.upsertResource(resource, 1);
    storage.registry.insertClient(client, 1);
    storage.registry.upsertClientGrant({ clientId: 'agent', resource: resource.resource, scopes: ['read'] });
  };

  it('[RAS-REGISTRY-LIVE] a write through the same storage takes effect at the next lookup', () => {
    const storage = open();
    seed(storage);
    const { registry } = storage;
    // Warm the caches.
    expect(registry.findTrustedIdp(idp.issuer)?.algorithms).toEqual(['ES256']);
    expect(registry.findClient('agent')?.secretHash).toBe('sha256:one');
    expect(registry.findResourceForClient(resource.resource, 'agent')?.clientScopes).toEqual(['read']);

    registry.upsertTrustedIdp({ ...idp, algorithms: ['ES384'] }, 2);
    expect(registry.findTrustedIdp(idp.issuer)?.algorithms).toEqual(['ES384']);
    registry.setClientSecretHash('agent', 'sha256:two');
    expect(registry.findClient('agent')?.secretHash).toBe('sha256:two');
    registry.upsertClientGrant({ clientId: 'agent', resource: resource.resource, scopes: ['read', 'write'] });
    expect(registry.findResourceForClient(resource.resource, 'agent')?.clientScopes).toEqual(['read', 'write']);
    registry.deleteClientGrant('agent', resource.resource);
    expect(registry.findResourceForClient(resource.resource, 'agent')?.clientScopes).toBeUndefined();
    registry.deleteResource(resource.resource);
    expect(registry.findResourceForClient(resource.resource, 'agent')).toBeUndefined();
    registry.deleteClient('agent');
    expect(registry.findClient('agent')).toBeUndefined();
    registry.deleteTrustedIdp(idp.issuer);
    expect(registry.findTrustedIdp(idp.issuer)).toBeUndefined();
  });

  // A new request is always read in a later event-loop turn than the one that saw the previous version.
  const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

  it('[RAS-REGISTRY-LIVE] a write by another connection on the same file (another instance) takes effect at the next request', async () => {
    const first = open();
    const second = open();
    seed(first);
    // Warm the second instance's caches.
    expect(second.registry.findTrustedIdp(idp.issuer)?.jwksUri).toBe(idp.jwksUri);
    expect(second.registry.findClient('agent')?.secretHash).toBe('sha256:one');
    expect(second.registry.findResourceForClient(resource.resource, 'agent')?.clientScopes).toEqual(['read']);

    first.registry.setClientSecretHash('agent', 'sha256:two');
    await nextTurn();
    expect(second.registry.findClient('agent')?.secretHash).toBe('sha256:two');
    first.registry.upsertClientGrant({ clientId: 'agent', resource: resource.resource, scopes: ['write'] });
    await nextTurn();
    expect(second.registry.findResourceForClient(resource.resource, 'agent')?.clientScopes).toEqual(['write']);
    first.registry.deleteTrustedIdp(idp.issuer);
    await nextTurn();
    expect(second.registry.findTrustedIdp(idp.issuer)).toBeUndefined();
    first.registry.deleteClient('agent');
    await nextTurn();
    expect(second.registry.findClient('agent')).toBeUndefined();
  });

  it('serves repeated lookups from memory without re-reading unchanged rows', () => {
    const storage = open();
    seed(storage);
    const a = storage.registry.findResourceForClient(resource.resource, 'agent');
    const b = storage.registry.findResourceForClient(resource.resource, 'agent');
    expect(b).toBe(a);
    expect(storage.registry.findClient('agent')).toBe(storage.registry.findClient('agent'));
    // Cached values are frozen: no caller can change what the next request sees.
    expect(Object.isFrozen(a?.resourceScopes)).toBe(true);
  });

  it('[RAS-REGISTRY-LIVE] never remembers a miss: a client registered later is found', async () => {
    const first = open();
    const second = open();
    expect(second.registry.findClient('agent')).toBeUndefined();
    first.registry.insertClient(client, 1);
    await nextTurn();
    expect(second.registry.findClient('agent')?.clientId).toBe('agent');
  });
});
