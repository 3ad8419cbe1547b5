import type { CommitWatch, SqlDatabase } from '@ema/storage';
import type { IdpClient, PolicyRule, ProtectedResource, User } from '../directory-types.js';
import type { IdpStorage } from '../idp-storage.js';
import type { IssuedIdToken } from '../token-types.js';

/** The storage methods that change users, groups, clients, resources or policy rules (admin data). */
const ADMIN_WRITES = [
  'insertUser',
  'updateUser',
  'deleteUser',
  'insertGroup',
  'deleteGroup',
  'addMember',
  'removeMember',
  'insertClient',
  'replaceClient',
  'deleteClient',
  'insertResource',
  'replaceResource',
  'deleteResource',
  'insertPolicyRule',
  'replacePolicyRule',
  'deletePolicyRule',
] as const satisfies readonly (keyof IdpStorage)[];

/** The storage methods that revoke or delete ID token records (the other cached reads). */
const ID_TOKEN_WRITES = [
  'revokeGrant',
  'revokeUserGrants',
  'revokeSessionGrants',
  'purgeIdTokens',
] as const satisfies readonly (keyof IdpStorage)[];

/** Beyond this many entries a cache is dropped and refilled. */
const MAX_ENTRIES = 10_000;

/** Freezes a cached value all the way down, so no caller can change what the next request reads. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * Wraps the IdP storage with in-memory caches of what every token exchange reads: the admin data (the client, the
 * resource, its policy rules, the user), which only admins change, and the record of the presented ID token while it
 * is unrevoked, which only a revocation changes. A change still takes effect at the next exchange: every admin write
 * and every revocation through this storage object drops the caches, and so does {@link IdpStorage.dropStaleCaches}
 * (called at every request, checking at most once per event-loop turn) when another connection or process has
 * committed since the last check: `commits` is SQLite's `PRAGMA data_version` watch (it changes only for other
 * connections' commits; a request that arrives after such a commit is read from its socket in a later turn, so it
 * sees it) or PostgreSQL's `LISTEN`/`NOTIFY` on the tables read here (another instance's commit reaches this one
 * within milliseconds).
 * Nothing is cached inside a transaction (it could roll back), misses and revoked ID tokens are not cached (the keys
 * come from requests), and a cache that reaches {@link MAX_ENTRIES} is dropped and refilled.
 */
export function withAdminDataCache(storage: IdpStorage, db: SqlDatabase, commits: CommitWatch): IdpStorage {
  const clients = new Map<string, IdpClient>();
  const resources = new Map<string, ProtectedResource>();
  const rules = new Map<string, PolicyRule[]>();
  const users = new Map<string, User>();
  const idTokens = new Map<string, IssuedIdToken>();

  const dropCaches = (): void => {
    clients.clear();
    resources.clear();
    rules.clear();
    users.clear();
    idTokens.clear();
  };
  const cached =
    <V>(cache: Map<string, V>, read: (key: string) => V | undefined, cacheable: (value: V) => boolean = () => true) =>
    (key: string): V | undefined => {
      const hit = cache.get(key);
      if (hit !== undefined) return hit;
      const value = read(key);
      if (value !== undefined && !db.inTransaction && cacheable(value)) {
        if (cache.size >= MAX_ENTRIES) cache.clear();
        cache.set(key, deepFreeze(value));
      }
      return value;
    };
  const rulesFor = cached(rules, (resourceId) => storage.policyRulesForResource(resourceId));

  const wrapped: IdpStorage = {
    ...storage,
    findClient: cached(clients, (clientId) => storage.findClient(clientId)),
    findResourceByIdentifier: cached(resources, (resource) => storage.findResourceByIdentifier(resource)),
    policyRulesForResource: (resourceId) => rulesFor(resourceId) ?? [],
    findUserById: cached(users, (id) => storage.findUserById(id)),
    // Only unrevoked records are cached: a revoked one is a refusal, re-read each time.
    findIdToken: cached(
      idTokens,
      (jti) => storage.findIdToken(jti),
      (record) => record.revokedAt === null,
    ),
    transaction: <T>(work: () => T): T => {
      try {
        return storage.transaction(work);
      } finally {
        dropCaches();
      }
    },
    dropStaleCaches: commits(dropCaches),
  };
  for (const name of [...ADMIN_WRITES, ...ID_TOKEN_WRITES]) {
    const write = storage[name] as (...args: never[]) => unknown;
    Object.assign(wrapped, {
      [name]: (...args: never[]) => {
        // Dropped before and after: before, so reads inside the same transaction see the write; after, so a
        // read racing in between cannot leave the old value cached.
        dropCaches();
        try {
          return write(...args);
        } finally {
          dropCaches();
        }
      },
    });
  }
  return wrapped;
}
