import { afterEach, describe, expect, it } from 'vitest';
import { createGroupCommit } from '../../src/storage/group-commit.js';
import { openRasStorage, type RasStorage } from '../../src/storage/ras-storage.js';

describe('group commit', () => {
  let storage: RasStorage | undefined;
  afterEach(() => {
    storage?.close();
    storage = undefined;
  });

  const entry = (jti: string) => ({ iss: 'https://idp.example', jti, exp: 2_000_000_000, clientId: 'c' });

  it('runs the work of one event-loop turn in one transaction and gives each caller its own outcome', async () => {
    let transactions = 0;
    const commit = createGroupCommit({
      transaction: (fn) => {
        transactions += 1;
        fn();
      },
    });
    const results = await Promise.all([commit.submit(() => 'a'), commit.submit(() => 2), commit.submit(() => null)]);
    expect(results).toEqual(['a', 2, null]);
    expect(transactions).toBe(1);
    // A later turn is a new batch.
    expect(await commit.submit(() => 'b')).toBe('b');
    expect(transactions).toBe(2);
  });

  it('also takes into the batch the work queued during the next event-loop iteration, and flushes after it', async () => {
    const batches: number[] = [];
    let queued = 0;
    const commit = createGroupCommit({
      transaction: (fn) => {
        const before = queued;
        fn();
        batches.push(before);
      },
    });
    const submit = () => {
      queued += 1;
      return commit.submit(() => undefined);
    };
    const first = submit();
    // Queued in the next iteration (as a request whose signature check finishes in the next poll phase): same batch.
    const second = new Promise<void>((resolve) => setImmediate(() => submit().then(resolve)));
    // Two iterations later: the batch has been committed, so this one starts the next.
    const third = new Promise<void>((resolve) => setImmediate(() => setImmediate(() => submit().then(resolve))));
    await Promise.all([first, second, third]);
    expect(batches).toEqual([2, 3]);
  });

  it('runs the queued work in submission order', async () => {
    const order: number[] = [];
    const commit = createGroupCommit({ transaction: (fn) => fn() });
    await Promise.all([1, 2, 3, 4, 5].map((n) => commit.submit(() => order.push(n))));
    expect(order).toEqual([1, 2, 3, 4, 5]);
  });

  it('[RAS-DURABLE-BEFORE-RESPONSE] resolves no caller before the transaction has returned (committed)', async () => {
    const events: string[] = [];
    const commit = createGroupCommit({
      transaction: (fn) => {
        events.push('begin');
        fn();
        events.push('commit');
      },
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

  it('[RAS-DURABLE-BEFORE-RESPONSE] when the transaction fails, rolls the whole batch back and rejects every caller (none reported as done)', async () => {
    storage = openRasStorage(':memory:');
    const store = storage;
    const failure = new Error('disk full');
    const settled = await Promise.allSettled([
      store.groupCommit.submit(() => store.consumedJtis.consume(entry('first'), 0)),
      store.groupCommit.submit(() => {
        throw failure;
      }),
      store.groupCommit.submit(() => store.consumedJtis.consume(entry('last'), 0)),
    ]);
    expect(settled.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected']);
    for (const result of settled) if (result.status === 'rejected') expect(result.reason).toBe(failure);
    // Nothing of the failed batch was committed: both jtis are still unused.
    expect(store.consumedJtis.isConsumed('https://idp.example', 'first')).toBe(false);
    expect(store.consumedJtis.isConsumed('https://idp.example', 'last')).toBe(false);
    // The queue keeps working afterwards.
    expect(await store.groupCommit.submit(() => store.consumedJtis.consume(entry('first'), 0))).toBe(true);
  });

  it('rejects every caller when the COMMIT itself throws', async () => {
    const commit = createGroupCommit({
      transaction: (fn) => {
        fn();
        throw new Error('SQLITE_BUSY');
      },
    });
    const settled = await Promise.allSettled([commit.submit(() => 1), commit.submit(() => 2)]);
    expect(settled.map((result) => result.status)).toEqual(['rejected', 'rejected']);
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
