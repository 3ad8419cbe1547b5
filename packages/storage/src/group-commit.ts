/**
 * Group commit: the final, durable step of many requests in one write transaction.
 *
 * A SQLite COMMIT costs far more than the few statements of one request (the WAL append and the lock). Work
 * queued until the end of the next event-loop iteration (`afterNextPoll`) runs in ONE `BEGIN IMMEDIATE … COMMIT`, in
 * the order it was queued, and each caller's promise settles only after that COMMIT returned: a request's consumed
 * `jti` and audit record are durable before its response is sent, exactly as with one transaction per request.
 */

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

/** Options of {@link createGroupCommit}. */
export interface GroupCommitOptions {
  /** The write transaction one batch runs in (e.g. better-sqlite3's `db.transaction(fn).immediate`). */
  transaction: WriteTransaction;
  /** When to flush the queue (default `afterNextPoll`: at the end of the next event-loop iteration). */
  schedule?: (flush: () => void) => void;
}

/** A queue of work items that are committed together. */
export interface GroupCommit {
  /**
   * Queues `work` (synchronous statements only) for the next batch and resolves with its own result once the batch
   * has committed. If the batch's transaction fails (any item threw, or the COMMIT did), nothing of the batch is
   * committed and every item's promise rejects with that error.
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
  let queue: QueuedWork[] = [];
  let scheduled = false;

  const flush = (): void => {
    scheduled = false;
    const batch = queue;
    queue = [];
    if (batch.length === 0) return;
    const results: unknown[] = [];
    try {
      options.transaction(() => {
        for (const item of batch) results.push(item.work());
      });
    } catch (error) {
      // Rolled back as a whole: no item may be reported as done.
      for (const item of batch) item.reject(error);
      return;
    }
    // Only now, after COMMIT returned, does any caller learn its outcome.
    batch.forEach((item, index) => {
      item.resolve(results[index]);
    });
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
