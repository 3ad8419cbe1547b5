/**
 * Load for the fault tests: workers sending requests with plain `fetch`, each answered success kept, until the app
 * is crashed. A request whose connection the crash cut was never answered: it promised nothing and is not kept.
 */

/** Options of {@link loadUntilCrash}. */
export interface LoadOptions<T> {
  /** Requests in flight at once (16: about what an agent host serving a team keeps open). */
  readonly concurrency: number;
  /** One request of worker `worker`; resolves with what its success promises, `undefined` for any other answer. */
  readonly request: (worker: number) => Promise<T | undefined>;
  /** The number of successes after which `crash` runs, while every worker still has a request in flight. */
  readonly crashAfter: number;
  /** Kills the app (SIGKILL); the load ends when it has. */
  readonly crash: () => Promise<unknown>;
  /** Gives up when the crash point is not reached in this time (a stuck app). Default 60 s. */
  readonly timeoutMs?: number;
}

/** What the load saw: every answered success, and how many requests the crash cut or the app refused. */
export interface LoadOutcome<T> {
  readonly succeeded: T[];
  readonly refused: number;
  readonly cut: number;
}

/** Runs the workers, crashes the app at the chosen success, and returns once every worker has stopped. */
export async function loadUntilCrash<T>(options: LoadOptions<T>): Promise<LoadOutcome<T>> {
  const succeeded: T[] = [];
  let refused = 0;
  let cut = 0;
  let crashed: Promise<unknown> | undefined;
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  const worker = async (index: number): Promise<void> => {
    while (crashed === undefined) {
      if (Date.now() > deadline) throw new Error(`the crash point (${options.crashAfter} successes) was not reached`);
      try {
        const result = await options.request(index);
        if (result === undefined) refused += 1;
        else succeeded.push(result);
      } catch {
        // The connection failed: after the crash, a request cut in flight; it was never answered.
        cut += 1;
      }
      if (crashed === undefined && succeeded.length >= options.crashAfter) crashed = options.crash();
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, index) => worker(index)));
  await crashed;
  return { succeeded, refused, cut };
}

/**
 * The crash point: a success count drawn from `[min, max]` by a seed (`EMA_FAULT_SEED`, else random), printed with
 * the seed so that a failing run can be replayed.
 */
export function crashPoint(name: string, min: number, max: number, seedText = process.env.EMA_FAULT_SEED): number {
  const seed = seedText === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(seedText);
  // mulberry32: one draw is all a crash point needs.
  let t = (seed + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  const draw = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  const point = min + Math.floor(draw * (max - min + 1));
  console.info(`fault ${name}: SIGKILL after ${point} successes (EMA_FAULT_SEED=${seed})`);
  return point;
}
