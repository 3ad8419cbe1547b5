/** The seed and the number of cases of a fuzz run. */
export interface FuzzSettings {
  readonly seed: number;
  readonly numRuns: number;
}

/** The seed every run uses unless `EMA_FUZZ_SEED` names another: the suite's runs are reproducible. */
export const DEFAULT_FUZZ_SEED = 20_260_117;

function positiveInteger(text: string | undefined, name: string): number | undefined {
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) throw new TypeError(`${name} must be a non-negative integer`);
  return value;
}

/**
 * The run's settings: `EMA_FUZZ_SEED` (default {@link DEFAULT_FUZZ_SEED}) and `EMA_FUZZ_RUNS` (default
 * `defaultRuns`), so a failure can be replayed with its printed seed and a longer campaign run on demand.
 */
export function fuzzSettings(
  defaultRuns: number,
  env: Readonly<Record<string, string | undefined>> = process.env,
): FuzzSettings {
  return {
    seed: positiveInteger(env.EMA_FUZZ_SEED, 'EMA_FUZZ_SEED') ?? DEFAULT_FUZZ_SEED,
    numRuns: positiveInteger(env.EMA_FUZZ_RUNS, 'EMA_FUZZ_RUNS') ?? defaultRuns,
  };
}
