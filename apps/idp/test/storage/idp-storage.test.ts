import { afterEach, describe, expect, it } from 'vitest';
import { createSignInThrottle, SIGN_IN_THROTTLE_DEFAULTS } from '../../src/session/sign-in-throttle.js';
import type { PolicyRule } from '../../src/storage/directory-types.js';
import type { IdpStorage } from '../../src/storage/idp-storage.js';
import { IDP_STORES, type OpenedIdpStore } from '../support/idp-stores.js';

const T = 1_900_000_000;
const RULE: PolicyRule = {
  id: 'eng-read',
  description: 'Engineering may read tickets',
  effect: 'allow',
  subjectType: 'group',
  subject: 'engineering',
  clientId: null,
  resourceId: 'tickets',
  scopes: ['tickets.read'],
  maxAuthAgeSeconds: null,
  requiredAmr: null,
  createdAt: 1,
};

/** A user, a resource, a grant and the first refresh token of its family. */
function seed(storage: IdpStorage): void {
  storage.insertUser({
    id: 'usr_a',
    username: 'alice',
    passwordHash: 'h',
    name: 'Alice',
    email: 'alice@acme.example',
    createdAt: 1,
  });
  storage.insertResource({
    id: 'tickets',
    name: 'Tickets',
    audience: 'https://ras.example',
    resource: 'https://mcp.example/mcp',
    scopes: ['tickets.read', 'tickets.write'],
  });
  storage.insertGrant({
    id: 'grt_1',
    clientId: 'agent-host',
    userId: 'usr_a',
    scope: 'openid offline_access',
    sessionId: null,
    authTime: T,
    amr: ['pwd'],
    nonce: null,
    createdAt: T,
    revokedAt: null,
  });
  storage.insertRefreshToken('rt_hash_1', {
    id: 'rt_1',
    grantId: 'grt_1',
    clientId: 'agent-host',
    scope: 'openid offline_access',
    createdAt: T,
    expiresAt: T + 3600,
    rotatedAt: null,
  });
}

/** Waits (at most a second) until `check` holds: a notice from another instance arrives asynchronously. */
async function eventually(check: () => boolean): Promise<boolean> {
  for (const started = Date.now(); Date.now() - started < 1000; ) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return check();
}

describe.each(IDP_STORES)('IdP storage on $name', (store) => {
  let opened: OpenedIdpStore | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });
  const open = async () => {
    opened = await store.open();
    return opened;
  };

  it('[IDP-PG-SAME-QUERIES] runs the directory, passkey and sign-in statements, upserts included, on this store', async () => {
    const { storage } = await (await open()).instance();
    seed(storage);
    expect(storage.updateUser('usr_a', { disabled: true })).toBe(true);
    expect(storage.updateUser('usr_a', { name: 'Alice A.' })).toBe(true);
    expect(storage.updateUser('usr_missing', { name: 'x' })).toBe(false);
    // A field left out keeps its value: the disable above survives the rename.
    expect(storage.findUserById('usr_a')).toMatchObject({
      name: 'Alice A.',
      disabled: true,
      email: 'alice@acme.example',
    });
    storage.insertGroup('engineering', 'Engineers');
    storage.addMember('engineering', 'usr_a');
    storage.addMember('engineering', 'usr_a');
    expect(storage.findGroup('engineering')?.members).toEqual(['usr_a']);
    expect(storage.passkeyUserHandle('usr_a', 'first')).toBe('first');
    expect(storage.passkeyUserHandle('usr_a', 'second')).toBe('first');
    const challenge = { binding: 'b', ceremony: 'authentication' as const, userId: 'usr_a', expiresAt: T + 60 };
    storage.issueChallenge({ ...challenge, challenge: 'c1' });
    storage.issueChallenge({ ...challenge, challenge: 'c2' });
    expect(storage.takeChallenge('b', 'authentication', T)?.challenge).toBe('c2');
    expect(storage.takeChallenge('b', 'authentication', T)).toBeUndefined();
    storage.insertPasskey({
      credentialId: 'cred',
      userId: 'usr_a',
      userHandle: 'first',
      publicKey: new Uint8Array([1, 2, 255]),
      counter: 3,
      transports: ['usb'],
      deviceType: 'singleDevice',
      backedUp: false,
      name: 'Key',
      createdAt: T,
      lastUsedAt: null,
    });
    expect(storage.findPasskey('cred')?.publicKey).toEqual(new Uint8Array([1, 2, 255]));
    expect(storage.countPasskeysByUser().get('usr_a')).toBe(1);
    expect(storage.insertIdToken({ jti: 'idt_1', grantId: 'grt_1', expiresAt: T + 600 }, T)).toBe(true);
    // The user is disabled: the record is born revoked.
    expect(storage.findIdToken('idt_1')).toMatchObject({ revokedAt: T, revokedReason: 'user disabled' });
    // A one-off job is claimed by one statement: the second claim finds it taken.
    expect(storage.markRun('seed', T)).toBe(true);
    expect(storage.markRun('seed', T)).toBe(false);
    expect(storage.hasRun('seed')).toBe(true);
  });

  it('[IDP-PG-REFRESH-REUSE-ACROSS-INSTANCES] a refresh token rotated through one connection and replayed through another revokes the family', async () => {
    const store = await open();
    const a = await store.instance();
    const b = await store.instance();
    seed(a.storage);
    expect(a.storage.transaction(() => a.storage.rotateRefreshToken('rt_hash_1', T + 1))).toBe(true);
    // The replay through the other instance: the conditional UPDATE changes nothing, so it is reuse.
    expect(b.storage.transaction(() => b.storage.rotateRefreshToken('rt_hash_1', T + 2))).toBe(false);
    expect(b.storage.findRefreshToken('rt_hash_1')?.rotatedAt).toBe(T + 1);
    expect(b.storage.revokeGrant('grt_1', T + 2, 'refresh token reused')).toBe(true);
    expect(a.storage.findGrant('grt_1')?.revokedAt).toBe(T + 2);
  });

  it('[IDP-PG-CODE-SINGLE-USE] an authorization code is consumed once across two connections', async () => {
    const store = await open();
    const a = await store.instance();
    const b = await store.instance();
    seed(a.storage);
    a.storage.insertAuthorizationCode('code_hash', {
      grantId: 'grt_1',
      clientId: 'agent-host',
      redirectUri: 'https://agent.example/cb',
      codeChallenge: 'x',
      expiresAt: T + 60,
      consumedAt: null,
    });
    expect(b.storage.consumeAuthorizationCode('code_hash', T)).toBe(true);
    expect(a.storage.consumeAuthorizationCode('code_hash', T)).toBe(false);
  });

  it('[IDP-PG-THROTTLE-SHARED] a sign-in throttle tripped through one store holds through another', async () => {
    const store = await open();
    const a = createSignInThrottle(SIGN_IN_THROTTLE_DEFAULTS, (await store.instance()).storage);
    const b = createSignInThrottle(SIGN_IN_THROTTLE_DEFAULTS, (await store.instance()).storage);
    for (let attempt = 0; attempt < SIGN_IN_THROTTLE_DEFAULTS.perAccountAndAddress; attempt += 1) {
      expect(b.retryAfter('Alice', '192.0.2.1', T + attempt)).toBe(0);
      (attempt % 2 === 0 ? a : b).recordFailure('alice', '192.0.2.1', T + attempt);
    }
    expect(b.retryAfter('alice', '192.0.2.1', T + 10)).toBe(SIGN_IN_THROTTLE_DEFAULTS.windowSeconds - 10);
    expect(a.retryAfter('ALICE', '192.0.2.1', T + 10)).toBe(SIGN_IN_THROTTLE_DEFAULTS.windowSeconds - 10);
    // The pair only: another address, or the same address for another user, is not held.
    expect(b.retryAfter('alice', '192.0.2.2', T + 10)).toBe(0);
    expect(b.retryAfter('bob', '192.0.2.1', T + 10)).toBe(0);
    // The window ends: a new one starts at the next failure.
    const after = T + SIGN_IN_THROTTLE_DEFAULTS.windowSeconds;
    expect(a.retryAfter('alice', '192.0.2.1', after)).toBe(0);
    b.recordFailure('alice', '192.0.2.1', after);
    expect(a.retryAfter('alice', '192.0.2.1', after)).toBe(0);
    // A success through one forgets the pair for both.
    for (let attempt = 0; attempt < 5; attempt += 1) a.recordFailure('carol', '192.0.2.3', T);
    expect(b.retryAfter('carol', '192.0.2.3', T)).toBeGreaterThan(0);
    b.recordSuccess('carol', '192.0.2.3');
    expect(a.retryAfter('carol', '192.0.2.3', T)).toBe(0);
  });

  it('[IDP-PG-CACHE-INVALIDATION] a policy change made through one connection reaches the other’s cache after its notice', async () => {
    const store = await open();
    const a = await store.instance();
    const b = await store.instance();
    seed(a.storage);
    a.storage.insertPolicyRule(RULE);
    b.storage.dropStaleCaches();
    expect(b.storage.policyRulesForResource('tickets').map((rule) => rule.effect)).toEqual(['allow']);
    a.storage.insertPolicyRule({ ...RULE, id: 'eng-deny', effect: 'deny', scopes: [], createdAt: 2 });
    const seen = await eventually(() => {
      // Called once per request by the app: here, once per look.
      b.storage.dropStaleCaches();
      return b.storage.policyRulesForResource('tickets').length === 2;
    });
    expect(seen).toBe(true);
  });
});
