/**
 * Group commit: the final, durable step of many requests in one write transaction.
 *
 * A SQLite COMMIT costs far more than the few statements of one request (the WAL append and the lock). Work
 * queued until the end of the next event-loop iteration (`afterNextPoll`) runs in ONE `BEGIN IMMEDIATE … COMMIT`, in
 * the order it was queued, and each caller's promise settles only after that COMMIT returned: a request's consumed
 * `jti` and audit record are durable before its response is sent, exactly as with one transaction per request. Each
 * item runs in a savepoint, so one request whose write fails (a constraint, a trigger) fails alone.
 */
import { isStorageUnavailable } from './storage-errors.js';

/**
 * When a group commit flushes: at the end of the event-loop iteration AFTER the one in which its first item was
 * queued.
 *
 * A plain `setImmediate` flushes at the end of the current iteration, so a batch holds only the requests whose work
 * reached the commit during that one poll phase: about four and a half at concurrency 16 on two cores, because
 * signature checks finish one by one on libuv's pool. Waiting one more poll phase lets the requests finishing there
 * join (about seven per batch), which saves about a fifth of the commit's cost per request: each batch pays once for
 * the write lock and for the WAL pages its rows share. The wait is one loop iteration, not a timer: that poll phase
 * does not block, since an immediate is pending, so a lone request waits only for the I/O already at hand.
 */
export function afterNextPoll(flush: () => void): void {
  setImmediate(() => setImmediate(flush));
}

/** Runs `fn` inside one write transaction; throws (after rolling back) when `fn` or the COMMIT throws. */
export type WriteTransaction = (fn: () => void) => void;

/**
 * Runs `fn` inside the batch's open transaction so that a throw undoes `fn`'s statements only: `SAVEPOINT`, then
 * `RELEASE`, or `ROLLBACK TO` and `RELEASE` before rethrowing. It must never run `fn` outside the batch's transaction.
 */
export type Savepoint = (fn: () => void) => void;

/** Options of {@link createGroupCommit}. */
export interface GroupCommitOptions {
  /** The write transaction one batch runs in (e.g. better-sqlite3's `db.transaction(fn).immediate`). */
  transaction: WriteTransaction;
  /**
   * How one item runs inside the batch (default: `transaction` itself, which is right for better-sqlite3: a
   * transaction function called inside a transaction runs as a SAVEPOINT). Give your own for a driver whose
   * transactions do not nest.
   */
  savepoint?: Savepoint;
  /** When to flush the queue (default `afterNextPoll`: at the end of the next event-loop iteration). */
  schedule?: (flush: () => void) => void;
}

/** A queue of work items that are committed together. */
export interface GroupCommit {
  /**
   * Queues `work` (synchronous statements only) for the next batch and resolves with its own result once the batch
   * has committed. Each item runs in its own savepoint: when `work` throws, its statements are rolled back and its
   * promise rejects with that error, alone; the other items commit. When the COMMIT fails, every item of that
   * transaction rejects and nothing of it is committed.
   */
  submit<T>(work: () => T): Promise<T>;
  /** Commits what is queued now (e.g. before closing the database). */
  flush(): void;
}

interface QueuedWork {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Builds a {@link GroupCommit} over one write transaction. */
export function createGroupCommit(options: GroupCommitOptions): GroupCommit {
  const schedule = options.schedule ?? afterNextPoll;
  const savepoint = options.savepoint ?? options.transaction;
  let queue: QueuedWork[] = [];
  let scheduled = false;

  // One transaction over `batch`, up to and including the first item that throws: that item is rolled back to its
  // savepoint and the items before it are committed. A failed item may have ended the whole transaction (SQLite
  // rolls back on SQLITE_FULL, for one): stopping there means no later item can run outside it, and the COMMIT then
  // fails, so the items before it are rejected too. Returns the items that did not run, for the next transaction.
  const commitUpTo = (batch: QueuedWork[]): QueuedWork[] => {
    const results: unknown[] = [];
    let failedAt = -1;
    let failure: unknown;
    let current = 0;
    const runCurrent = (): void => {
      results.push(batch[current]?.work());
    };
    try {
      options.transaction(() => {
        // A lone item needs no savepoint: its failure rolls the transaction back and rejects it alone anyway.
        if (batch.length === 1) return runCurrent();
        for (; current < batch.length; current += 1) {
          try {
            savepoint(runCurrent);
          } catch (error) {
            failedAt = current;
            failure = error;
            return;
          }
        }
      });
    } catch (error) {
      // Rolled back: no item that ran in this transaction may be reported as done. When an item's storage failure
      // ended the transaction (SQLITE_FULL does), the COMMIT's own error ("no transaction is active") says nothing:
      // the items before it are told that failure, so they too are answered "unavailable, retry later".
      const ran = failedAt === -1 ? batch.length : failedAt + 1;
      const cause = failedAt !== -1 && !isStorageUnavailable(error) && isStorageUnavailable(failure) ? failure : error;
      for (let index = 0; index < ran; index += 1) batch[index]?.reject(index === failedAt ? failure : cause);
      return batch.slice(ran);
    }
    // Only now, after COMMIT returned, does any caller learn its outcome.
    const committed = failedAt === -1 ? batch.length : failedAt;
    for (let index = 0; index < committed; index += 1) batch[index]?.resolve(results[index]);
    if (failedAt === -1) return [];
    batch[failedAt]?.reject(failure);
    return batch.slice(failedAt + 1);
  };

  const flush = (): void => {
    scheduled = false;
    let batch = queue;
    queue = [];
    while (batch.length > 0) batch = commitUpTo(batch);
  };

  return {
    submit<T>(work: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
        if (!scheduled) {
          scheduled = true;
          schedule(flush);
        }
      });
    },
    flush,
  };
}
