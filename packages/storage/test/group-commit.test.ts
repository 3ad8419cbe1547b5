import { describe, expect, it } from 'vitest';
import { createGroupCommit } from '../src/index.js';

describe('group commit', () => {
  it('runs the work of one event-loop turn in one transaction and gives each caller its own outcome', async () => {
    let transactions = 0;
    const commit = createGroupCommit({
      transaction: (fn) => {
        transactions += 1;
        fn();
      },
      savepoint: (fn) => fn(),
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
      savepoint: (fn) => fn(),
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

  it('[STORAGE-GROUP-COMMIT-ITEM-ALONE] an item that throws rejects alone; the items around it resolve', async () => {
    const transactions: string[] = [];
    const commit = createGroupCommit({
      transaction: (fn) => {
        transactions.push('begin');
        fn();
        transactions.push('commit');
      },
      savepoint: (fn) => {
        transactions.push('savepoint');
        fn();
      },
    });
    const failure = new Error('constraint failed');
    const settled = await Promise.allSettled([
      commit.submit(() => 1),
      commit.submit(() => {
        throw failure;
      }),
      commit.submit(() => 3),
    ]);
    expect(settled).toEqual([
      { status: 'fulfilled', value: 1 },
      { status: 'rejected', reason: failure },
      { status: 'fulfilled', value: 3 },
    ]);
    // The first transaction commits the items up to the failed one; the rest follow in the next.
    expect(transactions).toEqual(['begin', 'savepoint', 'savepoint', 'commit', 'begin', 'commit']);
  });
});
