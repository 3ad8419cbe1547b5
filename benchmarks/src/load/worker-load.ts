import { LoadRecorder, type LoadResult } from './load-result.js';

/** One iteration's outcome: `ok` false counts as an error (the iteration's status was not the expected one). */
export interface IterationOutcome {
  ok: boolean;
  status: number;
}

/** A closed-loop load of `workers` concurrent async workers, each running `iteration` back to back. */
export interface WorkerLoad {
  workers: number;
  /** Fixed-length window. Ignored when `amount` is set. */
  durationSeconds?: number;
  /** Fixed number of iterations in total. */
  amount?: number;
  /** `worker` is the worker's index, `n` the iteration's global index. */
  iteration: (worker: number, n: number) => Promise<IterationOutcome>;
}

/**
 * Runs a closed loop the way autocannon does (each worker starts its next iteration when the previous one ends),
 * for work autocannon cannot express: several requests chained per iteration (the whole flow), or collecting response
 * bodies (pre-minting ID-JAGs). Latency is that of the whole iteration. A thrown error counts as a socket error.
 */
export async function runWorkers(load: WorkerLoad): Promise<LoadResult> {
  const recorder = new LoadRecorder();
  recorder.start();
  const started = performance.now();
  const deadline = load.amount === undefined ? started + (load.durationSeconds ?? 10) * 1000 : Number.POSITIVE_INFINITY;
  const limit = load.amount ?? Number.POSITIVE_INFINITY;
  let next = 0;
  let lastEnd = started;

  const worker = async (index: number): Promise<void> => {
    while (next < limit && performance.now() < deadline) {
      const n = next;
      next += 1;
      const begin = performance.now();
      try {
        const outcome = await load.iteration(index, n);
        lastEnd = performance.now();
        recorder.response(outcome.status, lastEnd - begin, outcome.ok);
      } catch {
        lastEnd = performance.now();
        recorder.socketError();
      }
    }
  };

  await Promise.all(Array.from({ length: load.workers }, (_, index) => worker(index)));
  return recorder.result((lastEnd - started) / 1000);
}
