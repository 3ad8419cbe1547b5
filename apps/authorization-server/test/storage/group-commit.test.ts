import { createGroupCommit } from '@ema/storage';
import { afterEach, describe, expect, it } from 'vitest';
import { openRasStorage, type RasStorage } from '../../src/storage/ras-storage.js';

describe('group commit of the RAS', () => {
  let storage: RasStorage | undefined;
  afterEach(() => {
    storage?.close();
    storage = undefined;
  });

  const entry = (jti: string) => ({ iss: 'https://idp.example', jti, exp: 2_000_000_000, clientId: 'c' });

  it('[RAS-DURABLE-BEFORE-RESPONSE] resolves no caller before the transaction has returned (committed)', async () => {
    const events: string[] = [];
    const commit = createGroupCommit({
      transaction: (fn) => {
        events.push('begin');
        fn();
        events.push('commit');
      },
      savepoint: (fn) => fn(),
    });
    await Promise.all([
      commit.submit(() => events.push('work 1')).then(() => events.push('resolved 1')),
      commit.submit(() => events.push('work 2')).then(() => events.push('resolved 2')),
    ]);
    expect(events).toEqual(['begin', 'work 1', 'work 2', 'commit', 'resolved 1', 'resolved 2']);
  });

  it('[RAS-RFC7523-3-JTI-ATOMIC] of a duplicate jti within one batch, exactly the first is consumed; the second sees changes 0 (a replay)', async () => {
    storage = openRasStorage(':memory:');
    const store = storage;
    const results = await Promise.all([
      store.groupCommit.submit(() => store.consumedJtis.consume(entry('dup'), 0)),
      store.groupCommit.submit(() => store.consumedJtis.consume(entry('other'), 0)),
      store.groupCommit.submit(() => store.consumedJtis.consume(entry('dup'), 0)),
    ]);
    expect(results).toEqual([true, true, false]);
    expect(store.consumedJtis.isConsumed('https://idp.example', 'dup')).toBe(true);
    // And in a later batch too.
    expect(await store.groupCommit.submit(() => store.consumedJtis.consume(entry('dup'), 0))).toBe(false);
  });

  it('[STORAGE-GROUP-COMMIT-ITEM-ALONE] when one item of a batch throws, it alone is rolled back and rejected; the others commit', async () => {
    storage = openRasStorage(':memory:');
    const store = storage;
    const failure = new Error('constraint failed');
    const settled = await Promise.allSettled([
      store.groupCommit.submit(() => store.consumedJtis.consume(entry('first'), 0)),
      store.groupCommit.submit(() => {
        store.consumedJtis.consume(entry('failed'), 0);
        throw failure;
      }),
      store.groupCommit.submit(() => store.consumedJtis.consume(entry('last'), 0)),
    ]);
    expect(settled).toEqual([
      { status: 'fulfilled', value: true },
      { status: 'rejected', reason: failure },
      { status: 'fulfilled', value: true },
    ]);
    expect(store.consumedJtis.isConsumed('https://idp.example', 'first')).toBe(true);
    expect(store.consumedJtis.isConsumed('https://idp.example', 'failed')).toBe(false);
    expect(store.consumedJtis.isConsumed('https://idp.example', 'last')).toBe(true);
  });

  it('close() commits what is still queued before closing the database', async () => {
    const store = openRasStorage(':memory:');
    const pending = store.groupCommit.submit(() => store.consumedJtis.consume(entry('queued'), 0));
    let consumedBeforeClose = false;
    store.groupCommit.submit(() => {
      consumedBeforeClose = store.consumedJtis.isConsumed('https://idp.example', 'queued');
    });
    store.close();
    expect(await pending).toBe(true);
    expect(consumedBeforeClose).toBe(true);
  });
});
