/**
 * The RAS stores on both databases (SQLite and PostgreSQL, the same queries): what each keeps, and what a second
 * connection (another instance of the RAS on the same database) sees of it.
 */
import type { ValidatedClientMetadata } from '@ema/oauth-server';
import { afterEach, describe, expect, it } from 'vitest';
import type { PendingAuthorization } from '../../src/interactive/storage/pending-authorizations.js';
import { createSqliteCutOffStorage } from '../../src/revocation/cutoff-storage.js';
import { createSqliteResourceReceiverStorage } from '../../src/revocation/resource-receivers.js';
import { createSqliteSsfSubscriptionStorage } from '../../src/revocation/ssf-subscriptions.js';
import { purgeExpired } from '../../src/storage/purge.js';
import type { RasStorage } from '../../src/storage/ras-storage.js';
import { type OpenedRasStore, RAS_STORES } from '../support/ras-stores.js';

const idp = { issuer: 'https://idp.example', jwksUri: 'https://idp.example/jwks', algorithms: ['ES256'], tenants: [] };
const resource = {
  resource: 'https://mcp.example/mcp',
  name: 'MCP',
  scopes: ['read', 'write'],
  authorizationDetailTypes: [{ type: 'ticket', actions: ['read'], identifiers: true }],
};
const t0 = 1_800_000_000_000;

/** Waits (at most a second) until `check` holds: another instance's notice arrives asynchronously. */
async function withinASecond(check: () => boolean): Promise<boolean> {
  for (const started = Date.now(); Date.now() - started < 1000; ) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return check();
}

describe.each(RAS_STORES)('the RAS stores on $name', (store) => {
  let opened: OpenedRasStore | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });
  const twoInstances = async (): Promise<[RasStorage, RasStorage]> => {
    opened = await store.open();
    return [await opened.instance(), await opened.instance()];
  };

  it('[RAS-PG-STORES] keeps the registries, with their tenants, scopes and authorization details types', async () => {
    const [a] = await twoInstances();
    a.registry.upsertTrustedIdp({ ...idp, tenants: ['acme'] }, t0);
    a.registry.insertResourceIfAbsent(resource, t0);
    expect(a.registry.insertClient({ clientId: 'agent', name: 'Agent', secretHash: 'sha256:x' }, t0)).toBe(true);
    expect(a.registry.insertClient({ clientId: 'agent', name: 'Again', secretHash: null }, t0)).toBe(false);
    a.registry.upsertClientGrant({ clientId: 'agent', resource: resource.resource, scopes: ['read'] });
    expect(a.registry.findTrustedIdp(idp.issuer)).toMatchObject({ tenants: ['acme'], createdAt: t0 });
    expect(a.registry.findResource(resource.resource)).toMatchObject({ ...resource, createdAt: t0 });
    expect(a.registry.findResourceForClient(resource.resource, 'agent')).toMatchObject({
      resourceScopes: ['read', 'write'],
      clientScopes: ['read'],
    });
    expect(a.registry.listClientGrants()).toEqual([
      { clientId: 'agent', resource: resource.resource, scopes: ['read'] },
    ]);
    expect(a.registry.deleteResource(resource.resource)).toBe(true);
    // The client's grant went with the resource (ON DELETE CASCADE, on both stores).
    expect(a.registry.listClientGrants('agent')).toEqual([]);
  });

  it('[RAS-PG-REGISTRY-INVALIDATION] an admin change on one instance reaches the cached registry of another within a second', async () => {
    const [a, b] = await twoInstances();
    a.registry.upsertTrustedIdp(idp, t0);
    a.registry.insertClient({ clientId: 'agent', name: 'Agent', secretHash: 'sha256:one' }, t0);
    // Let each instance hear of the other's commits before warming its caches.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(b.registry.findTrustedIdp(idp.issuer)?.algorithms).toEqual(['ES256']);
    expect(b.registry.findClient('agent')?.secretHash).toBe('sha256:one');
    a.registry.upsertTrustedIdp({ ...idp, algorithms: ['ES384'] }, t0);
    a.registry.setClientSecretHash('agent', 'sha256:two');
    expect(await withinASecond(() => b.registry.findTrustedIdp(idp.issuer)?.algorithms[0] === 'ES384')).toBe(true);
    expect(await withinASecond(() => b.registry.findClient('agent')?.secretHash === 'sha256:two')).toBe(true);
    a.registry.deleteTrustedIdp(idp.issuer);
    expect(await withinASecond(() => b.registry.findTrustedIdp(idp.issuer) === undefined)).toBe(true);
  });

  it('[RAS-PG-JTI-SINGLE-USE] a jti consumed through one instance is refused through the other; the purge is shared', async () => {
    const [a, b] = await twoInstances();
    const entry = { iss: idp.issuer, jti: 'jag-1', exp: t0 / 1000 + 60, clientId: 'agent' };
    expect(a.consumedJtis.consume(entry, t0)).toBe(true);
    expect(b.consumedJtis.consume(entry, t0)).toBe(false);
    expect(b.consumedJtis.isConsumed(idp.issuer, 'jag-1')).toBe(true);
    b.revokedTokens.revoke({ jti: 'at-1', clientId: 'agent', exp: t0 / 1000 + 60 }, t0);
    b.revokedTokens.revoke({ jti: 'at-1', clientId: 'agent', exp: t0 / 1000 + 60 }, t0);
    expect(a.revokedTokens.isRevoked('at-1')).toBe(true);
    expect(purgeExpired(a, t0 + 61_000, 0)).toEqual({ consumedJtis: 1, revokedTokens: 1 });
    expect(b.consumedJtis.isConsumed(idp.issuer, 'jag-1')).toBe(false);
  });

  it('[RAS-PG-STORES] keeps the revocation state: cut-offs move forward only, receivers of registered resources, subscriptions', async () => {
    const [a, b] = await twoInstances();
    a.registry.insertResourceIfAbsent(resource, t0);
    const cutOffs = createSqliteCutOffStorage(a.database);
    const base = { iss: idp.issuer, sub: 'alice', scope: { kind: 'user' } as const, reason: 'test' };
    cutOffs.record({ ...base, eventAt: 200, appliedAt: 210 });
    cutOffs.record({ ...base, eventAt: 100, appliedAt: 110 });
    const query = { iss: idp.issuer, sub: 'alice', resource: resource.resource, sid: undefined };
    const other = createSqliteCutOffStorage(b.database);
    expect(other.isCutOff({ ...query, issuedAt: 150, authTime: 150 })).toBe(true);
    expect(other.isCutOff({ ...query, issuedAt: 250, authTime: 250 })).toBe(false);
    expect(other.isAccessTokenRevoked({ ...query, issuedAt: 205 })).toBe(true);
    expect(other.list(10)).toMatchObject([{ appliedAt: 210, scope: '*' }]);

    const receivers = createSqliteResourceReceiverStorage(a.database);
    receivers.insertIfAbsent({ resource: resource.resource, endpointUrl: 'https://mcp.example/ssf', updatedAt: t0 });
    receivers.insertIfAbsent({ resource: 'https://unknown.example', endpointUrl: 'https://x.example', updatedAt: t0 });
    expect(createSqliteResourceReceiverStorage(b.database).list()).toMatchObject([{ resource: resource.resource }]);

    const subscriptions = createSqliteSsfSubscriptionStorage(a.database);
    subscriptions.ensure(idp.issuer, 'https://ras.example/ssf/events', t0);
    subscriptions.registered(idp.issuer, 'stream-1', t0);
    expect(createSqliteSsfSubscriptionStorage(b.database).find(idp.issuer)).toMatchObject({ streamId: 'stream-1' });
  });

  it('[RAS-PG-STORES] keeps the interactive clients and requests in progress', async () => {
    const [a, b] = await twoInstances();
    const metadata: ValidatedClientMetadata = {
      redirectUris: ['http://127.0.0.1/cb'],
      tokenEndpointAuthMethod: 'none',
      grantTypes: ['authorization_code'],
      responseTypes: ['code'],
      clientName: 'Doc',
    };
    a.interactive.clients.save({ clientId: 'https://client.example/doc', metadata, freshUntil: t0 });
    expect(b.interactive.clients.find('https://client.example/doc')).toMatchObject({ metadata, freshUntil: t0 });
    const pending: PendingAuthorization = {
      requestId: 'r1',
      request: {
        clientId: 'https://client.example/doc',
        redirectUri: 'http://127.0.0.1/cb',
        state: 'client-state',
        codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        resource: resource.resource,
        scopes: ['read'],
      },
      client: {
        name: 'Doc',
        clientUri: undefined,
        redirectHost: '127.0.0.1',
        loopbackRedirect: true,
        kind: 'metadata_document',
        refreshTokens: false,
      },
      signIn: { state: 's1', nonce: 'n', codeVerifier: 'v' },
      decision: undefined,
      expiresAt: t0 + 60_000,
    };
    a.interactive.pending.create(pending, 'browser');
    expect(b.interactive.pending.findBySignInState('s1', 'browser', t0)?.requestId).toBe('r1');
    expect(b.interactive.pending.find('r1', 'other-browser', t0)).toBeUndefined();
    expect(b.interactive.pending.delete('r1')).toBe(true);
    expect(a.interactive.pending.delete('r1')).toBe(false);
  });
});
