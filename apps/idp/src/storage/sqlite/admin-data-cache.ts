import type Database from 'better-sqlite3';
import type { IdpClient, PolicyRule, ProtectedResource, User } from '../directory-types.js';
import type { IdpStorage } from '../idp-storage.js';

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

/** Freezes a cached value all the way down, so no caller can change what the next request reads. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * Wraps the IdP storage with in-memory caches of the admin data every token exchange reads (the client, the
 * resource, its policy rules, the user), which only admins change. A policy change still takes effect at the next
 * exchange: every admin write through this storage object drops the caches, and so does {@link
 * IdpStorage.dropStaleCaches} (called once per request) when another connection or process has committed to the
 * database file since the last check (`PRAGMA data_version` changes only for other connections' commits).
 * Nothing is cached inside a transaction (it could roll back), and misses are not cached (the keys come from
 * requests, so caching them would let anyone grow the cache).
 */
export function withAdminDataCache(storage: IdpStorage, db: Database.Database): IdpStorage {
  const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
  let seenVersion = dataVersion.get();
  const clients = new Map<string, IdpClient>();
  const resources = new Map<string, ProtectedResource>();
  const rules = new Map<string, PolicyRule[]>();
  const users = new Map<string, User>();

  const dropCaches = (): void => {
    clients.clear();
    resources.clear();
    rules.clear();
    users.clear();
  };
  const cached =
    <V>(cache: Map<string, V>, read: (key: string) => V | undefined) =>
    (key: string): V | undefined => {
      const hit = cache.get(key);
      if (hit !== undefined) return hit;
      const value = read(key);
      if (value !== undefined && !db.inTransaction) cache.set(key, deepFreeze(value));
      return value;
    };

  const rulesFor = cached(rules, (resourceId) => storage.policyRulesForResource(resourceId));

  const wrapped: IdpStorage = {
    ...storage,
    findClient: cached(clients, (clientId) => storage.findClient(clientId)),
    findResourceByIdentifier: cached(resources, (resource) => storage.findResourceByIdentifier(resource)),
    policyRulesForResource: (resourceId) => rulesFor(resourceId) ?? [],
    findUserById: cached(users, (id) => storage.findUserById(id)),
    transaction: <T>(work: () => T): T => {
      try {
        return storage.transaction(work);
      } finally {
        dropCaches();
      }
    },
    dropStaleCaches: () => {
      const version = dataVersion.get();
      if (version === seenVersion) return;
      seenVersion = version;
      dropCaches();
    },
  };
  for (const name of ADMIN_WRITES) {
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
