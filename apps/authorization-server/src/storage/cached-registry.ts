/**
 * The registries, read from memory on the hot path. Trusted IdPs, clients and resources change only through the
 * admin API and the seed, so every redemption re-reading and re-parsing them is waste; but a change must still take
 * effect at the very next request, even when another process sharing the database file made it.
 */
import type { ResourceForClient } from '@ema/oauth-server';
import type { CommitWatch } from '@ema/storage';
import type { RasClient, RegistryStorage, TrustedIdp } from './registry.js';

/** The tables the caches read: on PostgreSQL a commit to any of them, by any instance, drops the caches. */
export const REGISTRY_TABLES: readonly string[] = ['trusted_idps', 'resources', 'clients', 'client_resources'];

/** Beyond this many entries a cache is dropped and refilled (lookup keys can come from requests). */
const MAX_ENTRIES = 10_000;

/**
 * Wraps `inner` with in-memory caches of `findTrustedIdp`, `findClient` and `findResourceForClient`. Only hits are
 * cached (a miss is never remembered, so an id an attacker invents costs memory nothing). The caches are dropped on
 * every write made through this object, and whenever `commits` reports another connection's commit: on SQLite
 * `PRAGMA data_version` (another process on the file, the CLI), read at most once per event-loop turn, so a request
 * that arrives after another process's commit is read from its socket in a later turn and sees the change; on
 * PostgreSQL `LISTEN`/`NOTIFY` from triggers on the registry tables ({@link REGISTRY_TABLES}), so an admin change
 * on one instance drops the caches of every other within milliseconds of its COMMIT.
 */
export function createCachedRegistry(inner: RegistryStorage, commits: CommitWatch): RegistryStorage {
  const idps = new Map<string, TrustedIdp>();
  const clients = new Map<string, RasClient>();
  const resources = new Map<string, ResourceForClient>();

  const invalidate = (): void => {
    idps.clear();
    clients.clear();
    resources.clear();
  };
  const revalidate = commits(invalidate);
  const cached = <K, V>(cache: Map<K, V>, key: K, load: () => V | undefined): V | undefined => {
    revalidate();
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const value = load();
    if (value === undefined) return undefined;
    if (cache.size >= MAX_ENTRIES) cache.clear();
    cache.set(key, value);
    return value;
  };
  const writing =
    <A extends unknown[], R>(write: (...args: A) => R) =>
    (...args: A): R => {
      try {
        return write(...args);
      } finally {
        invalidate();
      }
    };

  return {
    findTrustedIdp: (issuer) =>
      cached(idps, issuer, () => {
        const idp = inner.findTrustedIdp(issuer);
        return (
          idp &&
          Object.freeze({
            ...idp,
            algorithms: Object.freeze(idp.algorithms) as string[],
            tenants: Object.freeze(idp.tenants) as string[],
          })
        );
      }),
    listTrustedIdps: () => inner.listTrustedIdps(),
    upsertTrustedIdp: writing(inner.upsertTrustedIdp),
    insertTrustedIdpIfAbsent: writing(inner.insertTrustedIdpIfAbsent),
    deleteTrustedIdp: writing(inner.deleteTrustedIdp),

    findResource: (resource) => inner.findResource(resource),
    findResourceForClient: (resource, clientId) =>
      // JSON-encoded pair: no separator a resource URL or client id could forge.
      cached(resources, JSON.stringify([resource, clientId]), () => {
        const found = inner.findResourceForClient(resource, clientId);
        return (
          found &&
          Object.freeze({
            resource: found.resource,
            resourceScopes: Object.freeze(found.resourceScopes),
            clientScopes: found.clientScopes && Object.freeze(found.clientScopes),
            authorizationDetailTypes:
              found.authorizationDetailTypes &&
              Object.freeze(found.authorizationDetailTypes.map((type) => Object.freeze({ ...type }))),
          })
        );
      }),
    listResources: () => inner.listResources(),
    upsertResource: writing(inner.upsertResource),
    insertResourceIfAbsent: writing(inner.insertResourceIfAbsent),
    deleteResource: writing(inner.deleteResource),

    findClient: (clientId) => cached(clients, clientId, () => inner.findClient(clientId)),
    listClients: () => inner.listClients(),
    insertClient: writing(inner.insertClient),
    setClientSecretHash: writing(inner.setClientSecretHash),
    deleteClient: writing(inner.deleteClient),

    listClientGrants: (clientId) => inner.listClientGrants(clientId),
    upsertClientGrant: writing(inner.upsertClientGrant),
    insertClientGrantIfAbsent: writing(inner.insertClientGrantIfAbsent),
    deleteClientGrant: writing(inner.deleteClientGrant),
  };
}
