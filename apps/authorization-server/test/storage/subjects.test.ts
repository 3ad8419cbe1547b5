import { afterEach, describe, expect, it } from 'vitest';
import type { RasStorage } from '../../src/storage/ras-storage.js';
import { LAST_SEEN_RESOLUTION_MS } from '../../src/storage/subjects.js';
import { type OpenedRasStore, RAS_STORES } from '../support/ras-stores.js';

describe.each(RAS_STORES)('subject provisioning writes only what changed ($name)', (store) => {
  let opened: OpenedRasStore | undefined;
  let storage: RasStorage | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
    storage = undefined;
  });
  const open = async (): Promise<RasStorage> => {
    opened = await store.open();
    return opened.instance();
  };
  const alice = { iss: 'https://idp.example', sub: 'alice', email: 'alice@acme.example', name: 'Alice' };
  const t0 = 1_800_000_000_000;

  it('creates the account once, then returns the same account without rewriting an unchanged row', async () => {
    storage = await open();
    const created = storage.subjects.provision(alice, t0);
    expect(created).toMatchObject({ email: 'alice@acme.example', name: 'Alice', createdAt: t0, lastSeenAt: t0 });
    const again = storage.subjects.provision(alice, t0 + 1000);
    expect(again).toEqual(created);
    // Absent email and name keep the stored ones and are no change either.
    expect(storage.subjects.provision({ ...alice, email: undefined, name: undefined }, t0 + 2000)).toEqual(created);
  });

  it('writes when the email or name changed', async () => {
    storage = await open();
    const created = storage.subjects.provision(alice, t0);
    const renamed = storage.subjects.provision({ ...alice, name: 'Alice Liddell' }, t0 + 1000);
    expect(renamed).toMatchObject({ accountId: created.accountId, name: 'Alice Liddell', lastSeenAt: t0 + 1000 });
    const moved = storage.subjects.provision({ ...alice, name: 'Alice Liddell', email: 'a@new.example' }, t0 + 2000);
    expect(moved).toMatchObject({ accountId: created.accountId, email: 'a@new.example', lastSeenAt: t0 + 2000 });
    expect(storage.subjects.list(10)).toEqual([moved]);
  });

  it('refreshes last_seen_at once it is older than the resolution, for provisioning and resolution alike', async () => {
    storage = await open();
    storage.subjects.provision(alice, t0);
    const later = t0 + LAST_SEEN_RESOLUTION_MS;
    expect(storage.subjects.provision(alice, later).lastSeenAt).toBe(later);
    expect(storage.subjects.resolve(alice, later + 1000)?.lastSeenAt).toBe(later);
    const muchLater = later + LAST_SEEN_RESOLUTION_MS;
    expect(storage.subjects.resolve(alice, muchLater)?.lastSeenAt).toBe(muchLater);
    expect(storage.subjects.resolve({ ...alice, sub: 'nobody' }, muchLater)).toBeUndefined();
  });
});
