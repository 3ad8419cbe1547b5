import { randomUUID } from 'node:crypto';
import type { LocalAccount, SubjectResolver } from '@ema/oauth-server';

/**
 * ID-JAG §4.4.1 step 10, subject resolution with just-in-time provisioning, in memory: the first redemption for an
 * `(iss, sub)` pair creates a local account with an opaque id (the access tokens' `sub`), later ones find it and
 * refresh `email` and `name` when the ID-JAG sends them. Lost at exit: after a restart the same person gets a new
 * account id. A deployment keeps accounts in its user store.
 */
export function createMemoryAccounts(): SubjectResolver<LocalAccount> {
  // (iss, sub) as a JSON pair: the IdP's subject is unique per issuer only.
  const accounts = new Map<string, LocalAccount>();
  return {
    resolveSubject(identity) {
      const key = JSON.stringify([identity.iss, identity.sub]);
      const existing = accounts.get(key);
      const email = identity.email ?? existing?.email ?? null;
      const name = identity.name ?? existing?.name ?? null;
      if (existing && existing.email === email && existing.name === name) return existing;
      const account = { accountId: existing?.accountId ?? randomUUID(), email, name };
      accounts.set(key, account);
      return account;
    },
  };
}
